// A small SQL lexer in the spirit of libinjection: it turns a value into
// strings, numbers, keywords, operators, functions and comments so that the
// sqli rules can look for injection *structure* (a broken-out quote followed
// by SQL, a tautology, UNION SELECT…) instead of word lists. One linear pass;
// MySQL versioned comments (/*!50000select*/) are lexed as code.

export const enum Tk {
  Str = 1,
  Num,
  /** Generic keyword (from, where, as, table, all…). */
  Kw,
  Union,
  /** Statement starters: select, insert, update, delete, drop, exec… */
  Stmt,
  /** and, or, xor, not, &&, || */
  Logic,
  /** Arithmetic / misc operators. */
  Op,
  /** Comparisons incl. like/regexp/in/between and PostgreSQL JSON operators. */
  Cmp,
  /** Identifier followed by "(". */
  Fn,
  /** @var, @@var */
  Var,
  Word,
  LPar,
  RPar,
  Comma,
  Semi,
  Dot,
  Comment,
  Other,
}

export interface SqlToken {
  t: Tk;
  /** Lower-case text (string tokens: the content without quotes). */
  v: string;
  start: number;
  end: number;
  /** Strings: the closing quote was missing. Comments: versioned/optimizer-hint comment. */
  flag: boolean;
  /** Strings: the quote character. */
  q: number;
}

const STATEMENTS = new Set([
  "select",
  "insert",
  "update",
  "delete",
  "drop",
  "exec",
  "execute",
  "declare",
  "create",
  "alter",
  "truncate",
  "shutdown",
  "waitfor",
  "replace",
  "merge",
  "grant",
  "revoke",
  "rename",
  "handler",
  "load",
  "call",
]);
const LOGIC = new Set(["and", "or", "xor", "not"]);
const COMPARE_WORDS = new Set(["like", "rlike", "regexp", "in", "between", "is", "sounds", "glob", "ilike", "similar"]);
const KEYWORDS = new Set([
  "from",
  "where",
  "having",
  "group",
  "order",
  "by",
  "limit",
  "offset",
  "into",
  "values",
  "set",
  "as",
  "table",
  "database",
  "schema",
  "procedure",
  "function",
  "view",
  "trigger",
  "index",
  "user",
  "all",
  "distinct",
  "distinctrow",
  "top",
  "null",
  "true",
  "false",
  "case",
  "when",
  "then",
  "else",
  "end",
  "join",
  "inner",
  "outer",
  "left",
  "right",
  "on",
  "using",
  "outfile",
  "dumpfile",
  "delay",
  "time",
  "div",
  "mod",
  "asc",
  "desc",
  "collate",
  "escape",
  "exists",
  "analyse",
  "analyze",
  "char",
  "nchar",
  "varchar",
  "cast",
  "convert",
  "begin",
  "commit",
  "rollback",
  "with",
  "recursive",
  "returning",
]);

function isWordStart(c: number): boolean {
  return (c >= 97 && c <= 122) || c === 95 || c === 36 || (c >= 65 && c <= 90) || c > 127;
}
function isWordChar(c: number): boolean {
  return isWordStart(c) || (c >= 48 && c <= 57);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0;
}

const MAX_TOKENS = 4096;

/**
 * Lexes `s` (already lower-cased). `quote` ≠ 0 starts inside a string
 * literal opened by that quote character: the libinjection trick of
 * assuming the value is pasted into '…' or "…" in the application's query.
 */
export function tokenizeSql(s: string, quote = 0): SqlToken[] {
  const out: SqlToken[] = [];
  const n = s.length;
  let i = 0;
  if (quote !== 0) {
    const end = scanString(s, 0, quote);
    out.push({ t: Tk.Str, v: s.slice(0, end < 0 ? n : end), start: 0, end: end < 0 ? n : end + 1, flag: end < 0, q: quote });
    if (end < 0) return out;
    i = end + 1;
  }
  let inVersioned = false;
  while (i < n && out.length < MAX_TOKENS) {
    const c = s.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const c1 = i + 1 < n ? s.charCodeAt(i + 1) : 0;
    // comments
    if (c === 47 /* / */ && c1 === 42 /* * */) {
      const c2 = s.charCodeAt(i + 2);
      let h = i + 2;
      while (h < n && isSpace(s.charCodeAt(h))) h++;
      const hint = s.charCodeAt(h) === 43 /* + */ || (s.charCodeAt(h) === 33 && h > i + 2);
      if (c2 === 33 /* ! */) {
        // MySQL executable comment: lex the content as code.
        out.push({ t: Tk.Comment, v: "/*!", start: i, end: i + 3, flag: true, q: 0 });
        i += 3;
        while (i < n && isDigit(s.charCodeAt(i))) i++;
        inVersioned = true;
        continue;
      }
      const close = s.indexOf("*/", i + 2);
      const end = close < 0 ? n : close + 2;
      out.push({ t: Tk.Comment, v: s.slice(i, end), start: i, end, flag: hint, q: 0 });
      i = end;
      continue;
    }
    if (c === 42 /* * */ && c1 === 47 && inVersioned) {
      inVersioned = false;
      i += 2;
      continue;
    }
    if (c === 45 /* - */ && c1 === 45) {
      const nl = s.indexOf("\n", i);
      const end = nl < 0 ? n : nl;
      out.push({ t: Tk.Comment, v: s.slice(i, end), start: i, end, flag: false, q: 0 });
      i = end;
      continue;
    }
    if (c === 35 /* # */) {
      if (c1 === 62 /* > */ || c1 === 45 /* - */) {
        const len = c1 === 62 && s.charCodeAt(i + 2) === 62 ? 3 : 2;
        out.push({ t: Tk.Cmp, v: s.slice(i, i + len), start: i, end: i + len, flag: false, q: 0 });
        i += len;
        continue;
      }
      const nl = s.indexOf("\n", i);
      const end = nl < 0 ? n : nl;
      out.push({ t: Tk.Comment, v: s.slice(i, end), start: i, end, flag: false, q: 0 });
      i = end;
      continue;
    }
    // strings
    if (c === 39 || c === 34 || c === 96) {
      const end = scanString(s, i + 1, c);
      const stop = end < 0 ? n : end + 1;
      out.push({ t: Tk.Str, v: s.slice(i + 1, end < 0 ? n : end), start: i, end: stop, flag: end < 0, q: c });
      i = stop;
      continue;
    }
    // numbers
    if (isDigit(c) || (c === 46 && isDigit(c1))) {
      let j = i;
      if (c === 48 && (c1 === 120 || c1 === 98)) {
        j = i + 2;
        while (j < n && isWordChar(s.charCodeAt(j))) j++;
      } else {
        while (j < n && (isDigit(s.charCodeAt(j)) || s.charCodeAt(j) === 46)) j++;
        if (j < n && s.charCodeAt(j) === 101 /* e */ && (isDigit(s.charCodeAt(j + 1)) || s.charCodeAt(j + 1) === 45 || s.charCodeAt(j + 1) === 43)) {
          j += 2;
          while (j < n && isDigit(s.charCodeAt(j))) j++;
        }
      }
      // "5desc", "1union": digits glued to letters are a word in most DBs' eyes only for hex; keep the number.
      out.push({ t: Tk.Num, v: s.slice(i, j), start: i, end: j, flag: false, q: 0 });
      i = j;
      continue;
    }
    // variables
    if (c === 64 /* @ */) {
      let j = i + 1;
      if (s.charCodeAt(j) === 64) j++;
      const ws = j;
      while (j < n && (isWordChar(s.charCodeAt(j)) || s.charCodeAt(j) === 46)) j++;
      if (j > ws) {
        out.push({ t: Tk.Var, v: s.slice(i, j), start: i, end: j, flag: false, q: 0 });
        i = j;
        continue;
      }
      if (c1 === 62 /* @> */ || c1 === 63 /* @? */ || (c1 === 64 && j === i + 2)) {
        out.push({ t: Tk.Cmp, v: s.slice(i, i + 2), start: i, end: i + 2, flag: false, q: 0 });
        i += 2;
        continue;
      }
      out.push({ t: Tk.Var, v: "@", start: i, end: i + 1, flag: false, q: 0 });
      i++;
      continue;
    }
    // words
    if (isWordStart(c)) {
      let j = i + 1;
      while (j < n && isWordChar(s.charCodeAt(j))) j++;
      const w = s.slice(i, j);
      let t: Tk;
      if (w === "union") t = Tk.Union;
      else if (STATEMENTS.has(w)) t = Tk.Stmt;
      else if (LOGIC.has(w)) t = Tk.Logic;
      else if (COMPARE_WORDS.has(w)) t = Tk.Cmp;
      else if (KEYWORDS.has(w)) t = Tk.Kw;
      else t = Tk.Word;
      if (t === Tk.Word || t === Tk.Kw) {
        // identifier followed (after blanks / comments) by "(" is a function call
        let k = j;
        for (;;) {
          while (k < n && isSpace(s.charCodeAt(k))) k++;
          if (s.charCodeAt(k) === 47 && s.charCodeAt(k + 1) === 42) {
            const close = s.indexOf("*/", k + 2);
            if (close < 0) break;
            k = close + 2;
            continue;
          }
          break;
        }
        if (s.charCodeAt(k) === 40 && t === Tk.Word) t = Tk.Fn;
        else if (
          s.charCodeAt(k) === 40 &&
          (w === "char" ||
            w === "div" ||
            w === "mod" ||
            w === "convert" ||
            w === "cast" ||
            w === "exists" ||
            w === "user" ||
            w === "database" ||
            w === "schema" ||
            w === "nchar" ||
            w === "left" ||
            w === "right" ||
            w === "time")
        )
          t = Tk.Fn;
      }
      out.push({ t, v: w, start: i, end: j, flag: false, q: 0 });
      i = j;
      continue;
    }
    // punctuation & operators
    let t = Tk.Op;
    let len = 1;
    const c2 = i + 2 < n ? s.charCodeAt(i + 2) : 0;
    switch (c) {
      case 40:
        t = Tk.LPar;
        break;
      case 41:
        t = Tk.RPar;
        break;
      case 44:
        t = Tk.Comma;
        break;
      case 59:
        t = Tk.Semi;
        break;
      case 46:
        t = Tk.Dot;
        break;
      case 61: // =
        t = Tk.Cmp;
        break;
      case 60: // <
        t = Tk.Cmp;
        if (c1 === 61 && c2 === 62) len = 3;
        else if (c1 === 61 || c1 === 62 || c1 === 64) len = 2;
        else if (c1 === 60) {
          t = Tk.Op;
          len = 2;
        }
        break;
      case 62: // >
        t = Tk.Cmp;
        if (c1 === 61) len = 2;
        else if (c1 === 62) {
          t = Tk.Op;
          len = 2;
        }
        break;
      case 33: // !
        if (c1 === 61 || c1 === 60 || c1 === 62) {
          t = Tk.Cmp;
          len = 2;
        }
        break;
      case 124: // |
        if (c1 === 124) {
          t = Tk.Logic;
          len = 2;
        }
        break;
      case 38: // &
        if (c1 === 38) {
          t = Tk.Logic;
          len = 2;
        }
        break;
      case 58: // :
        if (c1 === 58) len = 2;
        else if (c1 === 61) len = 2;
        break;
      case 45: // -
        if (c1 === 62) {
          t = Tk.Cmp;
          len = c2 === 62 ? 3 : 2;
        }
        break;
      case 63: // ?
        t = Tk.Cmp;
        if (c1 === 124 || c1 === 38) len = 2;
        break;
      case 43:
      case 42:
      case 47:
      case 37:
      case 94:
      case 126:
        break;
      default:
        t = Tk.Other;
    }
    out.push({ t, v: s.slice(i, i + len), start: i, end: i + len, flag: false, q: 0 });
    i += len;
  }
  return out;
}

/** Index of the closing quote (SQL doubling and backslash escapes honoured), or -1. */
function scanString(s: string, from: number, quote: number): number {
  const n = s.length;
  let i = from;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 92 /* \ */) {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (s.charCodeAt(i + 1) === quote) {
        i += 2;
        continue;
      }
      return i;
    }
    i++;
  }
  return -1;
}
