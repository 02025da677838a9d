import { describe, expect, it } from "vitest";
import { forEachCookie, forEachPair, headerParam, parseMultipart, scanXml } from "./parse-body.js";

describe("parse-body", () => {
  it("splits query strings into raw pairs", () => {
    const pairs: [string, string][] = [];
    forEachPair("a=1&b=&c&&d=x%3Dy", (n, v) => pairs.push([n, v]));
    expect(pairs).toEqual([["a", "1"], ["b", ""], ["c", ""], ["d", "x%3Dy"]]);
  });
  it("parses cookies", () => {
    const pairs: [string, string][] = [];
    forEachCookie("a=1; b = two ;flag", (n, v) => pairs.push([n, v]));
    expect(pairs).toEqual([["a", "1"], ["b", "two"], ["flag", ""]]);
  });
  it("reads header parameters", () => {
    expect(headerParam("multipart/form-data; boundary=\"abc def\"", "boundary")).toBe("abc def");
    expect(headerParam("text/plain; charset=utf-8", "boundary")).toBeNull();
  });
  it("parses multipart parts with names, filenames and values", () => {
    const body = "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue one\r\n--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.php\"\r\nContent-Type: text/plain\r\n\r\n<?php ?>\r\n--B--\r\n";
    expect(parseMultipart(body, "B")).toEqual([
      { name: "a", filename: null, contentType: null, value: "value one" },
      { name: "f", filename: "x.php", contentType: "text/plain", value: "<?php ?>" },
    ]);
  });
  it("scans XML into per-element attribute values and text, and keeps the prolog", () => {
    const nodes = scanXml('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><root><a probe="v1" other=\'v2\'>text</a><b/></root>');
    expect(nodes).toContainEqual({ name: "a", text: "v1 v2 text" });
    expect(nodes.find((n) => n.name === "")?.text).toContain("<!ENTITY x SYSTEM");
  });
});
