import { describe, expect, it } from "vitest";
import { newCspNonce, pageContentSecurityPolicy } from "./content-security-policy";

function directives(policy: string): Map<string, string> {
  return new Map(policy.split("; ").map((d) => [d.split(" ")[0]!, d.slice(d.indexOf(" ") + 1)]));
}

describe("pageContentSecurityPolicy", () => {
  it("lets only scripts with the response's nonce run, and nothing frame the page", () => {
    const nonce = newCspNonce();
    const policy = directives(pageContentSecurityPolicy(nonce, { dev: false }));
    expect(policy.get("script-src")).toBe(`'self' 'nonce-${nonce}' 'strict-dynamic'`);
    expect(policy.get("style-src")).toBe(`'self' 'nonce-${nonce}'`);
    expect(policy.get("frame-ancestors")).toBe("'none'");
    expect(policy.get("object-src")).toBe("'none'");
    expect(policy.get("base-uri")).toBe("'none'");
    expect(policy.get("form-action")).toBe("'self'");
  });

  it("allows eval and inline styles under next dev only", () => {
    const production = pageContentSecurityPolicy("n", { dev: false });
    expect(production).not.toContain("unsafe-");
    const dev = directives(pageContentSecurityPolicy("n", { dev: true }));
    expect(dev.get("script-src")).toContain("'unsafe-eval'");
    expect(dev.get("style-src")).toBe("'self' 'unsafe-inline'");
  });

  it("draws a fresh 128-bit nonce each time", () => {
    const nonces = new Set(Array.from({ length: 100 }, newCspNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });
});
