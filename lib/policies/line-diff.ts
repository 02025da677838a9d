// A line-by-line comparison of two texts for a side-by-side view: rows pair each line
// of the left text with a line of the right one, or with nothing where a line was
// removed or added. A shortest edit script (the `diff` package), so moved blocks show as
// remove + add. Pure: the diff page computes it on the server, tests on their own.

import { diffArrays } from "diff";

export type LineDiffRow =
  | { kind: "same"; left: { number: number; text: string }; right: { number: number; text: string } }
  | { kind: "changed"; left: { number: number; text: string }; right: { number: number; text: string } }
  | { kind: "removed"; left: { number: number; text: string }; right: null }
  | { kind: "added"; left: null; right: { number: number; text: string } };

/** Beyond this many differing lines the table would be too long to read; callers show the change list instead. */
export const MAX_LINE_DIFF_EDITS = 1_000;

export function lineDiff(before: string, after: string): LineDiffRow[] | null {
  const a = splitLines(before);
  const b = splitLines(after);
  // Myers' O(ND) diff from the `diff` package, which gives up (undefined) past maxEditLength.
  const changes = diffArrays(a, b, { maxEditLength: MAX_LINE_DIFF_EDITS });
  if (changes === undefined) return null;
  const rows: LineDiffRow[] = [];
  let removed: { number: number; text: string }[] = [];
  let added: { number: number; text: string }[] = [];
  const flush = () => {
    // A run of removals next to a run of additions reads best as changed lines, side by side.
    const paired = Math.min(removed.length, added.length);
    for (let k = 0; k < paired; k++) rows.push({ kind: "changed", left: removed[k]!, right: added[k]! });
    for (const left of removed.slice(paired)) rows.push({ kind: "removed", left, right: null });
    for (const right of added.slice(paired)) rows.push({ kind: "added", left: null, right });
    removed = [];
    added = [];
  };
  let i = 0;
  let j = 0;
  for (const change of changes) {
    for (const text of change.value) {
      if (change.removed) removed.push({ number: ++i, text });
      else if (change.added) added.push({ number: ++j, text });
      else {
        flush();
        rows.push({ kind: "same", left: { number: ++i, text }, right: { number: ++j, text } });
      }
    }
  }
  flush();
  return rows;
}

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}
