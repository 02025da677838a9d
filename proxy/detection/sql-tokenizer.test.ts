import { describe, expect, it } from "vitest";
import { analyseSql, hasSqlTrigger } from "./rules/sqli.js";
import { tokenizeSql, Tk } from "./sql-tokenizer.js";
import { growthRatio, LINEAR_GROWTH_LIMIT } from "../test-support/growth-ratio.js";

const types = (s: string, q = 0): Tk[] => tokenizeSql(s, q).map((t) => t.t);

describe("tokenizeSql", () => {
  it("lexes strings, numbers, operators, keywords and functions", () => {
    expect(types("1 or 1=1--")).toEqual([Tk.Num, Tk.Logic, Tk.Num, Tk.Cmp, Tk.Num, Tk.Comment]);
    expect(types("'a' 0x1f")).toEqual([Tk.Str, Tk.Num]);
    expect(types("select sleep(5) from dual")).toEqual([Tk.Stmt, Tk.Fn, Tk.LPar, Tk.Num, Tk.RPar, Tk.Kw, Tk.Word]);
  });
  it("treats a word followed by a comment and ( as a function", () => {
    expect(types("json_extract/**/(1)")).toEqual([Tk.Fn, Tk.Comment, Tk.LPar, Tk.Num, Tk.RPar]);
  });
  it("lexes the content of MySQL executable comments as code", () => {
    const toks = tokenizeSql("/*!50000union*/ /*!50000select*/ 1");
    expect(toks.filter((t) => t.t !== Tk.Comment).map((t) => t.v)).toEqual(["union", "select", "1"]);
  });
  it("starts inside a string in quote context", () => {
    const toks = tokenizeSql("x' or 'a'='a", 39);
    expect(toks[0]).toMatchObject({ t: Tk.Str, v: "x", flag: false });
    expect(toks[1]!.t).toBe(Tk.Logic);
  });
  it("lexes PostgreSQL JSON operators and casts", () => {
    expect(tokenizeSql("'{}'::jsonb @> '{}' #>> '{a}'").map((t) => t.v)).toEqual(["{}", "::", "jsonb", "@>", "{}", "#>>", "{a}"]);
  });
  it.each([
    ["unclosed quotes", "'", 65536],
    ["unclosed comments", "/*", 32768],
  ])("stays linear on pathological input: %s", (_name, unit, count) => {
    const ratio = growthRatio((input: string) => tokenizeSql(input), unit.repeat(count), unit.repeat(count / 4));
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });
});

describe("analyseSql", () => {
  it.each([
    ["' OR '1'='1", "sqli.tautology"],
    ["1' AND SLEEP(5)#", "sqli.time-function"],
    ["-1 UNION SELECT 1,2,3--", "sqli.union-select"],
    ["admin'--", "sqli.comment-termination"],
    ["'; DROP TABLE users--", "sqli.quote-break"],
    ["1; select pg_sleep(5)", "sqli.stacked-query"],
    ["x' AND extractvalue(1,concat(0x7e,version()))-- ", "sqli.dangerous-function"],
    ["password::int", "sqli.pg-cast"],
    ["'{\"a\":1}' @> '{\"a\":1}'", "sqli.json-operator"],
    ["if(1=1,sleep(1),0)", "sqli.conditional-function"],
    ["declare @q varchar(99)", "sqli.declare-variable"],
    ["/*!50000select*/ 1", "sqli.mysql-comment"],
  ])("%s → %s", (input, id) => {
    expect([...analyseSql(input.toLowerCase()).keys()]).toContain(id);
  });

  it.each([
    "O'Reilly",
    "I'd like 2 or 3 pizzas",
    "x > 5 or y < 3",
    "Please select one or more items",
    "union select committee",
    "the 'update' button is broken",
    "Don't select the union option",
    "rock 'n' roll",
    "I love you <3",
  ])("finds nothing in prose: %s", (input) => {
    expect([...analyseSql(input.toLowerCase()).keys()]).toEqual([]);
  });

  it("gates tokenization on SQL triggers", () => {
    expect(hasSqlTrigger("blue shirt")).toBe(false);
    expect(hasSqlTrigger("mozilla/5.0 (x11; linux x86_64) like gecko")).toBe(false);
    expect(hasSqlTrigger("tempdb")).toBe(true);
    expect(hasSqlTrigger("user (")).toBe(true);
    expect(hasSqlTrigger("a::int")).toBe(true);
  });
});
