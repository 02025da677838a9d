// --decision-log FILE --decision-log-max-bytes N through the real proxy: the
// file is renamed to FILE.1 when the next write would take it past N, no line
// is lost or cut at the boundary, and only one old generation is kept. The test
// waits for the files to change (a write per refused request, flushed), never
// for time.

import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOrigin, type Origin } from "../test-support/origin-server.js";
import { sendRaw } from "../test-support/raw-http.js";
import { BASELINE, startTestProxy, type TestProxy } from "../test-support/start-test-proxy.js";

const MAX_BYTES = 4096;

let origin: Origin;
let proxy: TestProxy;
let directory: string;
let file: string;
let counter = 0;

beforeAll(async () => {
  origin = await startOrigin();
  directory = mkdtempSync(path.join(os.tmpdir(), "rampart-decision-log-"));
  file = path.join(directory, "decisions.jsonl");
  proxy = await startTestProxy(
    ["--policy", BASELINE, "--upstream", origin.url, "--decision-log", file, "--decision-log-max-bytes", String(MAX_BYTES), "--decision-sample", "0"],
    { decisionLogFromArgs: true },
  );
});
afterAll(async () => {
  await proxy.stop();
  await origin.close();
  rmSync(directory, { recursive: true, force: true });
});

/** Sends one request the admin blocking refuses and writes its decision line now; returns its path. */
async function refuseOne(): Promise<string> {
  const target = `/admin/rotation-${++counter}`;
  const res = await sendRaw(proxy.port, `GET ${target} HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n`);
  expect(res.status).toBe(403);
  proxy.running.worker!.flushDecisions();
  return target;
}

/** The paths of the decision lines in `name`, each line whole JSON. */
function pathsIn(name: string): string[] {
  if (!existsSync(name)) return [];
  const text = readFileSync(name, "utf8");
  expect(text.endsWith("\n"), `${name} ends mid-line`).toBe(true);
  return text
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => (JSON.parse(l) as { path: string }).path);
}

/** Refuses requests until `changed()` holds after one of them (at most `limit`); returns the paths sent. */
async function refuseUntil(changed: () => boolean, limit = 200): Promise<string[]> {
  const sent: string[] = [];
  while (!changed()) {
    if (sent.length >= limit) throw new Error(`no rotation after ${limit} decision lines`);
    sent.push(await refuseOne());
  }
  return sent;
}

describe("the decision log rotates at its size", () => {
  it("renames the file to FILE.1 when the next line would pass the bound, losing and cutting nothing, and keeps one old generation", async () => {
    const old = `${file}.1`;
    const first = await refuseUntil(() => existsSync(old));
    // Every line so far, in order, once: the old generation followed by the new file.
    expect([...pathsIn(old), ...pathsIn(file)]).toEqual(first);
    expect(pathsIn(file)).toHaveLength(1);
    // Rotated at the size: the old file is within the bound, and the line that opened the new one would have passed it.
    const oldSize = statSync(old).size;
    expect(oldSize).toBeLessThanOrEqual(MAX_BYTES);
    expect(oldSize + statSync(file).size).toBeGreaterThan(MAX_BYTES);

    const firstGeneration = pathsIn(old);
    const oldInode = statSync(old).ino;
    const second = await refuseUntil(() => statSync(old).ino !== oldInode);
    // The second rotation replaced FILE.1: the first generation is gone, what is left is the latest lines without a gap.
    const kept = [...pathsIn(old), ...pathsIn(file)];
    const all = [...first, ...second];
    expect(kept).toEqual(all.slice(all.length - kept.length));
    expect(kept.some((p) => firstGeneration.includes(p))).toBe(false);
    expect(kept.length).toBe(all.length - firstGeneration.length);
    expect(statSync(old).size).toBeLessThanOrEqual(MAX_BYTES);
    expect(statSync(file).size).toBeLessThanOrEqual(MAX_BYTES);
  });
});
