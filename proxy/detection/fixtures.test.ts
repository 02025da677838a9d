// Detection quality on labelled request sets, through the same raw-bytes
// path as bench/detection/run-detection.ts. Thresholds are the issue's
// targets: ≥ 97% of attacks blocked in every family, ≤ 3% of benign blocked.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseRawRequest, toRawRequest, type CorpusRecord } from "./fixtures/raw-request.js";
import { baselineConfig, compileDetector } from "./index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const SETS = [
  { name: "held-out (hand-written, tuned against)", file: path.join(here, "fixtures/held-out.jsonl") },
  { name: "blind (hand-written, one fix round)", file: path.join(here, "fixtures/blind.jsonl") },
  { name: "final-blind (hand-written, scored before any change)", file: path.join(here, "fixtures/final-blind.jsonl") },
  // the shared development corpus sits beside the repository (CI gets a copy of shared/)
  { name: "crs-dev corpus", file: path.resolve(here, "../../../shared/corpora/crs-dev.jsonl") },
];

const detector = compileDetector(baselineConfig("standard"));

function score(records: CorpusRecord[]): { perFamily: Map<string, { attacks: number; blocked: number }>; benign: number; benignBlocked: number } {
  const perFamily = new Map<string, { attacks: number; blocked: number }>();
  let benign = 0;
  let benignBlocked = 0;
  for (const r of records) {
    const blocked = detector.inspect(parseRawRequest(toRawRequest(r))).blocked;
    if (r.label === "benign") {
      benign++;
      if (blocked) benignBlocked++;
    } else {
      const f = perFamily.get(r.family) ?? { attacks: 0, blocked: 0 };
      f.attacks++;
      if (blocked) f.blocked++;
      perFamily.set(r.family, f);
    }
  }
  return { perFamily, benign, benignBlocked };
}

describe.each(SETS)("$name", ({ file }) => {
  it.skipIf(!existsSync(file))("blocks ≥ 97% of attacks in every family with at least 5 samples and ≤ 3% of benign requests", () => {
    const records = readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as CorpusRecord);
    const { perFamily, benign, benignBlocked } = score(records);
    for (const [family, { attacks, blocked }] of perFamily) {
      if (attacks >= 5) expect(blocked / attacks, family).toBeGreaterThanOrEqual(0.97);
    }
    const totalAttacks = [...perFamily.values()].reduce((a, f) => a + f.attacks, 0);
    const totalBlocked = [...perFamily.values()].reduce((a, f) => a + f.blocked, 0);
    expect(totalBlocked / totalAttacks).toBeGreaterThanOrEqual(0.97);
    expect(benignBlocked / benign).toBeLessThanOrEqual(0.03);
  });
});

describe("robustness", () => {
  // deterministic PRNG so failures reproduce
  let seed = 0x2f6b3c1d;
  const rand = (): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x100000000;
  };
  const ALPHABET = "aZ09'\"`<>()[]{};|&$%#\\/.:=,-+*@!?~_ \t\r\n\u0000\u00e9\uff1c%2e%c0%ae&#x3c;${jndi:/*--";
  const randomText = (len: number): string => {
    let s = "";
    for (let i = 0; i < len; i++) s += ALPHABET[Math.floor(rand() * ALPHABET.length)];
    return s;
  };

  it("never throws on random and mutated requests", () => {
    const strict = compileDetector(baselineConfig("strict"));
    const types = ["application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=", "text/xml", "text/plain", ""];
    for (let i = 0; i < 2000; i++) {
      const len = Math.floor(rand() * 400);
      const body = rand() < 0.5 ? Buffer.from(randomText(len)) : Buffer.from(Array.from({ length: len }, () => Math.floor(rand() * 256)));
      expect(() =>
        strict.inspect({
          method: rand() < 0.5 ? "GET" : "POST",
          path: `/${randomText(Math.floor(rand() * 60))}`,
          query: randomText(Math.floor(rand() * 80)),
          headers: [
            [randomText(8), randomText(40)],
            ["Cookie", randomText(60)],
            ["Content-Type", types[Math.floor(rand() * types.length)]! + randomText(4)],
            ["Transfer-Encoding", randomText(6)],
          ],
          body,
        }),
      ).not.toThrow();
    }
  }, 60_000);
});
