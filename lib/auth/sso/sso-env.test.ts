import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatEnvErrors } from "@/lib/env";
import { ssoEnvSchema } from "./sso-env";

const corp = {
  RAMPART_PUBLIC_URL: "https://rampart.example.com",
  RAMPART_OIDC_PROVIDERS: "corp",
  RAMPART_OIDC_CORP_ISSUER: "https://login.example.com/tenant/v2.0",
  RAMPART_OIDC_CORP_CLIENT_ID: "rampart",
  RAMPART_OIDC_CORP_CLIENT_SECRET: "s3cret",
};

function problems(raw: Record<string, string>): string {
  const parsed = ssoEnvSchema.safeParse(raw);
  if (parsed.success) throw new Error("expected the environment to be refused");
  return formatEnvErrors(parsed.error);
}

describe("single sign-on settings from the environment", () => {
  it("is off without providers", () => {
    expect(ssoEnvSchema.parse({})).toEqual({ publicUrl: null, providers: [], ssoOnly: false, breakGlassEmail: null });
  });

  it("reads a provider with defaults for what is not set", () => {
    const { providers, publicUrl } = ssoEnvSchema.parse(corp);
    expect(publicUrl).toBe("https://rampart.example.com");
    expect(providers).toEqual([
      {
        id: "corp",
        displayName: "corp",
        issuer: "https://login.example.com/tenant/v2.0",
        clientId: "rampart",
        clientSecret: "s3cret",
        scopes: "openid email profile",
        groupsClaim: "groups",
        emailVerifiedClaim: "email_verified",
        idTokenAlg: "RS256",
        tokenEndpointAuth: "client_secret_basic",
        groupMappings: [],
      },
    ]);
  });

  it("reads the client secret from a file and the bootstrap mappings as JSON; dashes in ids become underscores", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "rampart-sso-env-"));
    writeFileSync(path.join(dir, "secret"), "from-a-file\n");
    const { providers } = ssoEnvSchema.parse({
      RAMPART_PUBLIC_URL: "https://rampart.example.com",
      RAMPART_OIDC_PROVIDERS: "my-idp",
      RAMPART_OIDC_MY_IDP_ISSUER: "https://idp.example.com",
      RAMPART_OIDC_MY_IDP_CLIENT_ID: "rampart",
      RAMPART_OIDC_MY_IDP_CLIENT_SECRET_FILE: path.join(dir, "secret"),
      RAMPART_OIDC_MY_IDP_GROUP_MAPPINGS: '[{"group": "/rampart/admins", "team": "platform", "role": "admin"}]',
    });
    expect(providers[0]).toMatchObject({
      id: "my-idp",
      clientSecret: "from-a-file",
      groupMappings: [{ group: "/rampart/admins", team: "platform", role: "admin" }],
    });
  });

  it("names each bad variable", () => {
    const text = problems({
      RAMPART_OIDC_PROVIDERS: "corp",
      RAMPART_OIDC_CORP_ISSUER: "http://idp.example.com",
      RAMPART_OIDC_CORP_SCOPES: "email profile",
      RAMPART_OIDC_CORP_ID_TOKEN_ALG: "none",
      RAMPART_OIDC_CORP_GROUP_MAPPINGS: '[{"group": "g", "team": "t", "role": "overlord"}]',
    });
    expect(text).toContain("RAMPART_OIDC_CORP_ISSUER: must be an https:// URL");
    expect(text).toContain("RAMPART_OIDC_CORP_CLIENT_ID: is required");
    expect(text).toContain("RAMPART_OIDC_CORP_CLIENT_SECRET: set exactly one of CLIENT_SECRET and CLIENT_SECRET_FILE");
    expect(text).toContain("RAMPART_OIDC_CORP_SCOPES: must include openid");
    expect(text).toContain("RAMPART_OIDC_CORP_ID_TOKEN_ALG: must be one of RS256");
    expect(text).toContain("RAMPART_OIDC_CORP_GROUP_MAPPINGS.0.role");
    expect(text).toContain("RAMPART_PUBLIC_URL: is required with RAMPART_OIDC_PROVIDERS");
  });

  it("refuses mappings that are not JSON, a secret file that cannot be read, and a public URL with a path", () => {
    const text = problems({
      ...corp,
      RAMPART_PUBLIC_URL: "https://rampart.example.com/portal",
      RAMPART_OIDC_CORP_CLIENT_SECRET: "",
      RAMPART_OIDC_CORP_CLIENT_SECRET_FILE: "/nonexistent/secret",
      RAMPART_OIDC_CORP_GROUP_MAPPINGS: "admins=platform:admin",
    });
    expect(text).toContain("RAMPART_PUBLIC_URL: must be the portal's origin only");
    expect(text).toContain("RAMPART_OIDC_CORP_GROUP_MAPPINGS: must be JSON");
    const unreadable = problems({ ...corp, RAMPART_OIDC_CORP_CLIENT_SECRET: "", RAMPART_OIDC_CORP_CLIENT_SECRET_FILE: "/nonexistent/secret" });
    expect(unreadable).toContain("RAMPART_OIDC_CORP_CLIENT_SECRET_FILE: cannot be read (ENOENT)");
  });

  it("allows plain http only to a loopback issuer", () => {
    expect(ssoEnvSchema.parse({ ...corp, RAMPART_OIDC_CORP_ISSUER: "http://127.0.0.1:4000" }).providers).toHaveLength(1);
  });

  it("refuses bad or repeated provider ids", () => {
    expect(problems({ RAMPART_OIDC_PROVIDERS: "Corp" })).toContain("RAMPART_OIDC_PROVIDERS.0: provider ids are lower-case");
    expect(problems({ ...corp, RAMPART_OIDC_PROVIDERS: "corp,corp" })).toContain("RAMPART_OIDC_PROVIDERS: names a provider twice");
  });

  it("needs a provider and a break-glass account for single-sign-on-only mode", () => {
    const text = problems({ RAMPART_SSO_ONLY: "true" });
    expect(text).toContain("RAMPART_SSO_ONLY: needs at least one provider");
    expect(text).toContain("RAMPART_BREAK_GLASS_EMAIL: is required with RAMPART_SSO_ONLY");
    expect(ssoEnvSchema.parse({ ...corp, RAMPART_SSO_ONLY: "true", RAMPART_BREAK_GLASS_EMAIL: "Admin@Rampart.local" })).toMatchObject({
      ssoOnly: true,
      breakGlassEmail: "admin@rampart.local",
    });
  });
});
