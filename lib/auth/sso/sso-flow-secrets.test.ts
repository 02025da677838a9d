import { describe, expect, it } from "vitest";
import { flowCookie, flowSecrets, isStateOf, newFlowSecret } from "./sso-flow-secrets";

describe("the secrets of a sign-in in flight", () => {
  it("derives state, nonce and a PKCE verifier (RFC 7636: 43–128 unreserved characters) that differ from each other and between flows", () => {
    const a = flowSecrets(newFlowSecret());
    const b = flowSecrets(newFlowSecret());
    expect(a.codeVerifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
    expect(new Set([a.state, a.nonce, a.codeVerifier, b.state, b.nonce, b.codeVerifier]).size).toBe(6);
  });

  it("recognises only its own state", () => {
    const secret = newFlowSecret();
    expect(isStateOf(secret, flowSecrets(secret).state)).toBe(true);
    expect(isStateOf(secret, flowSecrets(newFlowSecret()).state)).toBe(false);
    expect(isStateOf(secret, "")).toBe(false);
  });

  it("keeps the cookie to the callback's path, out of scripts' reach, and short-lived", () => {
    expect(flowCookie("s", true)).toBe("rampart_sso_flow=s; Path=/api/v1/auth/sso/; HttpOnly; SameSite=Lax; Max-Age=600; Secure");
  });
});
