import { describe, expect, it } from "vitest";
import { applicationPolicy, baselinePolicy, exception, NOW } from "@/lib/policy-spec/__fixtures__/policy-fixtures";
import { computeRiskFlags, type RiskFlagCode } from "./compute-risk-flags";

type Sections = Record<string, unknown>;

function appFlags(before: Sections | null, after: Sections, exposure: "internet" | "internal" = "internal") {
  return computeRiskFlags({ before: before ? applicationPolicy(before) : null, after: applicationPolicy(after), exposure, now: NOW });
}
const codes = (flags: { code: RiskFlagCode }[]) => flags.map((f) => f.code);

const SPEC = { openapi: "3.1.0", info: { title: "shop", version: "1" }, paths: { "/search": { get: {} } } };

describe("computeRiskFlags", () => {
  it("flags nothing for an unchanged internal application", () => {
    expect(appFlags({ limits: { maxBodyBytes: 1000 } }, { limits: { maxBodyBytes: 1000 } })).toEqual([]);
  });

  it("flags a loosening of the baseline with the reviewer's sentence", () => {
    const flags = computeRiskFlags({
      before: baselinePolicy({ denyRules: { xss: { level: "strict" } } }),
      after: baselinePolicy({ denyRules: { xss: { level: "standard" } } }),
      exposure: null,
      now: NOW,
    });
    expect(flags).toEqual([{ code: "loosening", text: "lowers xss from strict to standard", path: "$.denyRules.xss.level" }]);
  });

  it("flags a new exception with its family, request part and duration", () => {
    const flags = appFlags({}, { exceptions: [exception()] });
    expect(flags).toEqual([expect.objectContaining({ code: "exception-added", family: "sqli", part: "parameter", days: 61 })]);
  });

  it("names the family of a rule-id exception", () => {
    const flags = appFlags({}, { exceptions: [exception({ family: undefined, ruleId: "xss.script-tag" })] });
    expect(flags[0]).toMatchObject({ code: "exception-added", family: "xss" });
  });

  it("flags a widened exception (more paths, later expiry) but not an unchanged one", () => {
    expect(codes(appFlags({ exceptions: [exception()] }, { exceptions: [exception()] }))).toEqual([]);
    expect(
      codes(appFlags({ exceptions: [exception()] }, { exceptions: [exception({ conditions: { paths: ["/search", "/find"], methods: ["GET"] } })] })),
    ).toEqual(["exception-widened"]);
    expect(codes(appFlags({ exceptions: [exception()] }, { exceptions: [exception({ conditions: { paths: ["/search"] } })] }))).toEqual(["exception-widened"]);
  });

  it("flags an exception without a real justification, and one that runs too long", () => {
    const flags = appFlags({}, { exceptions: [exception({ justification: "Needed for the search box.", expires: "2027-12-31" })] });
    expect(codes(flags)).toEqual(["exception-added", "exception-weak-justification", "exception-long-expiry"]);
    expect(codes(appFlags({}, { exceptions: [exception({ justification: "Needed for the search box.", ticket: "SEC-12" })] }))).toEqual(["exception-added"]);
  });

  it("flags a deny family moved to log-only", () => {
    const flags = appFlags({}, { denyRules: { sqli: { mode: "log-only" } } });
    expect(flags).toContainEqual(expect.objectContaining({ code: "deny-log-only", family: "sqli" }));
  });

  it("flags removed security headers", () => {
    const flags = appFlags({ securityHeaders: { contentSecurityPolicy: { directives: { "default-src": ["'self'"] } } } }, { securityHeaders: {} });
    expect(codes(flags)).toContain("security-header-removed");
  });

  it("flags broader IP ranges, and not narrower ones", () => {
    const rule = (cidr: string) => ({ ipAllow: { rules: [{ paths: ["/admin/**"], allowFrom: [cidr] }] } });
    expect(codes(appFlags(rule("10.1.0.0/16"), rule("10.0.0.0/8")))).toContain("ip-range-broadened");
    expect(codes(appFlags(rule("10.0.0.0/8"), rule("10.1.0.0/16")))).not.toContain("ip-range-broadened");
  });

  it("flags an OpenAPI specification removed or switched to log-only", () => {
    expect(codes(appFlags({ openapi: { spec: SPEC } }, {}))).toContain("openapi-removed");
    expect(codes(appFlags({ openapi: { spec: SPEC } }, { openapi: { spec: SPEC, validation: "log-only" } }))).toContain("openapi-log-only");
  });

  it("flags an internet-facing application without fine-grained policy", () => {
    expect(codes(appFlags(null, {}, "internet"))).toEqual(["internet-without-fine-grained"]);
    expect(codes(appFlags(null, { limits: { maxBodyBytes: 1000 } }, "internet"))).toEqual([]);
  });

  it("flags fields newly marked as free text like an exception, naming the families the baseline lets them relax", () => {
    const withBody = (schema: Record<string, unknown>) => ({
      openapi: {
        spec: {
          ...SPEC,
          paths: { "/posts": { post: { requestBody: { content: { "application/json": { schema: { type: "object", properties: { body: schema } } } } } } } },
        },
      },
    });
    const marked = withBody({ type: "string", "x-rampart-content": "markdown" });
    const first = computeRiskFlags({ before: null, after: applicationPolicy(marked), exposure: "internal", now: NOW, relaxable: ["sqli", "rce"] });
    expect(first).toEqual([{ code: "content-relaxed", text: "relaxes sqli, rce for 1 content field of shop", path: "$.openapi.spec" }]);
    const change = computeRiskFlags({
      before: applicationPolicy(withBody({ type: "string" })),
      after: applicationPolicy(marked),
      exposure: "internal",
      now: NOW,
      relaxable: ["sqli"],
    });
    expect(codes(change)).toEqual(["content-relaxed"]);
    expect(
      computeRiskFlags({ before: applicationPolicy(marked), after: applicationPolicy(marked), exposure: "internal", now: NOW, relaxable: ["sqli"] }),
    ).toEqual([]);
    // A baseline that relaxes nothing makes the marking harmless.
    expect(computeRiskFlags({ before: null, after: applicationPolicy(marked), exposure: "internal", now: NOW, relaxable: [] })).toEqual([]);
  });
});
