import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parsePolicyDocument } from "./parse-policy-document";
import { serializePolicyDocument } from "./serialize-policy-document";
import { growthRatio, LINEAR_GROWTH_LIMIT } from "../../proxy/test-support/growth-ratio";

const EXAMPLES = path.resolve(__dirname, "../../examples/policies");
const HEADER = "apiVersion: rampart.dev/v1alpha1\nkind: BaselinePolicy\nmetadata:\n  name: org\n";

describe("parsePolicyDocument: syntax", () => {
  it("gives the line and column of a YAML syntax error", () => {
    const result = parsePolicyDocument(`${HEADER}denyRules:\n  sqli: { level: strict\n`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ path: "$", code: "syntax", line: expect.any(Number), column: expect.any(Number) });
    expect(result.errors[0]!.message).toMatch(/^YAML syntax error: /);
  });

  it("refuses duplicate keys, which would otherwise hide one value behind another", () => {
    const result = parsePolicyDocument(`${HEADER}denyRules:\n  sqli:\n    mode: block\n    mode: log-only\n`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatchObject({ code: "syntax", line: 8, column: 5, message: expect.stringMatching(/unique/) });
  });

  it("refuses duplicate keys in JSON too", () => {
    const result = parsePolicyDocument('{"apiVersion": "rampart.dev/v1alpha1", "kind": "BaselinePolicy",\n "kind": "BaselinePolicy"}', { format: "json" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatchObject({ code: "syntax", line: 2, message: expect.stringMatching(/^JSON syntax error/) });
  });

  it("refuses text that is not a JSON object when JSON is asked for", () => {
    const result = parsePolicyDocument(HEADER, { format: "json" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatchObject({ code: "syntax", message: expect.stringMatching(/JSON object/) });
  });

  it("refuses several documents in one file", () => {
    const result = parsePolicyDocument(`${HEADER}---\n${HEADER}`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]!.code).toBe("syntax");
  });

  it("refuses YAML tags that produce non-JSON values", () => {
    const result = parsePolicyDocument(`${HEADER}description: !!binary aGVsbG8=\n`);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors).toContainEqual(expect.objectContaining({ path: "$.description", message: expect.stringMatching(/plain YAML\/JSON values/) }));
  });

  it("refuses a __proto__ key instead of letting it reach an object's prototype", () => {
    const result = parsePolicyDocument(
      JSON.parse(`{"apiVersion":"rampart.dev/v1alpha1","kind":"BaselinePolicy","metadata":{"name":"x"},"__proto__":{"polluted":true}}`),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toContainEqual(expect.objectContaining({ path: "$.__proto__", message: expect.stringMatching(/__proto__/) }));
  });
});

describe("parsePolicyDocument: validation errors in YAML", () => {
  it("reports each invalid field with its JSON path, line and column", () => {
    const result = parsePolicyDocument(`${HEADER}denyRules:\n  sqli:\n    level: extreme\n  xss:\n    leve: strict\n`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      { path: "$.denyRules.sqli.level", code: "invalid", line: 7, column: 12, message: 'must be one of "basic", "standard", "strict" (got "extreme")' },
      { path: "$.denyRules.xss.leve", code: "invalid", line: 9, column: 5, message: 'unknown field "leve"; did you mean "level"?' },
    ]);
  });

  it("points a missing field at its parent", () => {
    const result = parsePolicyDocument("apiVersion: rampart.dev/v1alpha1\nkind: BaselinePolicy\nmetadata:\n  environment: prod\n");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toEqual([{ path: "$.metadata.name", code: "invalid", line: 4, column: 3, message: "required field is missing" }]);
  });
});

describe("parsePolicyDocument: limits", () => {
  it("refuses a document over 1 MiB without parsing it", () => {
    const result = parsePolicyDocument(`${HEADER}description: "${"x".repeat(1024 * 1024)}"\n`);
    expect(result).toEqual({ ok: false, errors: [{ path: "$", code: "limit", message: "the document is larger than 1 MiB" }] });
    // Not parsed: 1 MiB nested too deeply is refused for its size, not its depth.
    expect(parsePolicyDocument("[".repeat(1024 * 1024 + 1))).toEqual(result);
  });

  it("counts bytes, not characters", () => {
    const result = parsePolicyDocument(`${HEADER}description: "${"€".repeat(400_000)}"\n`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]!.code).toBe("limit");
  });

  it.each([
    ["deeply nested flow collections", "[".repeat(200_000) + "]".repeat(200_000)],
    ["deeply nested block mappings", Array.from({ length: 1200 }, (_, depth) => `${" ".repeat(depth)}a:`).join("\n")],
    ["deeply nested block sequences", `${"- ".repeat(5000)}x\n`],
  ])("refuses %s with a limit error, in time linear in the document", (_name, text) => {
    const result = parsePolicyDocument(text);
    expect(result).toEqual({ ok: false, errors: [{ path: "$", code: "limit", message: "the document is nested more than 64 levels deep" }] });
    // The first quarter is nested too deeply as well: refusing the whole must cost about four of it.
    expect(growthRatio(parsePolicyDocument, text, text.slice(0, text.length / 4), 3)).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });

  it("refuses a deeply nested object passed as data", () => {
    const root: Record<string, unknown> = {};
    let node = root;
    for (let depth = 0; depth < 100_000; depth++) node = node.a = {} as Record<string, unknown>;
    expect(parsePolicyDocument(root)).toEqual({
      ok: false,
      errors: [{ path: "$", code: "limit", message: "the document is nested more than 64 levels deep" }],
    });
  });

  it("refuses an alias bomb", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let level = 1; level < 8; level++) {
      const previous = String.fromCharCode(96 + level);
      levels.push(`${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(9).fill(`*${previous}`).join(", ")}]`);
    }
    const result = parsePolicyDocument(`${levels.join("\n")}\n`);
    expect(result).toEqual({ ok: false, errors: [{ path: "$", code: "limit", message: expect.stringMatching(/aliases/) }] });
  });

  it("refuses too many values", () => {
    const result = parsePolicyDocument({ items: Array.from({ length: 2000 }, () => 1) }, { limits: { maxNodes: 1000 } });
    expect(result).toEqual({ ok: false, errors: [{ path: "$", code: "limit", message: "the document has more than 1000 values" }] });
  });

  it("honours tighter limits passed by the caller", () => {
    const result = parsePolicyDocument(HEADER, { limits: { maxBytes: 10 } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]!.message).toBe("the document is larger than 10 bytes");
  });
});

describe("serializePolicyDocument", () => {
  it.each(["baseline-standard.yaml", "baseline-strict.yaml", "app-payments-api.yaml"])("round-trips %s through YAML and JSON", (file) => {
    const first = parsePolicyDocument(readFileSync(path.join(EXAMPLES, file), "utf8"));
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    for (const format of ["yaml", "json"] as const) {
      const again = parsePolicyDocument(serializePolicyDocument(first.policy, { format }), { format });
      expect(again).toEqual({ ok: true, policy: first.policy });
    }
  });

  it("keeps strings YAML would otherwise read as other types", () => {
    const first = parsePolicyDocument({
      apiVersion: "rampart.dev/v1alpha1",
      kind: "BaselinePolicy",
      metadata: { name: "org", description: "true: 1.2 # not a comment\nsecond line" },
      tls: { minVersion: "1.3" },
      geolocation: { denyCountries: ["NO"] },
    });
    if (!first.ok) throw new Error(JSON.stringify(first.errors));
    const text = serializePolicyDocument(first.policy);
    expect(parsePolicyDocument(text)).toEqual({ ok: true, policy: first.policy });
  });

  it("adds an editor schema modeline on request", () => {
    const first = parsePolicyDocument(HEADER);
    if (!first.ok) throw new Error("fixture");
    const text = serializePolicyDocument(first.policy, { schemaUrl: "/schemas/baseline-policy.json" });
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=/schemas/baseline-policy.json");
  });
});
