import { describe, expect, it } from "vitest";
import { readSweepSettings, sweepsOffEnv } from "./sweep-settings";

describe("sweep settings", () => {
  it("default to 300 s for exception expiry and 30 s for webhooks", () => {
    expect(readSweepSettings({})).toEqual({ EXCEPTION_EXPIRY_SWEEP_SECONDS: 300, WEBHOOK_SWEEP_SECONDS: 30 });
  });

  it("read whole seconds, 0 meaning off", () => {
    expect(readSweepSettings({ EXCEPTION_EXPIRY_SWEEP_SECONDS: "0", WEBHOOK_SWEEP_SECONDS: "5" })).toEqual({
      EXCEPTION_EXPIRY_SWEEP_SECONDS: 0,
      WEBHOOK_SWEEP_SECONDS: 5,
    });
  });

  it.each(["-1", "1.5", "soon"])("refuse %s, naming the variable", (raw) => {
    expect(() => readSweepSettings({ WEBHOOK_SWEEP_SECONDS: raw })).toThrow(`WEBHOOK_SWEEP_SECONDS must be a whole number of seconds (0: off), not ${raw}`);
  });

  it("turn every sweep it reads off for the workers after the first", () => {
    const off = readSweepSettings(sweepsOffEnv());
    expect(Object.values(off)).toEqual([0, 0]);
    expect(Object.keys(sweepsOffEnv()).sort()).toEqual(Object.keys(readSweepSettings({})).sort());
  });
});
