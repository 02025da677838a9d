import { describe, expect, it } from "vitest";
import { z } from "zod";
import { zodFieldErrors } from "./zod-field-errors";

describe("zodFieldErrors", () => {
  const schema = z.strictObject({ name: z.string(), nested: z.strictObject({ port: z.number() }) });

  it("names each invalid field with a dotted path from the request part", () => {
    const result = schema.safeParse({ name: 1, nested: { port: "x" } });
    expect(zodFieldErrors(result.error!, "body").map((e) => e.path)).toEqual(["body.name", "body.nested.port"]);
  });

  it("gives every unknown key its own error at the key's path", () => {
    const result = schema.safeParse({ name: "a", nested: { port: 1, extra: 1 }, typo: 2 });
    expect(zodFieldErrors(result.error!, "body")).toEqual(
      expect.arrayContaining([
        { path: "body.typo", message: "Unknown field." },
        { path: "body.nested.extra", message: "Unknown field." },
      ]),
    );
  });
});
