// Markdown documents in user content (ticket comments, code review, forum
// posts, wiki pages) carry code: SQL, shell, Dockerfiles. Inside a value that
// is such a document, the code blocks are inspected by the `basic`
// signatures only; the structural (`standard`/`strict`) rules read the prose
// around them, where an injection would still have to sit to reach a sink.
//
// A value is a document when it contains a fenced code block (``` or ~~~ at
// a line start, or after text when only an info word follows it, closed by
// a fence at a line start) or, in text with at
// least three prose words outside code, inline code spans (`…`) that open
// after a blank or punctuation and close before one. Everything else — a
// single backtick, `id` glued to a word, unclosed fences — stays code as far
// as the rules are concerned.

const MAX_SPANS = 256;

/** The value with its code blocks and inline code spans blanked, or null when it is not a markdown document. */
export function documentProse(t: string): string | null {
  if (t.indexOf("```") < 0 && t.indexOf("~~~") < 0 && t.indexOf("`") < 0) return null;
  const out: string[] = [];
  let last = 0;
  let fences = 0;
  let spans = 0;
  let i = 0;
  const n = t.length;
  while (i < n && fences + spans < MAX_SPANS) {
    const c = t.charCodeAt(i);
    if ((c === 96 || c === 126) && t.startsWith(c === 96 ? "```" : "~~~", i) && (atLineStart(t, i) || opensBlock(t, i + 3))) {
      const fence = c === 96 ? "```" : "~~~";
      // the closing fence: the next line that starts with the same fence
      let close = -1;
      let nl = t.indexOf("\n", i + 3);
      while (nl >= 0) {
        let j = nl + 1;
        while (j < n && (t.charCodeAt(j) === 32 || t.charCodeAt(j) === 9)) j++;
        if (t.startsWith(fence, j)) {
          close = j;
          break;
        }
        nl = t.indexOf("\n", nl + 1);
      }
      if (close < 0) break;
      out.push(t.slice(last, i), "\n");
      i = close + 3;
      last = i;
      fences++;
      continue;
    }
    if (c === 96 && isOpenBoundary(t.charCodeAt(i - 1))) {
      const end = t.indexOf("`", i + 1);
      // the newline test reads only the span itself, so the scan stays linear however many backticks there are
      if (end > i + 1 && t.slice(i + 1, end).indexOf("\n") < 0 && isCloseBoundary(t.charCodeAt(end + 1))) {
        out.push(t.slice(last, i), " ");
        i = end + 1;
        last = i;
        spans++;
        continue;
      }
    }
    i++;
  }
  if (fences === 0 && spans === 0) return null;
  out.push(t.slice(last));
  const prose = out.join("");
  if (fences === 0 && proseWords(prose) < 3) return null;
  return prose;
}

/** "Nit: ```sql⏎": a fence after prose on the same line still opens a block when only an info word follows it. */
function opensBlock(t: string, i: number): boolean {
  let j = i;
  while (j < t.length && j - i <= 20 && /[a-z0-9+#-]/i.test(t[j]!)) j++;
  return t.charCodeAt(j) === 10 || (t.charCodeAt(j) === 13 && t.charCodeAt(j + 1) === 10);
}

function atLineStart(t: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && (t.charCodeAt(j) === 32 || t.charCodeAt(j) === 9)) j--;
  return j < 0 || t.charCodeAt(j) === 10;
}

/** Before an inline span: value start, blank, or opening punctuation — never a letter, digit or shell operator. */
function isOpenBoundary(c: number): boolean {
  return Number.isNaN(c) || c === 32 || c === 9 || c === 10 || c === 40 || c === 34 || c === 39 || c === 58;
}

/** After an inline span: value end, blank, or closing punctuation. */
function isCloseBoundary(c: number): boolean {
  return (
    Number.isNaN(c) ||
    c === 32 ||
    c === 9 ||
    c === 10 ||
    c === 13 ||
    c === 41 ||
    c === 46 ||
    c === 44 ||
    c === 58 ||
    c === 33 ||
    c === 63 ||
    c === 34 ||
    c === 39
  );
}

function proseWords(t: string): number {
  let words = 0;
  const re = /(?:^|\s)[a-z]{2,30}[,.:!?]?(?=\s|$)/gi;
  while (re.exec(t) !== null && words < 3) words++;
  return words;
}
