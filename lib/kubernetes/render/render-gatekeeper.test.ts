import { describe, expect, it } from "vitest";
import { exampleBaseline } from "./__fixtures__/render-fixtures";
import { manifestSchemaErrors } from "./__fixtures__/manifest-schemas";
import {
  CONSTRAINT_PARAMETERS_SCHEMA,
  GATEKEEPER_CONSTRAINT_KIND,
  RAMPART_BASELINE_REGO,
  renderGatekeeperConstraint,
  renderGatekeeperTemplate,
} from "./render-gatekeeper";

/** Strips string literals and comments so structure checks see only code. */
function code(rego: string): string {
  return rego
    .split("\n")
    .map((line) => line.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/#.*$/, ""))
    .join("\n");
}

describe("Gatekeeper ConstraintTemplate", () => {
  const template = renderGatekeeperTemplate();

  it("validates against the vendored ConstraintTemplate CRD and names the Constraint kind", () => {
    expect(manifestSchemaErrors(template)).toEqual([]);
    expect((template.spec as any).crd.spec.names.kind).toBe(GATEKEEPER_CONSTRAINT_KIND);
    expect((template.spec as any).targets).toEqual([{ target: "admission.k8s.gatekeeper.sh", rego: RAMPART_BASELINE_REGO }]);
  });

  it("the Rego is plausible: one package, balanced delimiters, every violation sets msg", () => {
    const text = code(RAMPART_BASELINE_REGO);
    expect(RAMPART_BASELINE_REGO.startsWith("package rampartbaseline\n")).toBe(true);
    expect(text.match(/^package /gm)).toHaveLength(1);
    const stack: string[] = [];
    const pairs: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
    for (const character of text) {
      if ("([{".includes(character)) stack.push(character);
      else if (character in pairs) expect(stack.pop(), `unbalanced ${character}`).toBe(pairs[character]);
    }
    expect(stack).toEqual([]);
    const blocks = RAMPART_BASELINE_REGO.split(/\nviolation\[\{"msg": msg\}\] \{\n/).slice(1);
    expect(blocks.length).toBeGreaterThanOrEqual(25);
    for (const block of blocks) {
      const body = block.slice(0, block.indexOf("\n}\n"));
      expect(body).toMatch(/\n {2}msg := (sprintf\(|")/);
    }
    // Rule heads at top level are either violations, helpers or constants.
    for (const line of text.split("\n").filter((entry) => /^\S/.test(entry))) {
      expect(line).toMatch(/^(package |violation\[\{"": msg\}\] \{|[a-z_]+(\([a-z_]+\))?( = [a-z_]+)? \{|[a-z_]+ := |\})/);
    }
  });

  it("reads only parameters the template declares", () => {
    const used = new Set([...RAMPART_BASELINE_REGO.matchAll(/input\.parameters\.([A-Za-z]+)/g)].map((match) => match[1]));
    expect([...used].sort()).toEqual(Object.keys(CONSTRAINT_PARAMETERS_SCHEMA.properties).sort());
  });

  it("treats missing fields and unreadable regexes as violations (fail closed)", () => {
    expect(RAMPART_BASELINE_REGO).toContain("not bundle.denyRules[floor.family]");
    expect(RAMPART_BASELINE_REGO).toContain('count(object.get(exception, "ruleKeys", [])) == 0');
    expect(RAMPART_BASELINE_REGO).toContain('count(object.get(exception, ["requestConditions", "path", "matcher"], {})) == 0');
    expect(RAMPART_BASELINE_REGO).toContain("not levels[rule.level] >= levels[floor.minLevel]");
    expect(RAMPART_BASELINE_REGO).toContain("not regex.is_valid(path.source)");
  });
});

describe("Gatekeeper Constraint", () => {
  it.each(["baseline-standard.yaml", "baseline-strict.yaml"])("validates against the template's generated schema (%s)", (file) => {
    expect(manifestSchemaErrors(renderGatekeeperConstraint(exampleBaseline(file)))).toEqual([]);
  });

  it("carries the baseline's floors, headers and non-exempt families", () => {
    const constraint = renderGatekeeperConstraint(exampleBaseline("baseline-strict.yaml"));
    const parameters = (constraint.spec as any).parameters;
    expect(constraint.metadata.name).toBe("rampart-baseline-strict");
    expect(parameters.baseline).toBe("strict");
    expect(parameters.families).toHaveLength(10);
    expect(parameters.families.every((floor: any) => floor.minLevel === "strict" && floor.requireBlock)).toBe(true);
    expect(parameters.requiredHeaders).toEqual([
      "Strict-Transport-Security",
      "X-Frame-Options",
      "X-Content-Type-Options",
      "Referrer-Policy",
      "Permissions-Policy",
    ]);
    expect(parameters.nonExemptFamilies).toEqual(["java", "protocol"]);
    expect(parameters.airlockGlobalMinLevel).toBe("Strict");
    expect(parameters.nonExemptAirlockKeys).toEqual(["ENCODING", "EXPLOIT", "HPP", "OGNL", "PROTOCOL", "SANITY", "TEMPLATE"]);
    expect(parameters.airlockKeyFloors.map((floor: any) => floor.key)).toEqual(expect.arrayContaining(["LDAP", "IDOR"]));
    expect(parameters.limits).toEqual(
      Object.fromEntries(Object.entries(exampleBaseline("baseline-strict.yaml").limits).filter(([, value]) => typeof value === "number")),
    );
    expect((constraint.spec as any).match.kinds).toEqual([
      { apiGroups: ["rampart.dev"], kinds: ["RampartPolicy"] },
      { apiGroups: ["microgateway.airlock.com"], kinds: ["DenyRules", "HeaderRewrites", "Limits", "Parser", "ContentSecurityPolicy"] },
    ]);
  });

  it("a per-family floor reaches the Airlock keys of that family", () => {
    const base = exampleBaseline();
    const constraint = renderGatekeeperConstraint({
      ...base,
      denyRules: { ...base.denyRules, sqli: { level: "strict", mode: "block" }, scanner: { level: "basic", mode: "log-only" } },
    });
    const floors = (constraint.spec as any).parameters.airlockKeyFloors;
    expect(floors.find((floor: any) => floor.key === "SQL")).toEqual({ key: "SQL", minLevel: "Strict", requireBlock: true });
    expect(floors.find((floor: any) => floor.key === "BOT")).toEqual({ key: "BOT", minLevel: "Basic", requireBlock: false });
    expect((constraint.spec as any).parameters.airlockGlobalMinLevel).toBe("Strict");
  });
});
