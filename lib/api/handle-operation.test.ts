// The JSON responses handleOperation writes: the bytes the schema keeps, and which of them
// Next.js may compress (small documents go uncompressed: see UNCOMPRESSED_JSON_CHARS).
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { handleOperation, UNCOMPRESSED_JSON_CHARS } from "./handle-operation";
import type { Operation } from "./operation";

// env() wants a database URL; a public operation without credentials never connects.
process.env.DATABASE_URL ??= "postgresql://unit@127.0.0.1:1/unused";

const op = {
  id: "testDocument",
  method: "GET",
  path: "/test-document",
  summary: "a document of a given size",
  tag: "test",
  access: "public",
  response: z.object({ text: z.string(), at: z.string(), version: z.number() }),
} satisfies Operation;

const serve = (text: string) =>
  handleOperation(op, async () => ({ text, at: new Date("2026-12-01T10:00:00Z"), version: 3, secret: "dropped" }))(
    new Request("http://127.0.0.1/api/v1/test-document"),
  );

describe("JSON responses", () => {
  it("are the schema's fields as JSON (dates as ISO strings), with the version as ETag", async () => {
    const response = await serve("hello");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("etag")).toBe('"3"');
    expect(await response.text()).toBe('{"text":"hello","at":"2026-12-01T10:00:00.000Z","version":3}');
  });

  it("under UNCOMPRESSED_JSON_CHARS forbid transformation, so Next.js does not gzip them; larger ones may be compressed", async () => {
    expect((await serve("x".repeat(100))).headers.get("cache-control")).toBe("no-store, no-transform");
    expect((await serve("x".repeat(UNCOMPRESSED_JSON_CHARS))).headers.get("cache-control")).toBe("no-store");
  });
});
