// Request context that decides whether a signature is dangerous where it
// sits. Some near-certain signatures (a PHP open tag, `sh -c`, a log path)
// are only an attack when the value reaches an interpreter, a shell or a file
// API as a whole; inside a markdown document (a ticket, forum post or code
// review comment) they are quoted code. The engine already evaluates a
// document's prose separately with every rule (document.ts), so a rule that
// declines a whole document still sees what is written outside its code.
import { documentProse } from "../document.js";
import { K, type Subject } from "../subject.js";

/** Whether the subject is a parameter value that is a markdown document (fenced code or inline code spans in prose). */
export function isMarkdownDocument(s: Subject): boolean {
  return s.derive("markdown-document", (x) => (x.target.kind & K.ARG_VALUE) !== 0 && x.text.length >= 16 && documentProse(x.text) !== null);
}

/** Whether there is no blank before position `at`: the text up to the hit is one token (a path, a URL, a parameter). */
export function noBlankBefore(lower: string, at: number): boolean {
  for (let i = 0; i < at; i++) {
    const c = lower.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) return false;
  }
  return true;
}

/** Whether position `at` lies in the value's first blank-delimited token (leading blanks ignored). */
export function isFirstToken(lower: string, at: number): boolean {
  let i = 0;
  while (i < at && (lower.charCodeAt(i) === 32 || lower.charCodeAt(i) === 9 || lower.charCodeAt(i) === 10 || lower.charCodeAt(i) === 13)) i++;
  return noBlankBefore(lower.slice(i, at), at - i);
}
