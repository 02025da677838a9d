import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildEstimate, buildProgress, formatSeconds } from "./build-progress";

describe("build progress of npm start", () => {
  it("estimates a first build at about four minutes, then from the last build on this machine", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rampart-build-"));
    const file = path.join(dir, "last-build-seconds");
    expect(buildEstimate(file)).toMatchObject({ seconds: 240, text: expect.stringContaining("4 min") });
    writeFileSync(file, "95\n");
    expect(buildEstimate(file)).toEqual({ seconds: 95, text: "the last build here took 1 min 35 s" });
  });

  it("says how long the build has run and how much is left", () => {
    expect(buildProgress(45_000, 240)).toBe("still building, 45 s so far, about 3 min 15 s left");
    expect(buildProgress(236_000, 240)).toBe("still building, 3 min 56 s so far, should finish soon");
    expect(formatSeconds(120)).toBe("2 min");
  });
});
