import { afterEach, describe, expect, it, vi } from "vitest";
import { scheduleSweep } from "./schedule-sweep";

afterEach(() => vi.useRealTimers());

describe("scheduleSweep", () => {
  it("sweeps after the start-up delay and then every interval, never overlapping a slow sweep, logging failures and carrying on", async () => {
    vi.useFakeTimers();
    const log: string[] = [];
    let calls = 0;
    let release: (() => void) | null = null;
    const stop = scheduleSweep({
      name: "test",
      intervalMs: 60_000,
      log: (line) => log.push(line),
      sweep: async () => {
        calls += 1;
        if (calls === 1) return "first";
        if (calls === 2) await new Promise<void>((resolve) => (release = resolve)); // slow
        if (calls === 3) throw new Error("database gone");
        return null;
      },
    });
    await vi.advanceTimersByTimeAsync(15_000); // start-up delay is 5–15 s
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000); // second sweep starts and hangs
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(120_000); // ticks while it hangs are skipped
    expect(calls).toBe(2);
    release!();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toBe(3);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toBe(4);
    expect(log).toEqual(["[test] first", "[test] sweep failed, retrying at the next tick: database gone"]);
    stop();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(calls).toBe(4);
  });
});
