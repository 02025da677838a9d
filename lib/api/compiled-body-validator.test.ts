import { describe, expect, it } from "vitest";
import { z } from "zod";
import { securityEventBatchSchema } from "@/lib/policy-spec/security-events-schema";
import { compileBodyValidator } from "./compiled-body-validator";

const event = {
  time: "2026-12-07T10:00:00.123Z",
  requestId: "r-1",
  applicationId: "app",
  policyVersionId: null,
  policyHash: "sha256:x",
  action: "blocked",
  family: "sqli",
  ruleId: "sqli.union-select",
  method: "GET",
  host: "shop.example",
  path: "/search",
  part: "parameter",
  parameter: "q",
  excerpt: "1 UNION SELECT",
  clientIp: "192.0.2.1",
  status: 403,
};
const counter = { minute: "2026-12-07T10:00:00Z", applicationId: null, family: "sqli", ruleId: "sqli.union-select", action: "logged", count: 3 };
const batch = { batchId: "3f0c7a4e-1b2d-4c5e-8f9a-0b1c2d3e4f50", instanceId: "proxy-1", events: [event], counters: [counter], dropped: 0 };

// Each variant changes one field of a valid batch; the compiled check must agree with zod on every one.
const eventVariants: Array<Record<string, unknown>> = [
  { time: "2026-12-07T10:00:00Z" },
  { time: "2026-12-07T10:00:00+01:00" },
  { time: "2026-12-07 10:00:00Z" },
  { time: "2026-02-29T10:00:00Z" },
  { time: "2024-02-29T10:00:00Z" },
  { time: "2026-12-07T24:00:00Z" },
  { time: "2026-12-07t10:00:00z" },
  { time: "yesterday" },
  { time: 1 },
  { requestId: "" },
  { requestId: "x".repeat(100) },
  { requestId: "x".repeat(101) },
  { applicationId: "" },
  { applicationId: undefined },
  { policyVersionId: "v1" },
  { policyHash: "" },
  { action: "allowed" },
  { action: "Blocked" },
  // Lengths count code points, as zod does: 41 emoji are 82 UTF-16 units but 41 characters.
  { excerpt: "😀".repeat(41) },
  { excerpt: "😀".repeat(80) },
  { excerpt: "😀".repeat(81) },
  { excerpt: "é".repeat(80) },
  { excerpt: "é".repeat(81) },
  { family: "" },
  { family: null },
  { status: 1.5 },
  { status: -1 },
  { status: 999 },
  { status: 1000 },
  { status: "403" },
  { extra: true },
  { path: "p".repeat(600) },
  { path: "p".repeat(601) },
];
const batchVariants: Array<Record<string, unknown>> = [
  { batchId: "nope" },
  { batchId: "3F0C7A4E-1B2D-4C5E-8F9A-0B1C2D3E4F50" },
  { batchId: "3f0c7a4e-1b2d-9c5e-8f9a-0b1c2d3e4f50" },
  { batchId: "00000000-0000-0000-0000-000000000000" },
  { instanceId: "" },
  { dropped: -1 },
  { dropped: 1_000_000_001 },
  { events: Array.from({ length: 2000 }, () => event) },
  { events: Array.from({ length: 2001 }, () => event) },
  { events: {} },
  { counters: [{ ...counter, count: 0 }] },
  { counters: [{ ...counter, minute: "2026-12-07T10:00Z" }] },
  { counters: [{ ...counter, unknown: 1 }] },
  { more: 1 },
];

describe("compileBodyValidator", () => {
  const compiled = compileBodyValidator(securityEventBatchSchema);
  const disagreements = (values: Array<[string, unknown]>) =>
    values.filter(([, value]) => compiled(value) !== securityEventBatchSchema.safeParse(value).success).map(([name]) => name);

  it("accepts a valid batch, and agrees with zod on every variant of an event and of the batch", () => {
    expect(compiled(batch)).toBe(true);
    const name = (variant: Record<string, unknown>) => JSON.stringify(variant).slice(0, 80);
    expect(
      disagreements([
        ...eventVariants.map((v): [string, unknown] => [`event ${name(v)}`, { ...batch, events: [event, { ...event, ...v }] }]),
        ...batchVariants.map((v): [string, unknown] => [`batch ${name(v)}`, { ...batch, ...v }]),
        ["null", null],
        ["[]", []],
        ['"batch"', "batch"],
      ]),
    ).toEqual([]);
  });

  it("refuses schemas whose output is not their input (the accepted value is passed on as it came)", () => {
    expect(() => compileBodyValidator(z.object({ n: z.string().default("x") }))).toThrow();
    expect(() => compileBodyValidator(z.object({ n: z.string().transform((s) => s.length) }))).toThrow();
  });
});
