import { describe, expect, it } from "vitest";
import { nextRetryDelayMs, WEBHOOK_MAX_ATTEMPTS } from "./webhook-backoff";

describe("nextRetryDelayMs", () => {
  it("doubles from 30 seconds", () => {
    expect([1, 2, 3, 4].map((n) => nextRetryDelayMs(n))).toEqual([30_000, 60_000, 120_000, 240_000]);
  });

  it("never waits longer than two hours", () => {
    expect(nextRetryDelayMs(9, 50)).toBe(2 * 60 * 60_000);
    expect(nextRetryDelayMs(40, 50)).toBe(2 * 60 * 60_000);
  });

  it("gives up after the last attempt", () => {
    expect(nextRetryDelayMs(WEBHOOK_MAX_ATTEMPTS - 1)).not.toBeNull();
    expect(nextRetryDelayMs(WEBHOOK_MAX_ATTEMPTS)).toBeNull();
    expect(nextRetryDelayMs(3, 3)).toBeNull();
  });
});
