import { describe, expect, it } from "vitest";
import { authoredSource, versionSource } from "./authored-source";

describe("the authored source of a policy version", () => {
  it("keeps YAML as written and turns JSON into YAML in the order its keys were sent", () => {
    const yaml = "# why\nkind: ApplicationPolicy\napiVersion: rampart.dev/v1alpha1\n";
    expect(authoredSource(yaml)).toBe(yaml);
    expect(authoredSource({ kind: "ApplicationPolicy", metadata: { application: "x" }, apiVersion: "rampart.dev/v1alpha1" })).toBe(
      "kind: ApplicationPolicy\nmetadata:\n  application: x\napiVersion: rampart.dev/v1alpha1\n",
    );
    expect(authoredSource('{"b":1,"a":2}')).toBe("b: 1\na: 2\n");
    expect(authoredSource(undefined)).toBeNull();
  });

  it("reads older versions in the policy format's order, not the database's", () => {
    // jsonb stores shorter keys first: "kind" before "metadata" before "apiVersion".
    const stored = { kind: "BaselinePolicy", metadata: { name: "standard" }, apiVersion: "rampart.dev/v1alpha1" };
    const text = versionSource({ sourceText: null, content: stored });
    expect(text.indexOf("apiVersion")).toBeLessThan(text.indexOf("kind"));
    expect(text.indexOf("kind")).toBeLessThan(text.indexOf("metadata"));
    expect(versionSource({ sourceText: "kept: as is\n", content: stored })).toBe("kept: as is\n");
  });
});
