// Normalisers applied to every inspected value before any rule sees it.
// Each is a single linear pass with a fast path that returns its input
// untouched (no allocation) when there is nothing to decode.

const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[65 + i] = 10 + i;
  HEX[97 + i] = 10 + i;
}

function hexAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c < 128 ? (HEX[c] as number) : -1;
}

// Reused scratch buffer for percent-decoded byte runs; grows on demand.
let byteBuf = new Uint8Array(256);

/**
 * UTF-8 decoding that also accepts overlong forms (%c0%ae → "."), which
 * several servers historically honoured; invalid bytes map to Latin-1 so no
 * information is lost.
 */
export function decodeUtf8Lenient(bytes: Uint8Array, len: number): string {
  let out = "";
  let i = 0;
  while (i < len) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i++;
      continue;
    }
    let cp = -1;
    let need = 0;
    if ((b & 0xe0) === 0xc0) {
      cp = b & 0x1f;
      need = 1;
    } else if ((b & 0xf0) === 0xe0) {
      cp = b & 0x0f;
      need = 2;
    } else if ((b & 0xf8) === 0xf0) {
      cp = b & 0x07;
      need = 3;
    }
    if (need > 0 && i + need < len) {
      let ok = true;
      for (let k = 1; ok && k <= need; k++) {
        const c = bytes[i + k];
        if (c === undefined || (c & 0xc0) !== 0x80) ok = false;
        else cp = (cp << 6) | (c & 0x3f);
      }
      if (ok) {
        out += cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? "\ufffd" : String.fromCodePoint(cp);
        i += need + 1;
        continue;
      }
    }
    out += String.fromCharCode(b);
    i++;
  }
  return out;
}

/** One round of percent-decoding, with %uXXXX and optional "+" → space. */
export function percentDecodeOnce(s: string, plusAsSpace: boolean): string {
  const n = s.length;
  let first = s.indexOf("%");
  if (plusAsSpace) {
    const p = s.indexOf("+");
    if (p >= 0 && (first < 0 || p < first)) first = p;
  }
  if (first < 0) return s;
  let out = s.slice(0, first);
  let nb = 0;
  let i = first;
  let runStart = first;
  const flush = (): void => {
    if (nb > 0) {
      out += decodeUtf8Lenient(byteBuf, nb);
      nb = 0;
    }
  };
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 37 /* % */) {
      const h1 = hexAt(s, i + 1);
      const h2 = h1 >= 0 ? hexAt(s, i + 2) : -1;
      if (h1 >= 0 && h2 >= 0) {
        if (runStart < i) out += s.slice(runStart, i);
        if (nb >= byteBuf.length) {
          const bigger = new Uint8Array(byteBuf.length * 2);
          bigger.set(byteBuf);
          byteBuf = bigger;
        }
        byteBuf[nb++] = (h1 << 4) | h2;
        i += 3;
        runStart = i;
        continue;
      }
      const u = s.charCodeAt(i + 1);
      if (u === 117 || u === 85) {
        const a = hexAt(s, i + 2);
        const b = hexAt(s, i + 3);
        const d = hexAt(s, i + 4);
        const e = hexAt(s, i + 5);
        if (a >= 0 && b >= 0 && d >= 0 && e >= 0) {
          if (runStart < i) out += s.slice(runStart, i);
          flush();
          out += String.fromCharCode((a << 12) | (b << 8) | (d << 4) | e);
          i += 6;
          runStart = i;
          continue;
        }
      }
    }
    if (nb > 0) {
      flush();
    }
    if (c === 43 /* + */ && plusAsSpace) {
      if (runStart < i) out += s.slice(runStart, i);
      out += " ";
      i++;
      runStart = i;
      continue;
    }
    i++;
  }
  flush();
  if (runStart < n) out += s.slice(runStart);
  return out;
}

/** Percent-decode up to `rounds` times (double/triple encoding evasions). */
export function percentDecode(s: string, plusAsSpace: boolean, rounds = 4): string {
  let cur = percentDecodeOnce(s, plusAsSpace);
  for (let r = 1; r < rounds; r++) {
    if (cur.indexOf("%") < 0) break;
    const next = percentDecodeOnce(cur, false);
    if (next === cur) break;
    cur = next;
  }
  return cur;
}

const NAMED_ENTITIES: Record<string, string> = {
  lt: "<",
  gt: ">",
  amp: "&",
  quot: '"',
  apos: "'",
  nbsp: " ",
  colon: ":",
  semi: ";",
  comma: ",",
  period: ".",
  excl: "!",
  quest: "?",
  num: "#",
  dollar: "$",
  percnt: "%",
  lpar: "(",
  rpar: ")",
  lsqb: "[",
  rsqb: "]",
  lbrack: "[",
  rbrack: "]",
  lcub: "{",
  rcub: "}",
  lbrace: "{",
  rbrace: "}",
  sol: "/",
  bsol: "\\",
  equals: "=",
  plus: "+",
  ast: "*",
  midast: "*",
  lowbar: "_",
  grave: "`",
  tab: "\t",
  newline: "\n",
  vert: "|",
  verbar: "|",
  vertbar: "|",
  hyphen: "-",
  dash: "-",
  commat: "@",
  hat: "^",
  tilde: "~",
  circ: "^",
  ldquo: '"',
  rdquo: '"',
  lsquo: "'",
  rsquo: "'",
};
const LEGACY_NO_SEMICOLON = new Set(["lt", "gt", "amp", "quot", "nbsp"]);

function isAlpha(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** HTML/XML character references: named, decimal and hex, with or without ";". */
export function decodeHtmlEntitiesOnce(s: string): string {
  let amp = s.indexOf("&");
  if (amp < 0) return s;
  let out = "";
  let last = 0;
  const n = s.length;
  while (amp >= 0) {
    let i = amp + 1;
    let decoded: string | null = null;
    if (s.charCodeAt(i) === 35 /* # */) {
      i++;
      let hex = false;
      const x = s.charCodeAt(i);
      if (x === 120 || x === 88) {
        hex = true;
        i++;
      }
      let cp = 0;
      let digits = 0;
      while (i < n && digits < 12) {
        const c = s.charCodeAt(i);
        const v = hex ? (c < 128 ? (HEX[c] as number) : -1) : c >= 48 && c <= 57 ? c - 48 : -1;
        if (v < 0) break;
        cp = cp * (hex ? 16 : 10) + v;
        if (cp > 0x10ffff) cp = 0x10ffff + 1;
        digits++;
        i++;
      }
      if (digits > 0) {
        if (s.charCodeAt(i) === 59) i++;
        decoded = cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? "\ufffd" : String.fromCodePoint(cp);
      }
    } else {
      let j = i;
      while (j < n && j - i < 10 && isAlpha(s.charCodeAt(j))) j++;
      if (j > i) {
        const name = s.slice(i, j).toLowerCase();
        const value = NAMED_ENTITIES[name];
        if (value !== undefined) {
          if (s.charCodeAt(j) === 59) {
            decoded = value;
            i = j + 1;
          } else if (LEGACY_NO_SEMICOLON.has(name)) {
            decoded = value;
            i = j;
          }
        }
      }
    }
    if (decoded !== null) {
      out += s.slice(last, amp) + decoded;
      last = i;
    }
    amp = s.indexOf("&", decoded !== null ? i : amp + 1);
  }
  return last === 0 ? s : out + s.slice(last);
}

/** JavaScript escapes: \uXXXX, \u{X…}, \xXX. */
export function decodeJsEscapes(s: string): string {
  let bs = s.indexOf("\\");
  if (bs < 0) return s;
  let out = "";
  let last = 0;
  const n = s.length;
  while (bs >= 0 && bs < n - 1) {
    const k = s.charCodeAt(bs + 1);
    let cp = -1;
    let end = bs;
    if (k === 117 /* u */) {
      if (s.charCodeAt(bs + 2) === 123 /* { */) {
        let j = bs + 3;
        let v = 0;
        while (j < n && j - bs < 12 && hexAt(s, j) >= 0) {
          v = v * 16 + hexAt(s, j);
          j++;
        }
        if (j > bs + 3 && s.charCodeAt(j) === 125 && v <= 0x10ffff) {
          cp = v;
          end = j + 1;
        }
      } else {
        const a = hexAt(s, bs + 2);
        const b = hexAt(s, bs + 3);
        const c = hexAt(s, bs + 4);
        const d = hexAt(s, bs + 5);
        if (a >= 0 && b >= 0 && c >= 0 && d >= 0) {
          cp = (a << 12) | (b << 8) | (c << 4) | d;
          end = bs + 6;
        }
      }
    } else if (k === 120 /* x */) {
      const a = hexAt(s, bs + 2);
      const b = a >= 0 ? hexAt(s, bs + 3) : -1;
      if (a >= 0 && b >= 0) {
        cp = (a << 4) | b;
        end = bs + 4;
      }
    }
    if (cp >= 0) {
      out += s.slice(last, bs) + (cp >= 0xd800 && cp <= 0xdfff ? "\ufffd" : String.fromCodePoint(cp));
      last = end;
      bs = s.indexOf("\\", end);
    } else {
      bs = s.indexOf("\\", bs + 1);
    }
  }
  return last === 0 ? s : out + s.slice(last);
}

// Characters that change nothing visible but split keywords (soft hyphen,
// zero-width joiners, BOM) plus NUL, which truncates strings in C back ends.
const INVISIBLE = /[\u0000\u00ad\u200b-\u200f\u2060\ufeff]/g;

export interface NormaliseOptions {
  /** Percent-decode (query, form, path, headers, cookies). */
  urlDecode: boolean;
  /** Treat "+" as a space in the first decoding round (query and form only). */
  plusAsSpace: boolean;
}

/**
 * The canonical text every rule matches against: repeated URL decoding
 * (incl. %u and overlong UTF-8), HTML entities, JS escapes, NFKC (full-width
 * → ASCII) and removal of NUL / invisible characters. Case is kept; callers
 * use the lower-cased copy for case-insensitive rules.
 */
export function normaliseValue(raw: string, opts: NormaliseOptions): string {
  const n = raw.length;
  let special = false;
  let nonAscii = false;
  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 0x80) {
      nonAscii = true;
      special = true;
      break;
    }
    if (c === 37 || c === 38 || c === 92 || c === 0 || (c === 43 && opts.plusAsSpace)) special = true;
  }
  if (!special) return raw;
  let s = opts.urlDecode ? percentDecode(raw, opts.plusAsSpace) : raw;
  if (s.indexOf("&") >= 0) {
    s = decodeHtmlEntitiesOnce(s);
    if (s.indexOf("&") >= 0) s = decodeHtmlEntitiesOnce(s);
  }
  if (s.indexOf("\\") >= 0) s = decodeJsEscapes(s);
  if (opts.urlDecode && s.indexOf("%") >= 0) s = percentDecode(s, false, 2);
  if (!nonAscii) {
    for (let i = 0; i < s.length; i++) {
      if (s.charCodeAt(i) >= 0x80) {
        nonAscii = true;
        break;
      }
    }
  }
  if (nonAscii) s = s.normalize("NFKC");
  if (nonAscii || s.indexOf("\u0000") >= 0) s = s.replace(INVISIBLE, "");
  return s;
}

const BASE64_SHAPE = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;

/**
 * Decodes a value that is entirely base64 into text, or returns null when it
 * is not base64 or does not decode to mostly printable text (binary tokens,
 * hashes and signatures are skipped so they cost nothing further).
 */
export function decodeBase64Text(s: string): string | null {
  if (s.length < 16 || s.length > 16384 || !BASE64_SHAPE.test(s)) return null;
  let letters = 0;
  let digitsOnlyHex = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) letters++;
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) digitsOnlyHex = false;
  }
  if (digitsOnlyHex || letters === 0) return null;
  const buf = Buffer.from(s, s.indexOf("-") >= 0 || s.indexOf("_") >= 0 ? "base64url" : "base64");
  if (buf.length < 8) return null;
  let printable = 0;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i] as number;
    if ((b >= 32 && b < 127) || b === 9 || b === 10 || b === 13) printable++;
  }
  if (printable / buf.length < 0.97) return null;
  return buf.toString("latin1");
}

/** Decodes UTF-7 runs ("+ADw-" → "<"), an old IE XSS vector. */
export function decodeUtf7(s: string): string {
  if (s.indexOf("+") < 0) return s;
  return s.replace(/\+([A-Za-z0-9/+]{2,64})-?/g, (whole, b64: string) => {
    const buf = Buffer.from(b64, "base64");
    if (buf.length < 2) return whole;
    let out = "";
    for (let i = 0; i + 1 < buf.length; i += 2) out += String.fromCharCode(((buf[i] as number) << 8) | (buf[i + 1] as number));
    return out;
  });
}
