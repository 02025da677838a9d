import { describe, expect, it } from "vitest";
import { expiryStageOf } from "./exception-expiry-stage";

const now = new Date("2027-01-10T15:30:00Z");

describe("expiryStageOf", () => {
  it("stays silent while an exception is more than 14 days from expiry", () => {
    expect(expiryStageOf("2027-01-25", now)).toBeNull();
  });

  it("warns at the tightest threshold the exception is within", () => {
    expect(expiryStageOf("2027-01-24", now)).toEqual({ stage: "14d", daysLeft: 14 });
    expect(expiryStageOf("2027-01-14", now)).toEqual({ stage: "14d", daysLeft: 4 });
    expect(expiryStageOf("2027-01-13", now)).toEqual({ stage: "3d", daysLeft: 3 });
  });

  it("counts the expiry day as still in force, and the day after as expired", () => {
    expect(expiryStageOf("2027-01-10", now)).toEqual({ stage: "3d", daysLeft: 0 });
    expect(expiryStageOf("2027-01-09", now)).toEqual({ stage: "expired", daysLeft: -1 });
  });
});
