// Regular expressions that come from policies (OpenAPI "pattern",
// "patternProperties") and the proxy's own format checks run in time linear in
// the input, whatever the pattern: no crafted parameter can trigger
// catastrophic backtracking. V8's own linear-time engine (the "l" flag) is
// used when it accepts the pattern; it refuses counted repetition above 16
// ("[a-z]{1,64}"), so such patterns run on the small Thompson-NFA simulation
// below (Pike VM without captures: every input character advances a set of
// states, O(input × pattern)). Features no automaton can run — backreferences,
// lookaround, Unicode property escapes — are refused when the policy is
// compiled, never handed to the backtracking engine.

import v8 from "node:v8";

export interface LinearRegExp {
  readonly source: string;
  test(input: string): boolean;
  toString(): string;
}

let v8LinearEnabled = false;

export function compileLinearRegExp(source: string): LinearRegExp {
  if (!v8LinearEnabled) {
    v8.setFlagsFromString("--enable-experimental-regexp-engine");
    v8LinearEnabled = true;
  }
  try {
    return new RegExp(source, "l");
  } catch {
    // fall through: V8 cannot run it in linear time; our automaton may
  }
  let program: Program;
  try {
    program = compileProgram(new Parser(source).parse());
  } catch (error) {
    throw new Error(`pattern /${source}/: ${(error as Error).message}`);
  }
  // ajv keys compiled patterns by toString(): without one of our own every automaton-run pattern would share "[object Object]" and the first one compiled.
  return { source, test: (input: string) => run(program, input), toString: () => `/${source}/` };
}

// ---------------------------------------------------------------- syntax tree

type CharSet = { ascii: Uint8Array; ranges: Array<[number, number]>; negated: boolean };
type Node =
  | { t: "char"; set: CharSet }
  | { t: "seq"; items: Node[] }
  | { t: "alt"; options: Node[] }
  | { t: "repeat"; node: Node; min: number; max: number } // max -1: unbounded
  | { t: "assert"; kind: "start" | "end" | "word" | "nonword" };

const MAX_PROGRAM = 20_000;
const LINE_TERMINATORS: Array<[number, number]> = [
  [10, 10],
  [13, 13],
  [0x2028, 0x2029],
];
const DIGIT: Array<[number, number]> = [[48, 57]];
const WORD: Array<[number, number]> = [
  [48, 57],
  [65, 90],
  [95, 95],
  [97, 122],
];
const SPACE: Array<[number, number]> = [
  [9, 13],
  [32, 32],
  [160, 160],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];

function makeSet(ranges: Array<[number, number]>, negated: boolean): CharSet {
  const ascii = new Uint8Array(128);
  for (const [a, b] of ranges) for (let c = a; c <= Math.min(b, 127); c++) ascii[c] = 1;
  return { ascii, ranges, negated };
}

function complement(ranges: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...ranges].sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  let next = 0;
  for (const [a, b] of sorted) {
    if (a > next) out.push([next, a - 1]);
    next = Math.max(next, b + 1);
  }
  if (next <= 0xffff) out.push([next, 0xffff]);
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  parse(): Node {
    const node = this.alternation();
    if (this.i < this.s.length) throw new Error(`unexpected "${this.s[this.i]}" at ${this.i}`);
    return node;
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.s[this.i] === "|") {
      this.i++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0]! : { t: "alt", options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.i < this.s.length && this.s[this.i] !== "|" && this.s[this.i] !== ")") items.push(this.quantified());
    return { t: "seq", items };
  }

  private quantified(): Node {
    const atom = this.atom();
    const c = this.s[this.i];
    let min = -2;
    let max = -1;
    if (c === "*") [min, max] = [0, -1];
    else if (c === "+") [min, max] = [1, -1];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      const m = /^\{(\d{1,5})(,(\d{0,5}))?\}/.exec(this.s.slice(this.i, this.i + 14));
      if (m) {
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === "" ? -1 : Number(m[3]);
        if (max !== -1 && max < min) throw new Error("numbers out of order in {} quantifier");
        this.i += m[0].length - 1;
      }
    }
    if (min === -2) return atom;
    if (atom.t === "assert") throw new Error("nothing to repeat");
    this.i++;
    if (this.s[this.i] === "?") this.i++; // lazy: the same language, and only whether it matches counts here
    return { t: "repeat", node: atom, min, max };
  }

  private atom(): Node {
    const c = this.s[this.i]!;
    if (c === "(") {
      this.i++;
      if (this.s[this.i] === "?") {
        const next = this.s[this.i + 1];
        if (next === ":") this.i += 2;
        else if (next === "<" && this.s[this.i + 2] !== "=" && this.s[this.i + 2] !== "!") {
          const close = this.s.indexOf(">", this.i);
          if (close < 0) throw new Error("unterminated group name");
          this.i = close + 1;
        } else throw new Error("lookaround cannot be matched in linear time");
      }
      const inner = this.alternation();
      if (this.s[this.i] !== ")") throw new Error("unterminated group");
      this.i++;
      return inner;
    }
    if (c === "[") return { t: "char", set: this.charClass() };
    if (c === "^") {
      this.i++;
      return { t: "assert", kind: "start" };
    }
    if (c === "$") {
      this.i++;
      return { t: "assert", kind: "end" };
    }
    if (c === ".") {
      this.i++;
      return { t: "char", set: makeSet(LINE_TERMINATORS, true) };
    }
    if (c === "\\") {
      this.i++;
      const e = this.s[this.i];
      if (e === "b" || e === "B") {
        this.i++;
        return { t: "assert", kind: e === "b" ? "word" : "nonword" };
      }
      const [ranges, negated] = this.escape(false);
      return { t: "char", set: makeSet(ranges, negated) };
    }
    if (c === ")" || c === "*" || c === "+" || c === "?") throw new Error(`unexpected "${c}"`);
    if (c === "{" && /^\{\d/.test(this.s.slice(this.i, this.i + 2))) throw new Error("nothing to repeat");
    this.i++;
    const code = c.charCodeAt(0);
    return { t: "char", set: makeSet([[code, code]], false) };
  }

  /** After a backslash. Returns ranges and whether they are negated (\D, \W, \S). */
  private escape(inClass: boolean): [Array<[number, number]>, boolean] {
    const e = this.s[this.i];
    if (e === undefined) throw new Error("\\ at end of pattern");
    this.i++;
    switch (e) {
      case "d":
        return [DIGIT, false];
      case "D":
        return [DIGIT, true];
      case "w":
        return [WORD, false];
      case "W":
        return [WORD, true];
      case "s":
        return [SPACE, false];
      case "S":
        return [SPACE, true];
      case "n":
        return [[[10, 10]], false];
      case "r":
        return [[[13, 13]], false];
      case "t":
        return [[[9, 9]], false];
      case "f":
        return [[[12, 12]], false];
      case "v":
        return [[[11, 11]], false];
      case "0":
        return [[[0, 0]], false];
      case "b":
        if (inClass) return [[[8, 8]], false];
        break;
      case "x": {
        const hex = this.s.slice(this.i, this.i + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new Error("bad \\x escape");
        this.i += 2;
        const code = parseInt(hex, 16);
        return [[[code, code]], false];
      }
      case "u": {
        const hex = this.s.slice(this.i, this.i + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Error("bad \\u escape");
        this.i += 4;
        const code = parseInt(hex, 16);
        return [[[code, code]], false];
      }
      case "p":
      case "P":
      case "k":
      case "c":
        throw new Error(`\\${e} is not supported`);
      default:
        if (e >= "1" && e <= "9") throw new Error("backreferences cannot be matched in linear time");
    }
    // Any other escaped character stands for itself (ECMAScript Annex B identity escapes).
    const code = e.charCodeAt(0);
    return [[[code, code]], false];
  }

  private charClass(): CharSet {
    this.i++; // [
    let negated = false;
    if (this.s[this.i] === "^") {
      negated = true;
      this.i++;
    }
    const ranges: Array<[number, number]> = [];
    while (this.i < this.s.length && this.s[this.i] !== "]") {
      const start = this.classAtom(ranges);
      if (start === null) continue;
      if (this.s[this.i] === "-" && this.s[this.i + 1] !== "]" && this.i + 1 < this.s.length) {
        this.i++;
        const end = this.classAtom(ranges);
        if (end === null) {
          ranges.push([start, start], [45, 45]);
          continue;
        }
        if (end < start) throw new Error("range out of order in character class");
        ranges.push([start, end]);
      } else ranges.push([start, start]);
    }
    if (this.s[this.i] !== "]") throw new Error("unterminated character class");
    this.i++;
    return makeSet(ranges, negated);
  }

  /** One class member: a code unit (returned) or a class escape like \d (added to `ranges`, null returned). */
  private classAtom(ranges: Array<[number, number]>): number | null {
    const c = this.s[this.i]!;
    if (c !== "\\") {
      this.i++;
      return c.charCodeAt(0);
    }
    this.i++;
    const [set, negated] = this.escape(true);
    if (set.length === 1 && set[0]![0] === set[0]![1] && !negated) return set[0]![0];
    ranges.push(...(negated ? complement(set) : set));
    return null;
  }
}

// ------------------------------------------------------------------- program

type Instruction =
  | { op: 0; set: CharSet } // CHAR
  | { op: 1; x: number; y: number } // SPLIT
  | { op: 2; x: number } // JMP
  | { op: 3; kind: "start" | "end" | "word" | "nonword" } // ASSERT
  | { op: 4 }; // MATCH

type Program = Instruction[];

function compileProgram(root: Node): Program {
  const program: Program = [];
  const emit = (node: Node): void => {
    if (program.length > MAX_PROGRAM) throw new Error("pattern too large once its repetitions are expanded");
    switch (node.t) {
      case "char":
        program.push({ op: 0, set: node.set });
        return;
      case "assert":
        program.push({ op: 3, kind: node.kind });
        return;
      case "seq":
        for (const item of node.items) emit(item);
        return;
      case "alt": {
        const jumps: Array<{ op: 2; x: number }> = [];
        for (let k = 0; k < node.options.length; k++) {
          if (k < node.options.length - 1) {
            const split = { op: 1 as const, x: program.length + 1, y: 0 };
            program.push(split);
            emit(node.options[k]!);
            const jump = { op: 2 as const, x: 0 };
            program.push(jump);
            jumps.push(jump);
            split.y = program.length;
          } else emit(node.options[k]!);
        }
        for (const jump of jumps) jump.x = program.length;
        return;
      }
      case "repeat": {
        for (let k = 0; k < node.min; k++) emit(node.node);
        if (node.max === -1) {
          const split = { op: 1 as const, x: program.length + 1, y: 0 };
          const loop = program.length;
          program.push(split);
          emit(node.node);
          program.push({ op: 2, x: loop });
          split.y = program.length;
        } else {
          const splits: Array<{ op: 1; x: number; y: number }> = [];
          for (let k = node.min; k < node.max; k++) {
            const split = { op: 1 as const, x: program.length + 1, y: 0 };
            program.push(split);
            splits.push(split);
            emit(node.node);
          }
          for (const split of splits) split.y = program.length;
        }
        return;
      }
    }
  };
  emit(root);
  program.push({ op: 4 });
  if (program.length > MAX_PROGRAM) throw new Error("pattern too large once its repetitions are expanded");
  return program;
}

function inSet(set: CharSet, code: number): boolean {
  let hit: boolean;
  if (code < 128) hit = set.ascii[code] === 1;
  else {
    hit = false;
    for (const [a, b] of set.ranges) {
      if (code >= a && code <= b) {
        hit = true;
        break;
      }
    }
  }
  return hit !== set.negated;
}

function isWord(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || code === 95 || (code >= 97 && code <= 122);
}

/** Unanchored search, as RegExp.prototype.test: one pass, a set of program counters per position. */
function run(program: Program, input: string): boolean {
  const size = program.length;
  let current = new Int32Array(size);
  let next = new Int32Array(size);
  let currentCount = 0;
  let nextCount = 0;
  const mark = new Int32Array(size).fill(-1);
  const stack = new Int32Array(size * 2 + 2);
  const n = input.length;

  // Adds pc and everything reachable from it without consuming a character, at position `at`.
  const add = (list: Int32Array, count: number, pc0: number, at: number, generation: number): number => {
    let sp = 0;
    stack[sp++] = pc0;
    while (sp > 0) {
      const pc = stack[--sp]!;
      if (mark[pc] === generation) continue;
      mark[pc] = generation;
      const ins = program[pc]!;
      switch (ins.op) {
        case 1:
          stack[sp++] = ins.y;
          stack[sp++] = ins.x;
          break;
        case 2:
          stack[sp++] = ins.x;
          break;
        case 3: {
          let ok: boolean;
          if (ins.kind === "start") ok = at === 0;
          else if (ins.kind === "end") ok = at === n;
          else {
            const before = at > 0 && isWord(input.charCodeAt(at - 1));
            const after = at < n && isWord(input.charCodeAt(at));
            ok = (before !== after) === (ins.kind === "word");
          }
          if (ok) stack[sp++] = pc + 1;
          break;
        }
        default:
          list[count++] = pc;
      }
    }
    return count;
  };

  for (let at = 0; at <= n; at++) {
    // Threads for position `at` carry generation `at`, so each program counter is in a list at most once.
    currentCount = add(current, currentCount, 0, at, at); // a match may also start here
    const code = at < n ? input.charCodeAt(at) : -1;
    nextCount = 0;
    for (let k = 0; k < currentCount; k++) {
      const pc = current[k]!;
      const ins = program[pc]!;
      if (ins.op === 4) return true;
      if (ins.op === 0 && code >= 0 && inSet(ins.set, code)) nextCount = add(next, nextCount, pc + 1, at + 1, at + 1);
    }
    const swap = current;
    current = next;
    next = swap;
    currentCount = nextCount;
  }
  return false;
}
