// Catastrophic-backtracking guard: every rule, normaliser and parser runs on
// 64 KiB adversarial inputs and must finish in (generously) linear time.
import { describe, expect, it } from "vitest";
import { baselineConfig, compileDetector } from "./index.js";
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
};

// 64 KiB in well under a second even on a loaded 2-core machine; quadratic behaviour takes minutes.
const BOUND_MS = 1500;

function timed(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

describe("linear-time rules on 64 KiB adversarial input", () => {
  // rules only branch on "is it the path?", so one path and one non-path location cover every code path
  const KINDS = [K.PATH, K.ARG_VALUE, K.ARG_NAME, K.FILENAME, K.HEADER_UA, K.HEADER_STRUCTURAL, K.BODY_RAW];
  it.each(ALL_RULES.map((r) => [r.id, r] as const))("%s", (_id, rule) => {
    let worst = 0;
    let worstInput = "";
    const kinds = [K.PATH, KINDS.find((k) => k !== K.PATH && (rule.targets & k) !== 0)].filter((k): k is number => k !== undefined && (rule.targets & k) !== 0);
    for (const [name, input] of Object.entries(ADVERSARIAL)) {
      for (const kind of kinds) {
        const text = normaliseValue(input, { urlDecode: true, plusAsSpace: false });
        const ms = timed(() => rule.test(new Subject(input, text, { part: "parameter", name: "x", kind })));
        if (ms > worst) {
          worst = ms;
          worstInput = name;
        }
      }
    }
    expect(worst, `slowest input: ${worstInput}`).toBeLessThan(BOUND_MS);
  });

  it.each(Object.entries(ADVERSARIAL))("SQL analyser, normaliser, lookups and parsers: %s", (_name, input) => {
    expect(timed(() => analyseSql(input.toLowerCase()))).toBeLessThan(BOUND_MS);
    expect(timed(() => normaliseValue(input, { urlDecode: true, plusAsSpace: true }))).toBeLessThan(BOUND_MS);
    expect(timed(() => resolveLookups(input))).toBeLessThan(BOUND_MS);
    expect(timed(() => documentProse(input))).toBeLessThan(BOUND_MS);
    expect(timed(() => parseXml(input, false))).toBeLessThan(BOUND_MS);
    expect(timed(() => parseXml(`<a b="${input.replace(/["<&]/g, "")}">${input.replace(/[<&]/g, "")}</a>`, false))).toBeLessThan(BOUND_MS);
    expect(timed(() => parseMultipart(Buffer.from(`--B\r\nContent-Disposition: form-data; name="a"\r\n\r\n${input}\r\n--B--`), "B"))).toBeLessThan(BOUND_MS);
    expect(timed(() => forEachJsonString(JSON.stringify([input, { [input.slice(0, 100)]: input }]), () => undefined))).toBeLessThan(BOUND_MS);
  });

  it("a whole request made of adversarial parts", () => {
    const detector = compileDetector(baselineConfig("strict"));
    for (const input of Object.values(ADVERSARIAL)) {
      const ms = timed(() =>
        detector.inspect({
          method: "POST",
          path: `/${input.slice(0, 8192)}`,
          query: `q=${encodeURIComponent(input)}`,
          headers: [["User-Agent", input], ["Cookie", `a=${input}`], ["Content-Type", "application/json"]],
          body: JSON.stringify({ [input.slice(0, 4096)]: input }),
        }),
      );
      expect(ms).toBeLessThan(BOUND_MS * 4);
    }
    // the bound is per input (above); the test as a whole runs every input, so vitest's 5 s default is not the measure
  }, 180_000);
});
