// node --import tsx bench/portal/cpu-profile-summary.ts DIR_OR_FILE… [--top N] [--window-of FRAME]
//
// Where a portal's CPU went, from the profiles `npm run bench:portal -- --cpu-prof DIR`
// leaves (one per process): self time summed by owner (our code, Next.js, React, Prisma,
// pg, zod, Node.js, the garbage collector) and the functions with the most self time.
// Frames in the build (.next/) are mapped back to their sources through the build's
// source maps, so our code is named by its file and line, not by a chunk.
//
// A profile covers the whole process: start-up (module loading) and every endpoint the run
// drove. --window-of FRAME keeps only the samples between the first and the last with a
// frame on their stack whose function is FRAME or whose source path contains it (the build
// minifies our function names, so a file: `--window-of lib/approvals/find-approval-queue.ts`
// with `--only approvals`): the time that endpoint was under load, with its garbage
// collection and Next.js's work around it.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SourceMap } from "node:module";

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type CpuProfile = { nodes: { id: number; callFrame: CallFrame; children?: number[] }[]; samples: number[]; timeDeltas: number[] };

const maps = new Map<string, SourceMap | null>();

function sourceMapOf(file: string): SourceMap | null {
  let map = maps.get(file);
  if (map !== undefined) return map;
  map = null;
  if (existsSync(`${file}.map`)) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, "utf8")));
    } catch {
      // An unreadable map leaves the frame named by its chunk.
    }
  }
  maps.set(file, map);
  return map;
}

/** The frame's source file and line, through the build's source map when it is in .next/. */
export function locate(frame: CallFrame): { source: string; line: number } {
  const file = frame.url.startsWith("file://") ? fileURLToPath(frame.url) : frame.url;
  if (file.includes("/.next/")) {
    const entry = sourceMapOf(file)?.findEntry(frame.lineNumber, frame.columnNumber);
    if (entry && "originalSource" in entry) return { source: entry.originalSource, line: entry.originalLine + 1 };
  }
  return { source: file, line: frame.lineNumber + 1 };
}

const OWNERS: [string, RegExp][] = [
  ["prisma", /@prisma\/|lib\/generated\/prisma/],
  ["pg", /node_modules\/(pg|pg-protocol|pg-types|pg-pool|postgres-[a-z]+)\//],
  ["next", /node_modules\/next\/|\bnext\/dist\//],
  ["react", /node_modules\/(react|react-dom|react-server-dom-[a-z]+)\/|\breact-dom\b|react-server-dom/],
  ["zod", /node_modules\/zod\//],
  ["node", /^node:|^internal\//],
  ["ours", /(^|\/)(app|lib|components|proxy\.ts)(\/|$)/],
];

/** Who a frame belongs to: our code, a dependency by name, Node.js, or V8's own entries. */
export function ownerOf(source: string, functionName: string): string {
  if (!source) return /^\((garbage collector|program|root)\)$/.test(functionName) ? functionName : "native";
  const normalised = source.includes("node_modules/") ? `node_modules/${source.split("node_modules/").at(-1)}` : source;
  for (const [owner, pattern] of OWNERS) {
    if (owner === "ours" && normalised.startsWith("node_modules/")) continue;
    if (pattern.test(normalised)) return owner;
  }
  return normalised.startsWith("node_modules/") ? `deps:${normalised.split("/")[1]}` : "other";
}

function profilesIn(target: string): string[] {
  if (!statSync(target).isDirectory()) return [target];
  return readdirSync(target)
    .filter((name) => name.endsWith(".cpuprofile"))
    .map((name) => path.join(target, name));
}

/** The sample indices between the first and the last sample with `frame` on its stack (all of them without one). */
function windowOf(profile: CpuProfile, frame: string | null): [number, number] {
  if (!frame) return [0, profile.samples.length - 1];
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const onStack = new Map<number, boolean>();
  const hasFunction = (id: number): boolean => {
    const known = onStack.get(id);
    if (known !== undefined) return known;
    const up = parent.get(id);
    const callFrame = byId.get(id)!.callFrame;
    const found = callFrame.functionName === frame || locate(callFrame).source.includes(frame) || (up !== undefined && hasFunction(up));
    onStack.set(id, found);
    return found;
  };
  const hits = profile.samples.flatMap((id, i) => (hasFunction(id) ? [i] : []));
  return hits.length === 0 ? [1, 0] : [hits[0]!, hits.at(-1)!];
}

function summarise(files: string[], top: number, windowFrame: string | null): string {
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    const self = new Map<number, number>();
    const [first, last] = windowOf(profile, windowFrame);
    for (let i = first; i <= last; i++) {
      const id = profile.samples[i]!;
      self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
    }
    for (const [id, micros] of self) {
      const frame = nodes.get(id)!.callFrame;
      const name = frame.functionName || "(anonymous)";
      if (name === "(idle)") continue;
      const { source, line } = locate(frame);
      const owner = ownerOf(source, name);
      busy += micros;
      byOwner.set(owner, (byOwner.get(owner) ?? 0) + micros);
      const where = source ? ` ${source.replace(/^.*node_modules\//, "")}:${line}` : "";
      const key = `${owner.padEnd(18)} ${name}${where}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
    }
  }
  const share = (micros: number) => `${((100 * micros) / busy).toFixed(1).padStart(5)} %`;
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
  return [
    `${files.length} profile(s), ${(busy / 1000).toFixed(0)} ms of CPU (idle excluded)${windowFrame ? `, while ${windowFrame} ran` : ""}`,
    "",
    "self time by owner:",
    ...sorted(byOwner).map(([owner, micros]) => `${share(micros)}  ${owner}`),
    "",
    `top ${top} functions by self time:`,
    ...sorted(byFunction)
      .slice(0, top)
      .map(([key, micros]) => `${share(micros)}  ${key}`),
  ].join("\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const topAt = argv.indexOf("--top");
  const top = topAt >= 0 ? Number(argv.splice(topAt, 2)[1]) : 30;
  const windowAt = argv.indexOf("--window-of");
  const windowFrame = windowAt >= 0 ? argv.splice(windowAt, 2)[1]! : null;
  if (argv.length === 0) throw new Error("usage: cpu-profile-summary.ts DIR_OR_FILE… [--top N] [--window-of FRAME]");
  process.stdout.write(`${summarise(argv.flatMap(profilesIn), top, windowFrame)}\n`);
}
