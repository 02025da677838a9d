// npm run bench:detection -- [corpus.jsonl …] [http://proxy:port | --in-process] [--show] [--show-held]
// npm run bench:detection -- --content-profiles [--show]   (content profiles per field, issue #21)
//
// Replays labelled JSONL corpora as raw HTTP bytes and prints, per corpus
// family, the share of attacks blocked and of benign requests passed —
// overall and separately for the tuned and the held-back techniques
// (split.ts). Without corpus arguments: ../shared/corpora/crs-dev.jsonl plus
// the generated bench/detection/corpora/{attacks,benign}.jsonl, rounds 3,
// 4 and 5 (built in memory from third-party lists installed on the machine,
// corpora/generate-round4.ts and generate-round5.ts; absent sources are named
// and skipped).
// Against a proxy, "blocked" means status 403. With --in-process the raw
// bytes are parsed here and evaluated by the detection engine with every
// family at standard/block ("baseline standard"); basic and strict are run
// too, as the baseline for comparison.
import { readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { baselineConfig, compileDetector, type Level } from "../../proxy/detection/index.js";
import { parseRawRequest, toRawRequest } from "../../proxy/detection/fixtures/raw-request.js";
import { buildRound4 } from "./corpora/generate-round4.js";
import { buildRound5 } from "./corpora/generate-round5.js";
import { roundOf, splitByTechnique, techniqueOf, type BenchRecord, type Side } from "./split.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const DEFAULT_CORPORA = [
  path.resolve(here, "../../../shared/corpora/crs-dev.jsonl"),
  path.resolve(here, "corpora/attacks.jsonl"),
  path.resolve(here, "corpora/benign.jsonl"),
  path.resolve(here, "corpora/attacks-round3.jsonl"),
  path.resolve(here, "corpora/benign-round3.jsonl"),
];

interface Outcome {
  record: BenchRecord;
  blocked: boolean;
  /** No HTTP status could be read (connection refused, reset, timeout): neither blocked nor passed. */
  failed: boolean;
  detail: string;
}

function parseArgs(argv: string[]): { corpora: string[]; url: string | null; inProcess: boolean; show: boolean; showHeld: boolean; level: Level } {
  const corpora: string[] = [];
  let showHeld = false;
  let url: string | null = null;
  let inProcess = false;
  let show = false;
  let level: Level = "standard";
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--in-process") inProcess = true;
    else if (a === "--show") show = true;
    else if (a === "--show-held") showHeld = true;
    else if (a === "--level") level = argv[++i] as Level;
    else if (/^https?:\/\//.test(a)) url = a;
    else if (a === "--corpus") corpora.push(argv[++i]!);
    else if (!a.startsWith("--")) corpora.push(a);
    else throw new Error(`unknown argument ${a}`);
  }
  if (!inProcess && url === null) throw new Error("give a proxy URL (http://127.0.0.1:8080) or --in-process");
  return { corpora: corpora.length > 0 ? corpora : DEFAULT_CORPORA, url, inProcess, show, showHeld, level };
}

function loadCorpus(file: string): BenchRecord[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as BenchRecord);
}

function runInProcess(records: BenchRecord[], level: Level): Outcome[] {
  const detector = compileDetector(baselineConfig(level, "block"));
  return records.map((record) => {
    const result = detector.inspect(parseRawRequest(toRawRequest(record)));
    const detail = result.matches.map((m) => `${m.ruleId}@${m.part}${m.name ? `:${m.name}` : ""}[${m.excerpt}]`).join(" ");
    return { record, blocked: result.blocked, failed: false, detail };
  });
}

function sendRaw(url: URL, raw: Buffer, timeoutMs = 10_000): Promise<number> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port || 80) });
    const chunks: Buffer[] = [];
    const done = (status: number): void => {
      socket.destroy();
      resolve(status);
    };
    socket.setTimeout(timeoutMs, () => done(-1));
    socket.on("connect", () => socket.write(raw));
    socket.on("data", (d) => chunks.push(d));
    socket.on("error", () => done(-1));
    socket.on("end", () => {
      const m = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(Buffer.concat(chunks).subarray(0, 64).toString("latin1"));
      done(m ? Number(m[1]) : -1);
    });
  });
}

async function runOverNetwork(records: BenchRecord[], target: string, concurrency = 8): Promise<Outcome[]> {
  const url = new URL(target);
  const out: Outcome[] = new Array(records.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < records.length) {
      const i = next++;
      const record = records[i]!;
      const status = await sendRaw(url, toRawRequest(record));
      out[i] = { record, blocked: status === 403, failed: status < 0, detail: `status ${status}` };
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}

function pct(a: number, b: number): string {
  return b === 0 ? "    -" : `${((100 * a) / b).toFixed(1).padStart(5)}%`;
}

function printTable(title: string, outcomes: Outcome[]): { attackRate: number; benignBlockedRate: number; worstFamily: number } {
  const families = [...new Set(outcomes.map((o) => o.record.family))].sort();
  console.log(`\n${title}`);
  console.log("family     attacks  blocked   benign  passed  benign-blocked");
  let ta = 0;
  let tab = 0;
  let tb = 0;
  let tbp = 0;
  let worst = 1;
  for (const f of families) {
    const rows = outcomes.filter((o) => o.record.family === f);
    const attacks = rows.filter((o) => o.record.label === "attack");
    const benign = rows.filter((o) => o.record.label === "benign");
    const ab = attacks.filter((o) => o.blocked).length;
    const bp = benign.filter((o) => !o.blocked && !o.failed).length;
    ta += attacks.length;
    tab += ab;
    tb += benign.length;
    tbp += bp;
    if (attacks.length > 0) worst = Math.min(worst, ab / attacks.length);
    const bb = benign.filter((o) => o.blocked).length;
    console.log(
      `${f.padEnd(10)} ${String(attacks.length).padStart(7)}  ${pct(ab, attacks.length)}  ${String(benign.length).padStart(7)}  ${pct(bp, benign.length)}  ${pct(bb, benign.length)}`,
    );
  }
  const totalBenignBlocked = outcomes.filter((o) => o.record.label === "benign" && o.blocked).length;
  console.log(`${"TOTAL".padEnd(10)} ${String(ta).padStart(7)}  ${pct(tab, ta)}  ${String(tb).padStart(7)}  ${pct(tbp, tb)}  ${pct(totalBenignBlocked, tb)}`);
  const failed = outcomes.filter((o) => o.failed).length;
  if (failed > 0) console.log(`${failed} request(s) got no HTTP response (counted as neither blocked nor passed)`);
  return { attackRate: ta ? tab / ta : 1, benignBlockedRate: tb ? totalBenignBlocked / tb : 0, worstFamily: worst };
}

/** Per family: attacks blocked and benign blocked, for the tuned and the held-back techniques side by side. */
function printSplit(outcomes: Outcome[], sides: Map<string, Side>): { heldWorst: number; heldBenign: number } {
  const families = [...new Set(outcomes.map((o) => o.record.family))].sort();
  const cell = (rows: Outcome[]): string => {
    const a = rows.filter((o) => o.record.label === "attack");
    const b = rows.filter((o) => o.record.label === "benign");
    return `${String(a.length).padStart(5)} ${pct(a.filter((o) => o.blocked).length, a.length)} ${String(b.length).padStart(5)} ${pct(b.filter((o) => o.blocked).length, b.length)}`;
  };
  console.log("\nby technique split (attacks n, blocked; benign n, benign blocked)");
  console.log(`family     ${"tuned".padEnd(27)}   held-back`);
  let heldWorst = 1;
  for (const f of [...families, "TOTAL"]) {
    const rows = f === "TOTAL" ? outcomes : outcomes.filter((o) => o.record.family === f);
    const tuned = rows.filter((o) => sides.get(techniqueOf(o.record)) === "tuned");
    const held = rows.filter((o) => sides.get(techniqueOf(o.record)) === "held-back");
    const ha = held.filter((o) => o.record.label === "attack");
    if (f !== "TOTAL" && ha.length > 0) heldWorst = Math.min(heldWorst, ha.filter((o) => o.blocked).length / ha.length);
    console.log(`${f.padEnd(10)} ${cell(tuned)}   ${cell(held)}`);
  }
  const hb = outcomes.filter((o) => o.record.label === "benign" && sides.get(techniqueOf(o.record)) === "held-back");
  return { heldWorst, heldBenign: hb.length ? hb.filter((o) => o.blocked).length / hb.length : 0 };
}

/** The same split table for the older rounds and for round 3 on their own: round 3's held-back side is the honest unseen figure. */
function printSplitsByRound(outcomes: Outcome[], sides: Map<string, Side>): void {
  const rounds = [...new Set(outcomes.map((o) => roundOf(o.record)))].sort();
  if (rounds.length < 2) return;
  for (const r of rounds) {
    console.log(
      `\n— ${r === 1 ? "rounds 1–2 (crs-dev, attacks.jsonl, benign.jsonl)" : r === 4 ? "round 4 only (third-party lists and content)" : r === 5 ? "round 5 only (wapiti payload files, a second outside scanner)" : `round ${r} only`} —`,
    );
    const held = printSplit(
      outcomes.filter((o) => roundOf(o.record) === r),
      sides,
    );
    console.log(`held-back worst family ${(100 * held.heldWorst).toFixed(1)}%, held-back benign blocked ${(100 * held.heldBenign).toFixed(1)}%`);
  }
}

async function main(): Promise<void> {
  // Content profiles per field have their own corpus and runner (bench/detection/content-profiles.ts).
  if (process.argv.includes("--content-profiles")) {
    const { runContentProfilesBench } = await import("./content-profiles.js");
    runContentProfilesBench();
    return;
  }
  const args = parseArgs(process.argv.slice(2));
  const records = args.corpora.flatMap(loadCorpus);
  console.log(`corpora: ${args.corpora.map((c) => path.relative(process.cwd(), c)).join(", ")} (${records.length} requests)`);
  if (args.corpora === DEFAULT_CORPORA) {
    const round4 = buildRound4();
    records.push(...round4.records);
    console.log(`round 4 (built now, corpora/generate-round4.ts): ${round4.records.length} requests from ${round4.sources.join("; ") || "no source"}`);
    for (const m of round4.missing) console.log(`round 4: source absent, skipped: ${m}`);
    const round5 = buildRound5();
    records.push(...round5.records);
    console.log(`round 5 (built now, corpora/generate-round5.ts): ${round5.records.length} requests from ${round5.sources.join("; ") || "no source"}`);
    for (const m of round5.missing) console.log(`round 5: source absent, skipped: ${m}`);
  }
  const sides = splitByTechnique(records);
  let outcomes: Outcome[];
  if (args.inProcess) {
    outcomes = runInProcess(records, args.level);
    const summary = printTable(`in-process, every family at ${args.level}/block`, outcomes);
    for (const other of ["basic", "standard", "strict"] as Level[]) {
      if (other === args.level) continue;
      const o = runInProcess(records, other);
      const attacks = o.filter((x) => x.record.label === "attack");
      const benign = o.filter((x) => x.record.label === "benign");
      console.log(
        `baseline ${other.padEnd(8)}: attacks blocked ${pct(attacks.filter((x) => x.blocked).length, attacks.length)}, benign blocked ${pct(benign.filter((x) => x.blocked).length, benign.length)}`,
      );
    }
    const held = printSplit(outcomes, sides);
    printSplitsByRound(outcomes, sides);
    console.log(
      `\ntargets: every family ≥ 95% blocked on held-back techniques (worst ${(100 * held.heldWorst).toFixed(1)}%; all techniques worst ${(100 * summary.worstFamily).toFixed(1)}%), benign blocked ≤ 2% (${(100 * summary.benignBlockedRate).toFixed(1)}%)`,
    );
  } else {
    outcomes = await runOverNetwork(records, args.url!);
    printTable(`proxy ${args.url} (blocked = 403)`, outcomes);
    printSplit(outcomes, sides);
    printSplitsByRound(outcomes, sides);
  }
  if (args.show || args.showHeld) {
    const visible = (o: Outcome): boolean => args.showHeld || sides.get(techniqueOf(o.record)) === "tuned";
    console.log(`\nmissed attacks${args.showHeld ? "" : " (tuned techniques only)"}:`);
    for (const o of outcomes)
      if (visible(o) && o.record.label === "attack" && !o.blocked)
        console.log(
          `  ${techniqueOf(o.record)} ${o.record.id} ${o.record.method} ${o.record.uri.slice(0, 100)} ${(o.record.body ?? "").slice(0, 160).replace(/\s+/g, " ")}`,
        );
    console.log(`\nblocked benign${args.showHeld ? "" : " (tuned techniques only)"}:`);
    for (const o of outcomes)
      if (visible(o) && o.record.label === "benign" && o.blocked) console.log(`  ${techniqueOf(o.record)} ${o.record.id} ${o.detail.slice(0, 200)}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
