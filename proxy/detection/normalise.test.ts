import { describe, expect, it } from "vitest";
import { resolveLookups } from "./jndi.js";
import { decodeBase64Text, decodeHtmlEntitiesOnce, decodeJsEscapes, decodeUtf7, normaliseValue, percentDecode, percentDecodeOnce } from "./normalise.js";

const QUERY = { urlDecode: true, plusAsSpace: true };
const HEADER = { urlDecode: true, plusAsSpace: false };

describe("percent decoding", () => {
  it.each([
    ["plain", "abc", "abc"],
    ["single", "a%20b", "a b"],
    ["plus as space", "a+b", "a b"],
    ["utf-8 multibyte", "%e4%bd%a0%e5%a5%bd", "你好"],
    ["%u escapes", "%u003cscript%u003e", "<script>"],
    ["overlong utf-8 dot", "%c0%ae%c0%ae/", "../"],
    ["invalid escape kept", "100%zz", "100%zz"],
    ["trailing percent kept", "50%", "50%"],
  ])("%s", (_name, input, expected) => {
    expect(percentDecodeOnce(input, true)).toBe(expected);
  });

  it("decodes repeatedly (double/triple encoding) but only the first round turns + into a space", () => {
    expect(percentDecode("%252e%252e%252f", true)).toBe("../");
    expect(percentDecode("%25252e", true)).toBe(".");
    expect(percentDecode("%2B1", true)).toBe("+1");
  });
});

describe("HTML entities", () => {
  it.each([
    ["named", "&lt;script&gt;", "<script>"],
    ["decimal with leading zeros", "&#0000060;", "<"],
    ["hex", "&#x3C;&#X3e;", "<>"],
    ["without semicolon", "&#60script&#62", "<script>"],
    ["legacy named without semicolon", "&lt;b&gt", "<b>"],
    ["html5 names", "java&Tab;script&colon;", "java\tscript:"],
    ["unknown name left alone", "&foo; &amp", "&foo; &"],
  ])("%s", (_name, input, expected) => {
    expect(decodeHtmlEntitiesOnce(input)).toBe(expected);
  });
});

describe("JavaScript escapes", () => {
  it.each([
    ["\\uXXXX", "\\u003cscript\\u003e", "<script>"],
    ["\\u{…}", "\\u{61}lert", "alert"],
    ["\\xXX", "\\x28\\x29", "()"],
    ["windows path untouched", "C:\\users\\bob", "C:\\users\\bob"],
  ])("%s", (_name, input, expected) => {
    expect(decodeJsEscapes(input)).toBe(expected);
  });
});

describe("normaliseValue", () => {
  it.each([
    ["returns plain values untouched", "hello world", HEADER, "hello world"],
    ["full-width to ASCII (NFKC)", "％ｕｆｆ１ｃ", HEADER, "%uff1c"],
    ["full-width angle brackets", "＜script＞", HEADER, "<script>"],
    ["%u full-width", "%uff1cscript%uff1e", QUERY, "<script>"],
    ["entity-encoded percent then decoded", "&#37;3cb&#37;3e", HEADER, "<b>"],
    ["NUL and zero-width characters removed", "sel%00ect un\u200bion", QUERY, "select union"],
    ["soft hyphen removed", "jav\u00adascript", HEADER, "javascript"],
    ["JS escapes", "__\\u0070\\u0072oto__", HEADER, "__proto__"],
  ])("%s", (_name, input, opts, expected) => {
    expect(normaliseValue(input, opts)).toBe(expected);
  });
});

describe("base64 and UTF-7", () => {
  it("decodes base64 that holds text", () => {
    expect(decodeBase64Text("d2hpbGUodHJ1ZSk7Cg==")).toBe("while(true);\n");
  });
  it.each([
    ["too short", "YWJj"],
    ["hex digest", "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"],
    ["binary content", "3q2+7wABAgMEBQYHCAkKCwwNDg8="],
    ["not base64", "hello world, how are you"],
  ])("ignores %s", (_name, input) => {
    expect(decodeBase64Text(input)).toBeNull();
  });
  it("decodes UTF-7 markup", () => {
    expect(decodeUtf7("+ADw-script+AD4-")).toBe("<script>");
  });
});

describe("Log4j lookup resolution", () => {
  it.each([
    ["plain", "${jndi:ldap://x/a}", "${jndi:ldap://x/a}"],
    ["lower/upper", "${${lower:J}${upper:n}di:ldap://x}", "${Jndi:ldap://x}"],
    ["defaults", "${${::-j}${::-n}${::-d}${::-i}:rmi://x}", "${jndi:rmi://x}"],
    ["env with default", "${${env:NOPE:-j}ndi:dns://x}", "${jndi:dns://x}"],
    ["empty default", "${jn${env::-}di:ldap://x}", "${jndi:ldap://x}"],
    ["date with quotes", "${${date:'j'}ndi:x}", "${jndi:x}"],
    ["base64", "${${base64:am5kaQ==}:ldap://x}", "${jndi:ldap://x}"],
    ["unknown lookup kept", "${name}", "${name}"],
  ])("%s", (_name, input, expected) => {
    expect(resolveLookups(input)).toBe(expected);
  });
});
