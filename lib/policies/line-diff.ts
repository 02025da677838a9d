// A line-by-line comparison of two texts for a side-by-side view: rows pair each line
// of the left text with a line of the right one, or with nothing where a line was
// removed or added. Longest common subsequence, so moved blocks show as remove + add.
// Pure: the diff page computes it on the server, tests on their own.

export type LineDiffRow =
  | { kind: "same"; left: { number: number; text: string }; right: { number: number; text: string } }
  | { kind: "changed"; left: { number: number; text: string }; right: { number: number; text: string } }
  | { kind: "removed"; left: { number: number; text: string }; right: null }
  | { kind: "added"; left: null; right: { number: number; text: string } };

/** Beyond this many cells the table would be too slow and too long to read; callers show the change list instead. */
export const MAX_LINE_DIFF_CELLS = 4_000_000;

export function lineDiff(before: string, after: string): LineDiffRow[] | null {
  const a = splitLines(before);
  const b = splitLines(after);
  if ((a.length + 1) * (b.length + 1) > MAX_LINE_DIFF_CELLS) return null;
  // lengths[i][j]: LCS length of a[i..] and b[j..], in one flat array.
  const width = b.length + 1;
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i * width + j] =
        a[i] === b[j] ? lengths[(i + 1) * width + j + 1]! + 1 : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
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
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      flush();
      rows.push({ kind: "same", left: { number: i + 1, text: a[i]! }, right: { number: j + 1, text: b[j]! } });
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lengths[i * width + j + 1]! >= lengths[(i + 1) * width + j]!)) {
      added.push({ number: j + 1, text: b[j]! });
      j++;
    } else {
      removed.push({ number: i + 1, text: a[i]! });
      i++;
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
