import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseSearchParams, withUtcMinutes } from "./search-params";

describe("page search params", () => {
  it("reads datetime-local filter values as UTC, 'to' to the end of its minute", () => {
    expect(withUtcMinutes({ from: "2026-12-07T09:30", to: "2026-12-07T10:00", q: "x" })).toEqual({
      from: "2026-12-07T09:30:00Z",
      to: "2026-12-07T10:00:59.999Z",
      q: "x",
    });
    // Anything else is left for the schema to judge.
    expect(withUtcMinutes({ from: "2026-12-07T09:30:00+01:00", to: ["2026-12-07T10:00"] })).toEqual({
      from: "2026-12-07T09:30:00+01:00",
      to: ["2026-12-07T10:00"],
    });
  });

  it("drops an invalid value with its error and keeps the other filters", () => {
    const schema = z.object({ page: z.coerce.number().int().min(1).default(1), q: z.string().optional() });
    const { query, errors } = parseSearchParams(schema, { page: "zero", q: "shop", other: "ignored" }, ["page", "q"]);
    expect(query).toEqual({ page: 1, q: "shop" });
    expect(errors.map((e) => e.path)).toEqual(["query.page"]);
  });
});
