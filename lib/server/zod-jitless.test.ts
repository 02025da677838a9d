import { describe, expect, it } from "vitest";

describe("instrumentation-client.ts", () => {
  it("turns zod's eval-based compilation off without importing zod (the CSP forbids eval)", async () => {
    await import("../../instrumentation-client");
    const { z } = await import("zod");
    expect(z.config().jitless).toBe(true);
  });
});
