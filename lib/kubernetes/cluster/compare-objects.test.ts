import { describe, expect, it } from "vitest";
import { diffObjects, unifiedYamlDiff, withoutServerFields } from "./compare-objects";

describe("withoutServerFields", () => {
  it("drops what the server owns (status, managedFields, resourceVersion, …) and empty label/annotation maps", () => {
    const live = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: "a",
        namespace: "n",
        uid: "u",
        resourceVersion: "7",
        generation: 2,
        creationTimestamp: new Date(0),
        managedFields: [{}],
        labels: { x: "y" },
        annotations: {},
      },
      data: { k: "v" },
      status: { ready: true },
    };
    expect(withoutServerFields(live)).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "a", namespace: "n", labels: { x: "y" } },
      data: { k: "v" },
    });
  });
});

describe("diffObjects", () => {
  it("names each changed, added and removed field with its path, lists item by item", () => {
    const before = { spec: { a: 1, list: [{ v: "x" }, { v: "y" }], gone: true }, metadata: { labels: { "app.kubernetes.io/name": "p" } } };
    const after = { spec: { a: 2, list: [{ v: "z" }], added: "new" }, metadata: { labels: { "app.kubernetes.io/name": "q" } } };
    expect(diffObjects(before, after)).toEqual([
      { path: "spec.a", change: "changed", before: 1, after: 2 },
      { path: "spec.list[0].v", change: "changed", before: "x", after: "z" },
      { path: "spec.list[1]", change: "removed", before: { v: "y" } },
      { path: "spec.gone", change: "removed", before: true },
      { path: "spec.added", change: "added", after: "new" },
      { path: "metadata.labels[app.kubernetes.io/name]", change: "changed", before: "p", after: "q" },
    ]);
    expect(diffObjects({ a: [1, 2] }, { a: [1, 2] })).toEqual([]);
  });
});

describe("unifiedYamlDiff", () => {
  it("is empty for equal objects and a unified diff with hunks and context otherwise", () => {
    expect(unifiedYamlDiff({ a: 1 }, { a: 1 })).toBe("");
    const lines = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${String(i).padStart(2, "0")}`, i]));
    const text = unifiedYamlDiff(lines, { ...lines, k10: 100 });
    expect(text).toBe(
      ["--- live", "+++ rampart", "@@ -8,7 +8,7 @@", " k07: 7", " k08: 8", " k09: 9", "-k10: 10", "+k10: 100", " k11: 11", " k12: 12", " k13: 13", ""].join(
        "\n",
      ),
    );
  });

  it("shows a new object as all additions and sorts keys so order never shows as a change", () => {
    expect(unifiedYamlDiff(null, { b: 1, a: 2 })).toBe("--- live\n+++ rampart\n@@ -0,0 +1,2 @@\n+a: 2\n+b: 1\n");
    expect(unifiedYamlDiff({ b: 1, a: 2 }, { a: 2, b: 1 })).toBe("");
  });
});
