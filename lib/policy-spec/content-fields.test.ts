import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { applicationPolicy, baselinePolicy, NOW } from "./__fixtures__/policy-fixtures";
import { compilePolicy } from "./compile-policy";
import { classifyFieldSchema, listOperationFields, listSpecContentFields, markContentField, pointerMatches, suggestContentMarkings } from "./content-fields";
import { diffPolicies } from "./diff-policies";
import { mergePolicies } from "./merge-policies";
import { parsePolicyDocument } from "./parse-policy-document";

function spec(bodyProperties: Record<string, unknown>, parameters: unknown[] = []) {
  return {
    openapi: "3.1.0",
    info: { title: "Forum", version: "1" },
    paths: {
      "/posts": {
        post: {
          parameters,
          requestBody: { content: { "application/json": { schema: { type: "object", additionalProperties: false, properties: bodyProperties } } } },
        },
      },
    },
  };
}

describe("classifyFieldSchema", () => {
  it.each<[string, Record<string, unknown>, string]>([
    ["x-rampart-content markdown", { type: "string", "x-rampart-content": "markdown" }, "content:markdown"],
    ["x-rampart-content html", { type: "string", "x-rampart-content": "html" }, "content:html"],
    ["x-rampart-content text", { type: "string", "x-rampart-content": "text" }, "content:text"],
    ["format markdown alias", { type: "string", format: "markdown" }, "content:markdown"],
    ["format html alias", { type: "string", format: "html" }, "content:html"],
    ["nullable content", { type: ["string", "null"], "x-rampart-content": "text" }, "content:text"],
    ["an unknown marking keeps the baseline", { type: "string", "x-rampart-content": "rich" }, "undescribed"],
    ["a marking on a non-string", { type: "integer", "x-rampart-content": "text" }, "identifier"],
    ["integer", { type: "integer" }, "identifier"],
    ["boolean", { type: "boolean" }, "identifier"],
    ["enum", { type: "string", enum: ["a", "b"] }, "identifier"],
    ["uuid", { type: "string", format: "uuid" }, "identifier"],
    ["email", { type: "string", format: "email" }, "identifier"],
    ["date-time", { type: "string", format: "date-time" }, "identifier"],
    ["uri", { type: "string", format: "uri" }, "identifier"],
    ["pattern", { type: "string", pattern: "^[a-z]+$" }, "identifier"],
    ["short string", { type: "string", maxLength: 64 }, "identifier"],
    ["longer string", { type: "string", maxLength: 65 }, "undescribed"],
    ["bare string", { type: "string" }, "undescribed"],
    ["object without properties", { type: "object" }, "undescribed"],
  ])("%s", (_name, schema, expected) => {
    const result = classifyFieldSchema(schema);
    expect(result.kind === "content" ? `content:${result.profile}` : result.kind).toBe(expected);
  });
});

describe("listOperationFields", () => {
  it("lists body properties by JSON pointer (array items as *) and parameters by name, through $ref and allOf", () => {
    const document = {
      ...spec(
        {
          comment: { $ref: "#/components/schemas/Comment" },
          replies: { type: "array", items: { allOf: [{ $ref: "#/components/schemas/Comment" }, { properties: { id: { type: "integer" } } }] } },
          either: { oneOf: [{ type: "object", properties: { body: { type: "string", format: "markdown" } } }] },
        },
        [
          { name: "q", in: "query", schema: { type: "string", "x-rampart-content": "text" } },
          { name: "X-Note", in: "header", schema: { type: "string", format: "markdown" } },
        ],
      ),
      components: { schemas: { Comment: { type: "object", properties: { "a/b": { type: "string", format: "html" } } } } },
    };
    const bundle = compilePolicy(merged(applicationPolicy({ openapi: { spec: document } })));
    const fields = listOperationFields(bundle.openapi)[0]!.fields.map(
      (f) => `${f.in} ${f.name} ${f.class.kind === "content" ? f.class.profile : f.class.kind}`,
    );
    expect(fields).toEqual([
      "header x-note markdown",
      "query q text",
      "body /comment/a~1b html",
      "body /replies/*/a~1b html",
      "body /replies/*/id identifier",
      "body /either undescribed",
    ]);
  });
});

describe("pointerMatches", () => {
  it.each<[string, string, boolean]>([
    ["/body", "/body", true],
    ["/body", "/bodyx", false],
    ["/replies/*/body", "/replies/12/body", true],
    ["/replies/*/body", "/replies/x/body", false],
    ["/replies/*/body", "/replies/01/body", false],
    ["/replies/*/body", "/replies/1/2/body", false],
  ])("%s vs %s", (pattern, pointer, expected) => {
    expect(pointerMatches(pattern, pointer)).toBe(expected);
  });
});

describe("the baseline is the floor", () => {
  it("carries the baseline's relaxable families into the effective policy and the bundle, in canonical order", () => {
    const effective = merged(applicationPolicy(), baselinePolicy({ contentProfiles: { allowRelax: ["rce", "sqli"] } }));
    expect(effective.contentProfiles).toEqual({ allowRelax: ["sqli", "rce"] });
    expect(compilePolicy(effective).contentProfiles).toEqual({ allowRelax: ["sqli", "rce"] });
  });

  it("never relaxes a family the baseline makes non-exempt from exceptions", () => {
    const effective = merged(
      applicationPolicy(),
      baselinePolicy({ contentProfiles: { allowRelax: ["sqli", "rce"] }, exceptionPolicy: { nonExemptFamilies: ["rce"] } }),
    );
    expect(effective.contentProfiles.allowRelax).toEqual(["sqli"]);
  });

  it("relaxes nothing when the baseline does not say so", () => {
    expect(merged(applicationPolicy()).contentProfiles.allowRelax).toEqual([]);
  });

  it("refuses an application policy that tries to set the floor itself", () => {
    const result = parsePolicyDocument(
      {
        apiVersion: "rampart.dev/v1alpha1",
        kind: "ApplicationPolicy",
        metadata: { application: "a", applicationVersion: "1" },
        contentProfiles: { allowRelax: ["sqli"] },
      },
      { kind: "ApplicationPolicy" },
    );
    expect(result.ok).toBe(false);
  });

  it("refuses an unknown family", () => {
    expect(() => baselinePolicy({ contentProfiles: { allowRelax: ["log4shell"] } })).toThrow();
  });
});

describe("the diff and the example", () => {
  it("says which families relax for how many content fields of the application", () => {
    const before = applicationPolicy({ openapi: { spec: spec({ body: { type: "string" } }) } });
    const after = applicationPolicy({
      openapi: { spec: spec({ body: { type: "string", format: "markdown" }, title: { type: "string", "x-rampart-content": "text" } }) },
    });
    const change = diffPolicies(before, after, { relaxable: ["sqli", "rce"] }).changes.find((c) => c.path === "$.openapi.spec" && c.risk === "loosens");
    expect(change?.text).toBe("relaxes sqli, rce for 2 content fields of shop");
    expect(diffPolicies(after, after).changes).toEqual([]);
  });

  it("lists the forum example's content fields", () => {
    const parsed = parsePolicyDocument(readFileSync("examples/policies/app-forum.yaml", "utf8"), { kind: "ApplicationPolicy" });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const fields = listSpecContentFields(parsed.policy.openapi?.spec).map(({ operation, field }) => `${operation} ${field.in} ${field.name}`);
    expect(fields).toHaveLength(8);
    expect(fields).toContain("POST /threads body /body");
    expect(fields).toContain("POST /reviews/{reviewId}/comments body /suggestions/*");
  });
});

function merged(application: ReturnType<typeof applicationPolicy>, baseline = baselinePolicy()) {
  const result = mergePolicies(baseline, application, { now: NOW });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.effective;
}

describe("suggestContentMarkings", () => {
  it("points at long strings and text-like names of an unmarked specification, not at identifiers", () => {
    const suggestions = suggestContentMarkings(
      spec(
        {
          body: { type: "string" },
          notes: { type: "string", maxLength: 5000 },
          summary: { type: "string", maxLength: 5000 },
          comment: { type: "string", enum: ["a"] },
          id: { type: "string", format: "uuid" },
        },
        [{ name: "description", in: "query", schema: { type: "string", maxLength: 2000 } }],
      ),
    ).map((s) => `${s.field.in} ${s.field.name}: ${s.why}`);
    expect(suggestions).toEqual([
      "query description: maxLength 2000",
      "body /body: its name (body) suggests free text",
      "body /notes: maxLength 5000",
      "body /summary: maxLength 5000",
    ]);
  });

  it("suggests nothing once an operation marks its content", () => {
    expect(suggestContentMarkings(spec({ body: { type: "string", format: "markdown" }, message: { type: "string" } }))).toEqual([]);
  });

  it("says where each suggested field's schema is written: inline, behind a $ref, in allOf, in array items, in a parameter", () => {
    const document = {
      openapi: "3.1.0",
      info: { title: "Forum", version: "1" },
      paths: {
        "/threads/{id}/posts": {
          parameters: [{ $ref: "#/components/parameters/Comment" }],
          post: { requestBody: { $ref: "#/components/requestBodies/NewPost" } },
        },
        "/notes": {
          put: {
            requestBody: {
              content: {
                "application/json; charset=utf-8": {
                  schema: { type: "object", properties: { items: { type: "array", items: { type: "object", properties: { note: { type: "string" } } } } } },
                },
              },
            },
          },
        },
      },
      components: {
        parameters: { Comment: { name: "comment", in: "query", schema: { type: "string" } } },
        requestBodies: { NewPost: { content: { "application/json": { schema: { $ref: "#/components/schemas/NewPost" } } } } },
        schemas: {
          NewPost: { allOf: [{ $ref: "#/components/schemas/Base" }, { type: "object", properties: { body: { $ref: "#/components/schemas/Text" } } }] },
          Base: { type: "object", properties: { message: { type: "string" } } },
          Text: { type: "string" },
        },
      },
    };
    const at = Object.fromEntries(suggestContentMarkings(document).map((s) => [`${s.operation} ${s.field.in} ${s.field.name}`, s.at]));
    expect(at).toEqual({
      "PUT /notes body /items/*/note": [
        "paths",
        "/notes",
        "put",
        "requestBody",
        "content",
        "application/json; charset=utf-8",
        "schema",
        "properties",
        "items",
        "items",
        "properties",
        "note",
      ],
      "POST /threads/{id}/posts query comment": ["components", "parameters", "Comment", "schema"],
      "POST /threads/{id}/posts body /message": ["components", "schemas", "Base", "properties", "message"],
      "POST /threads/{id}/posts body /body": ["components", "schemas", "Text"],
    });
  });

  it("marks a suggested field, after which the operation has no suggestion left, and unmarks it", () => {
    const document = spec({ body: { type: "string" } });
    const [suggestion] = suggestContentMarkings(document);
    const marked = markContentField(document, suggestion!.at!, "markdown");
    expect(listSpecContentFields(marked).map((c) => `${c.field.name} ${JSON.stringify(c.field.class)}`)).toEqual([
      '/body {"kind":"content","profile":"markdown"}',
    ]);
    expect(suggestContentMarkings(marked)).toEqual([]);
    expect(document.paths["/posts"].post.requestBody.content["application/json"].schema.properties.body).toEqual({ type: "string" });
    expect(markContentField(marked, suggestion!.at!, null)).toEqual(document);
  });
});
