import { describe, expect, it } from "vitest";
import { decodeFormPairs, readQueryParameter, readScalarStyle, type ParameterShape } from "./parameter-styles.js";

const shape = (over: Partial<ParameterShape>): ParameterShape => ({
  name: "id",
  in: "query",
  style: "form",
  explode: true,
  kind: "string",
  itemKind: "string",
  propertyKinds: new Map(),
  ...over,
});
const query = (text: string) => decodeFormPairs(text, 100)!;

describe("parameter serialisation styles", () => {
  it.each<[string, string, Partial<ParameterShape>, unknown]>([
    ["form, exploded array", "id=3&id=4&id=5", { kind: "array", itemKind: "integer" }, [3, 4, 5]],
    ["form, not exploded array", "id=3,4,5", { kind: "array", explode: false, itemKind: "integer" }, [3, 4, 5]],
    ["spaceDelimited", "id=3%204%205", { kind: "array", explode: false, style: "spaceDelimited", itemKind: "integer" }, [3, 4, 5]],
    ["pipeDelimited", "id=3|4|5", { kind: "array", explode: false, style: "pipeDelimited" }, ["3", "4", "5"]],
    [
      "deepObject",
      "id[role]=admin&id[age]=3",
      { kind: "object", style: "deepObject", propertyKinds: new Map([["age", "integer"]]) },
      { role: "admin", age: 3 },
    ],
    [
      "form, exploded object",
      "role=admin&age=3",
      {
        kind: "object",
        propertyKinds: new Map([
          ["role", "string"],
          ["age", "integer"],
        ]),
      },
      { role: "admin", age: 3 },
    ],
    [
      "form, not exploded object",
      "id=role,admin,age,3",
      { kind: "object", explode: false, propertyKinds: new Map([["age", "integer"]]) },
      { role: "admin", age: 3 },
    ],
    ["boolean", "id=true", { kind: "boolean" }, true],
    ["plus is a space", "id=a+b", {}, "a b"],
    ["a scalar given twice is handed over as a list (ambiguous)", "id=1&id=2", { kind: "integer" }, ["1", "2"]],
    ["absent", "other=1", {}, undefined],
  ])("%s", (_name, text, over, expected) => {
    expect(readQueryParameter(query(text), shape(over)).value).toEqual(expected);
  });

  it.each<[string, string, Partial<ParameterShape>, unknown]>([
    ["simple array", "3,4,5", { in: "path", style: "simple", explode: false, kind: "array", itemKind: "integer" }, [3, 4, 5]],
    ["simple object", "role,admin,age,3", { in: "path", style: "simple", explode: false, kind: "object" }, { role: "admin", age: "3" }],
    ["simple exploded object", "role=admin,age=3", { in: "path", style: "simple", explode: true, kind: "object" }, { role: "admin", age: "3" }],
    ["label", ".3", { in: "path", style: "label", explode: false, kind: "integer" }, 3],
    ["label exploded array", ".3.4", { in: "path", style: "label", explode: true, kind: "array", itemKind: "integer" }, [3, 4]],
    ["matrix", ";id=5", { in: "path", style: "matrix", explode: false, kind: "integer" }, 5],
    ["matrix exploded array", ";id=3;id=4", { in: "path", style: "matrix", explode: true, kind: "array", itemKind: "integer" }, [3, 4]],
    ["a number that is not one stays a string", "12abc", { in: "path", style: "simple", kind: "integer" }, "12abc"],
  ])("%s", (_name, raw, over, expected) => {
    expect(readScalarStyle(raw, shape(over))).toEqual(expected);
  });

  it("refuses malformed percent-encoding and too many pairs", () => {
    expect(decodeFormPairs("a=%E0%A4%A", 10)).toBeNull();
    expect(decodeFormPairs("a=1&b=2&c=3", 2)).toBeNull();
  });
});
