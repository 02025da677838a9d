// Catastrophic-backtracking guard: every rule, normaliser and parser runs on
// 64 KiB adversarial inputs and must take linear time. No wall-clock bound
// (it fails on a busy machine and misses slow growth): the slowest inputs of
// each case are timed at 64 KiB against four runs at 16 KiB on the same
// machine, which linear code finishes in about the same time and quadratic
// code four times faster (proxy/test-support/growth-ratio.ts).
import { describe, expect, it } from "vitest";
import { growthRatio, LINEAR_GROWTH_LIMIT, slowestCandidates } from "../test-support/growth-ratio.js";
import { baselineConfig, compileDetector, type DetectionRequest } from "./index.js";
import { resolveLookups } from "./jndi.js";
import { normaliseValue } from "./normalise.js";
import { forEachJsonString, parseMultipart, parseXml } from "./parse-body.js";
import { ALL_RULES } from "./rule-catalog.js";
import { analyseSql } from "./rules/sqli.js";
import { documentProse } from "./document.js";
import { K, Subject } from "./subject.js";

const SIZE = 64 * 1024;
const fill = (unit: string): string => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);

const ADVERSARIAL: Record<string, string> = {
  a: fill("a"),
  parens: fill("(((("),
  closers: fill("))))"),
  quotes: fill("'"),
  dquotes: fill('"'),
  backticks: fill("`"),
  tags: fill("<a "),
  comments: fill("/*"),
  dashes: fill("--"),
  dollars: fill("${"),
  subst: fill("$("),
  braces: fill("{{"),
  brackets: fill("[["),
  percent: fill("%"),
  percentHex: fill("%2"),
  entities: fill("&#"),
  dots: fill("../"),
  dotsOnly: fill("."),
  slashes: fill("/"),
  backslashes: fill("\\"),
  onon: fill("on"),
  handlers: fill(" onx"),
  schemes: fill("a:"),
  urls: fill("http://a"),
  at: fill("@"),
  union: fill("union select "),
  orEq: fill(" or 1="),
  words: fill("select from where "),
  jndi: fill("${jndi:"),
  whiles: fill("while("),
  protos: fill("constructor."),
  php: fill("$a["),
  phpCalls: fill("eval "),
  hex: fill("0x2e"),
  semis: fill(";"),
  pipes: fill("|"),
  spaces: fill(" "),
  newlines: fill("\r\n"),
  unicode: fill("\uff1c\u00e9"),
  mixed: fill("a'(\"<$`{[;|&=:.\\/%#-*@~!?,+_"),
  // issue #14 classes: shapes each new scanner or pattern walks
  forLoops: fill("for /f x in ("),
  psCmdlets: fill("; invoke-webrequest "),
  psAliases: fill("| iwr "),
  fences: fill("```\n"),
  inlineCode: fill(" `a` "),
  varCommands: fill(";$a$b"),
  ansiC: fill("$'\\x"),
  bbcode: fill("[php]"),
  shortTags: fill("<? "),
  javaNames: fill("java.io."),
  orderBy: fill("1 order by 1,"),
  pipeConcat: fill("'||"),
  quoteComment: fill("'/*"),
  nodeSerialize: fill("$$nd_func$$"),
  ruby: fill("kernel.%x("),
  constructors: fill("['constructor']"),
  // round 4: shapes the extended rules walk
  scriptsInFence: fill("```\n<script "),
  crlfInFence: fill("```\nhost: "),
  quoteHash: fill("'#"),
  selfCompare: fill(" or a=a"),
  orNot: fill(" or not 1="),
  calls: fill(";call f("),
  pipeQualified: fill("'||a."),
  fourDots: fill("..../"),
  leadByteDots: fill("\u00e0."),
  escapedNewlinePaths: fill("\\n/bin/"),
  // round 5: shapes the new and extended rules walk
  breakouts: fill(";f(a);//"),
  breakoutOpen: fill(".x=new y(((((//"),
  closedCommands: fill("a;env;"),
  dataUris: fill("data:;base64,PD9w"),
  ntfsStreams: fill("::$data"),
  urlHeaderLines: fill("http://a/\r\nx:"),
};

const QUARTER = SIZE / 4;
// Generous: a case does a few hundred milliseconds of work on an idle machine, and CI shares two cores.
const TIMEOUT_MS = 120_000;

interface Case {
  name: string;
  kind: number;
}

describe("linear-time rules on 64 KiB adversarial input", () => {
  // rules only branch on "is it the path?", so one path and one non-path location cover every code path
  const KINDS = [K.PATH, K.ARG_VALUE, K.ARG_NAME, K.FILENAME, K.HEADER_UA, K.HEADER_STRUCTURAL, K.BODY_RAW];
  const subjectOf = (input: string, kind: number) =>
    new Subject(input, normaliseValue(input, { urlDecode: true, plusAsSpace: false }), { part: "parameter", name: "x", kind });

  it.each(ALL_RULES.map((r) => [r.id, r] as const))(
    "%s",
    (_id, rule) => {
      const kinds = [K.PATH, KINDS.find((k) => k !== K.PATH && (rule.targets & k) !== 0)].filter(
        (k): k is number => k !== undefined && (rule.targets & k) !== 0,
      );
      const cases: Case[] = Object.keys(ADVERSARIAL).flatMap((name) => kinds.map((kind) => ({ name, kind })));
      // Subjects are built outside the timing: the normaliser has its own cases below.
      const test = (s: Subject) => rule.test(s);
      for (const c of slowestCandidates(cases, (c) => test(subjectOf(ADVERSARIAL[c.name]!, c.kind)))) {
        const input = ADVERSARIAL[c.name]!;
        const ratio = growthRatio(test, subjectOf(input, c.kind), subjectOf(input.slice(0, QUARTER), c.kind));
        expect(ratio, `${c.name}: 64 KiB takes ${ratio.toFixed(1)}× four 16 KiB runs`).toBeLessThan(LINEAR_GROWTH_LIMIT);
      }
    },
    TIMEOUT_MS,
  );

  // Each reader's input is built outside the timing: only the reader's own work is measured.
  interface Reader<T> {
    prepare(input: string): T;
    read(prepared: T): unknown;
  }
  const reader = <T>(prepare: (input: string) => T, read: (prepared: T) => unknown): Reader<unknown> => ({ prepare, read: read as (p: unknown) => unknown });
  const READERS: Array<[string, Reader<unknown>]> = [
    [
      "SQL analyser",
      reader(
        (input) => input.toLowerCase(),
        (lower) => analyseSql(lower),
      ),
    ],
    [
      "normaliser",
      reader(
        (input) => input,
        (input) => normaliseValue(input, { urlDecode: true, plusAsSpace: true }),
      ),
    ],
    [
      "lookups",
      reader(
        (input) => input,
        (input) => resolveLookups(input),
      ),
    ],
    [
      "markdown document prose",
      reader(
        (input) => input,
        (input) => documentProse(input),
      ),
    ],
    [
      "XML parser (document)",
      reader(
        (input) => input,
        (input) => parseXml(input, false),
      ),
    ],
    [
      "XML parser (attribute and text)",
      reader(
        (input) => `<a b="${input.replace(/["<&]/g, "")}">${input.replace(/[<&]/g, "")}</a>`,
        (xml) => parseXml(xml, false),
      ),
    ],
    [
      "multipart parser",
      reader(
        (input) => Buffer.from(`--B\r\nContent-Disposition: form-data; name="a"\r\n\r\n${input}\r\n--B--`),
        (body) => parseMultipart(body, "B"),
      ),
    ],
    [
      "JSON reader",
      reader(
        (input) => JSON.stringify([input, { [input.slice(0, 100)]: input }]),
        (text) => forEachJsonString(text, () => undefined),
      ),
    ],
  ];
  it.each(READERS)(
    "%s",
    (_name, { prepare, read }) => {
      const prepared = new Map(
        Object.entries(ADVERSARIAL).map(([name, input]) => [name, { whole: prepare(input), quarter: prepare(input.slice(0, QUARTER)) }]),
      );
      for (const name of slowestCandidates([...prepared.keys()], (name) => read(prepared.get(name)!.whole))) {
        const { whole, quarter } = prepared.get(name)!;
        const ratio = growthRatio(read, whole, quarter);
        expect(ratio, `${name}: 64 KiB takes ${ratio.toFixed(1)}× four 16 KiB runs`).toBeLessThan(LINEAR_GROWTH_LIMIT);
      }
    },
    TIMEOUT_MS,
  );

  it(
    "a whole request made of adversarial parts",
    () => {
      const detector = compileDetector(baselineConfig("strict"));
      const requestOf = (input: string): DetectionRequest => ({
        method: "POST",
        path: `/${input.slice(0, input.length / 8)}`,
        query: `q=${encodeURIComponent(input)}`,
        headers: [
          ["User-Agent", input],
          ["Cookie", `a=${input}`],
          ["Content-Type", "application/json"],
        ],
        body: JSON.stringify({ [input.slice(0, input.length / 16)]: input }),
      });
      const inspect = (req: DetectionRequest) => detector.inspect(req);
      // Screened at 16 KiB (superlinear growth already stands out there), measured at 64 KiB.
      const quarters = new Map(Object.entries(ADVERSARIAL).map(([name, input]) => [name, requestOf(input.slice(0, QUARTER))]));
      for (const name of slowestCandidates([...quarters.keys()], (name) => inspect(quarters.get(name)!))) {
        const ratio = growthRatio(inspect, requestOf(ADVERSARIAL[name]!), quarters.get(name)!, 3);
        expect(ratio, `${name}: the 64 KiB request takes ${ratio.toFixed(1)}× four 16 KiB ones`).toBeLessThan(LINEAR_GROWTH_LIMIT);
      }
    },
    TIMEOUT_MS,
  );
});
