// A Subject is one inspected value (a parameter value, a header, the path…)
// after normalisation, with lazily computed derived forms shared by the rules
// of one family so each analysis runs at most once per value.
import type { Part } from "./types.js";

/** Where a value came from; rules declare which of these they apply to. */
export const K = {
  PATH: 1 << 0,
  ARG_NAME: 1 << 1,
  ARG_VALUE: 1 << 2,
  COOKIE_NAME: 1 << 3,
  COOKIE_VALUE: 1 << 4,
  HEADER_UA: 1 << 5,
  HEADER_REFERER: 1 << 6,
  HEADER_OTHER: 1 << 7,
  /** Structural headers (Accept, Host…): only java and protocol rules look at them. */
  HEADER_STRUCTURAL: 1 << 8,
  FILENAME: 1 << 9,
  BODY_RAW: 1 << 10,
  /** Text recovered by base64-decoding a value. */
  DECODED_B64: 1 << 11,
} as const;

export const K_HEADERS = K.HEADER_UA | K.HEADER_REFERER | K.HEADER_OTHER;
/** Every user-controlled free-text location (CRS: ARGS, ARGS_NAMES, cookies, UA, Referer, other headers, raw body). */
export const K_INPUT = K.ARG_NAME | K.ARG_VALUE | K.COOKIE_NAME | K.COOKIE_VALUE | K_HEADERS | K.BODY_RAW;
export const K_ALL = (1 << 12) - 1;

/** Character classes present in a value (bit per class), for cheap rule gating. */
export const C = {
  SQUOTE: 1 << 0,
  DQUOTE: 1 << 1,
  BACKTICK: 1 << 2,
  LPAREN: 1 << 3,
  RPAREN: 1 << 4,
  LT: 1 << 5,
  GT: 1 << 6,
  SEMI: 1 << 7,
  PIPE: 1 << 8,
  AMP: 1 << 9,
  DOLLAR: 1 << 10,
  LBRACE: 1 << 11,
  RBRACE: 1 << 12,
  LBRACK: 1 << 13,
  SLASH: 1 << 14,
  BSLASH: 1 << 15,
  EQ: 1 << 16,
  COLON: 1 << 17,
  DOT: 1 << 18,
  HASH: 1 << 19,
  DASH: 1 << 20,
  STAR: 1 << 21,
  AT: 1 << 22,
  TILDE: 1 << 23,
  BANG: 1 << 24,
  QMARK: 1 << 25,
  DIGIT: 1 << 26,
  SPACE: 1 << 27,
  COMMA: 1 << 28,
  NEWLINE: 1 << 29,
  PLUS: 1 << 30,
  /** Bit 31: the mask is a signed 32-bit int, so this one is negative; only ever used with &. */
  UNDERSCORE: 1 << 31,
} as const;
export const C_QUOTES = C.SQUOTE | C.DQUOTE | C.BACKTICK;

const CHAR_CLASS = new Int32Array(128);
const assign = (chars: string, bit: number): void => {
  for (const ch of chars) CHAR_CLASS[ch.charCodeAt(0)] = bit;
};
assign("'", C.SQUOTE);
assign('"', C.DQUOTE);
assign("`", C.BACKTICK);
assign("(", C.LPAREN);
assign(")", C.RPAREN);
assign("<", C.LT);
assign(">", C.GT);
assign(";", C.SEMI);
assign("|", C.PIPE);
assign("&", C.AMP);
assign("$", C.DOLLAR);
assign("{", C.LBRACE);
assign("}", C.RBRACE);
assign("[", C.LBRACK);
assign("/", C.SLASH);
assign("\\", C.BSLASH);
assign("=", C.EQ);
assign(":", C.COLON);
assign(".", C.DOT);
assign("#", C.HASH);
assign("-", C.DASH);
assign("*", C.STAR);
assign("@", C.AT);
assign("~", C.TILDE);
assign("!", C.BANG);
assign("?", C.QMARK);
assign("0123456789", C.DIGIT);
assign(" \t\u000b\u000c", C.SPACE);
assign("\r\n", C.NEWLINE | C.SPACE);
assign(",", C.COMMA);
assign("+", C.PLUS);
assign("_", C.UNDERSCORE);

export function charMask(s: string): number {
  let m = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128) m |= CHAR_CLASS[c] as number;
  }
  return m;
}

export interface Target {
  part: Part;
  /** Name reported in matches and used by exceptions ("" for path/raw body). */
  name: string;
  kind: number;
}

export class Subject {
  readonly lower: string;
  readonly mask: number;
  /**
   * Lazily computed per-family analyses (SQL findings, shell form…), allocated on first use: keys and
   * values side by side. A handful of constant keys per value, so a scan by identity beats a hashed lookup.
   */
  private memoKeys: string[] | null = null;
  private memoValues: unknown[] | null = null;

  constructor(
    readonly raw: string,
    readonly text: string,
    readonly target: Target,
  ) {
    this.lower = text.toLowerCase();
    this.mask = charMask(this.lower);
  }

  has(bits: number): boolean {
    return (this.mask & bits) !== 0;
  }

  derive<T>(key: string, compute: (s: Subject) => T): T {
    let keys = this.memoKeys;
    if (keys === null) {
      keys = this.memoKeys = [];
      this.memoValues = [];
    } else {
      for (let i = 0; i < keys.length; i++) if (keys[i] === key) return this.memoValues![i] as T;
    }
    const value = compute(this);
    keys.push(key);
    this.memoValues!.push(value);
    return value;
  }
}

/** A rule hit: [start, end) in subject.lower. */
export type Hit = readonly [number, number];

export interface Rule {
  readonly id: string;
  readonly family: import("./types.js").Family;
  readonly level: import("./types.js").Level;
  readonly description: string;
  /** Bitmask of K.* locations the rule inspects. */
  readonly targets: number;
  /** Bitmask of C.* classes of which at least one must be present (0: no gate). */
  readonly needs: number;
  test(s: Subject): Hit | null;
  /**
   * Rules that are views of one shared analysis (the SQL token-stream
   * analyser) name it here; the engine runs `run` once per value and reports
   * every enabled rule id found in its result instead of calling `test`.
   */
  readonly analysis?: SharedAnalysis;
}

export interface SharedAnalysis {
  readonly key: string;
  run(s: Subject): ReadonlyMap<string, Hit>;
}

/** Finds the first regex match in s.lower (patterns must be written lower-case, without nested quantifiers). */
export function reHit(re: RegExp, s: string): Hit | null {
  re.lastIndex = 0;
  const m = re.exec(s);
  return m ? [m.index, m.index + m[0].length] : null;
}
