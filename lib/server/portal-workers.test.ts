import { describe, expect, it } from "vitest";
import { poolSizePerWorker, portalWorkerCount } from "./portal-workers";

describe("portalWorkerCount", () => {
  it("runs one worker per CPU unless told otherwise", () => {
    expect(portalWorkerCount(undefined, 8)).toBe(8);
    expect(portalWorkerCount("", 2)).toBe(2);
    expect(portalWorkerCount("auto", 4)).toBe(4);
    expect(portalWorkerCount("3", 8)).toBe(3);
    expect(portalWorkerCount("1", 8)).toBe(1);
  });

  it("refuses anything but a whole number of workers, naming the variable", () => {
    for (const bad of ["0", "-1", "1.5", "many", "1000"]) expect(() => portalWorkerCount(bad, 2)).toThrow(/RAMPART_WORKERS/);
  });
});

describe("poolSizePerWorker", () => {
  it("shares half the server's connections among the workers, between 2 and 10 each", () => {
    // PostgreSQL's defaults: 100 connections, 3 reserved for superusers.
    expect(poolSizePerWorker({ maxConnections: 100, reserved: 3, workers: 2 })).toBe(10);
    expect(poolSizePerWorker({ maxConnections: 100, reserved: 3, workers: 8 })).toBe(5);
    expect(poolSizePerWorker({ maxConnections: 100, reserved: 3, workers: 64 })).toBe(2);
    expect(poolSizePerWorker({ maxConnections: 500, reserved: 3, workers: 4 })).toBe(10);
  });
});
