// The deterministic tuned / held-back split of every bench corpus, by
// technique: a CRS record's technique is its rule id ("crs.942100"), a
// generated record names its own ("php.variable-function"), a fixture record
// its id prefix. Within each family the techniques are ordered by the FNV-1a
// hash of their name and every third one (positions 2, 5, 8…) is held back:
// each family keeps about a third of its techniques out of tuning, and
// adding a technique moves at most the techniques after it in that order.
// Rounds are split separately: a record with `round: 3` (the techniques of
// corpora/generate-round3.ts, written before round 3's tuning) is ordered
// only among round-3 techniques of its family, so adding a round never moves
// an older round's technique to the other side. Round 4 (`round: 4`, third-
// party lists read by corpora/generate-round4.ts) is split the same way, on
// its own, by the techniques that generator names (source × shape).
// Round 5 (`round: 5`, wapiti's payload files read by
// corpora/generate-round5.ts) is split on its own in the same way, so its
// held-back side is measured against a second outside source that no rule was
// tuned on before the split was committed.
// Rules are tuned on the "tuned" side only (run-detection --show lists the
// tuned side's misses and nothing of the held-back side unless asked).
import type { CorpusRecord } from "../../proxy/detection/fixtures/raw-request.js";

export type Side = "tuned" | "held-back";

export interface BenchRecord extends CorpusRecord {
  technique?: string;
  rule?: number;
  /** Evaluation round that introduced the technique (3, 4, 5); absent = rounds 1–2. */
  round?: number;
}

export function roundOf(r: BenchRecord): number {
  return r.round ?? 1;
}

export function techniqueOf(r: BenchRecord): string {
  if (r.technique) return r.technique;
  if (typeof r.rule === "number") return `crs.${r.rule}`;
  return `${r.family}.${r.id.replace(/-\d+$/, "")}`;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** technique → side, computed over the whole record set (round by round, family by family). */
export function splitByTechnique(records: readonly BenchRecord[]): Map<string, Side> {
  const byFamily = new Map<string, Set<string>>();
  for (const r of records) {
    const key = `${roundOf(r)}:${r.family}`;
    const set = byFamily.get(key) ?? new Set<string>();
    set.add(techniqueOf(r));
    byFamily.set(key, set);
  }
  const side = new Map<string, Side>();
  for (const techniques of byFamily.values()) {
    const ordered = [...techniques].sort((a, b) => fnv1a(a) - fnv1a(b) || (a < b ? -1 : 1));
    ordered.forEach((t, i) => side.set(t, i % 3 === 2 ? "held-back" : "tuned"));
  }
  return side;
}
