import { describe, expect, it } from "vitest";
import { compileLinearRegExp } from "./linear-regexp.js";
import { growthRatio, LINEAR_GROWTH_LIMIT } from "../test-support/growth-ratio.js";

// Patterns V8's linear engine refuses (counted repetition above 16) run on our automaton; both must agree with RegExp.
const PATTERNS = [
  "^[a-z]{1,64}$",
  "^pay_[A-Za-z0-9]{16}$",
  "a{17,20}b",
  "^(?:ab|a)*c$",
  "x{2,30}?y",
  "^\\d{3}-\\d{2,40}$",
  "\\bfoo{20}\\b",
  "^[^\\s@]{1,64}@[a-z]{2,30}(?:\\.[a-z]{2,30})+$",
  "(a|b|c){0,18}d",
  "^[\\w.-]{1,100}$",
  "^.{0,20}$",
  "[\\]-]{17}",
  "^(?:[0-9]{1,3}\\.){3}[0-9]{1,3}$",
  "colou?r{1,20}",
  "^[^]{0,30}$",
  "[]",
  "\\x41{17}",
  "\\u0041{2,20}",
  "^(?<name>[a-z]){1,20}$",
];

function randomInput(): string {
  const alphabet = "abcdxyrABo_.-@ 0123456789\n]";
  if (Math.random() < 0.3) return "a".repeat(Math.floor(Math.random() * 70)) + (Math.random() < 0.5 ? "b" : "c");
  let s = "";
  const length = Math.floor(Math.random() * 40);
  for (let i = 0; i < length; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
  return s;
}

describe("compileLinearRegExp", () => {
  it.each(PATTERNS)("agrees with RegExp on random input: /%s/", (pattern) => {
    const native = new RegExp(pattern);
    const linear = compileLinearRegExp(pattern);
    for (let i = 0; i < 2000; i++) {
      const input = randomInput();
      expect(linear.test(input), JSON.stringify(input)).toBe(native.test(input));
    }
  });

  it.each(["(a)\\1", "(?=a)b", "(?!a)b", "(?<=a)b", "(?<!a)b", "(a)(b)\\2{20}"])("refuses /%s/, which needs backtracking", (pattern) => {
    expect(() => compileLinearRegExp(pattern)).toThrow(/pattern/);
  });

  it.each([
    ["^(a+)+$", "a".repeat(65_536) + "!"],
    ["^(a|a){1,100}(?:a{1,30})+$", "a".repeat(65_536) + "!"],
    ["^(?:[a-z0-9]{1,63}\\.)+[a-z]{2,63}$", "a.".repeat(32_768) + "-"],
    ["^([\\w.]{1,64})*@x$", "a".repeat(65_536)],
  ])("stays linear on a 64 KiB adversarial input: /%s/", (pattern, input) => {
    const re = compileLinearRegExp(pattern);
    expect(re.test(input)).toBe(false);
    // Growth measured on the last 16 KiB against its last 4 KiB (both keep the adversarial
    // ending): backtracking would be superlinear at any size, and 64 KiB rounds cost seconds.
    const ratio = growthRatio((subject: string) => re.test(subject), input.slice(-16_384), input.slice(-4096), 3);
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });
});
