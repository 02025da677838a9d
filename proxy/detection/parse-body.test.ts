// The body readers, compared with well-kept parsers on the same bytes: busboy
// (the multipart reader of Node applications) and fast-xml-parser. Where a
// body is unambiguous the proxy must read what they read; where backends can
// disagree the proxy refuses.

import Busboy from "busboy";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import {
  fileNameExtensions,
  forEachCookie,
  forEachJsonString,
  forEachPair,
  headerParam,
  isTextLike,
  parseMediaType,
  parseMultipart,
  parseXml,
  type MultipartPart,
} from "./parse-body.js";

interface Field {
  name: string;
  filename: string | null;
  value: string;
}

/** What busboy (as an Express/Fastify application would use it) reads from the body. */
function busboyView(body: Buffer, boundary: string): Promise<Field[] | string> {
  return new Promise((resolve) => {
    const fields: Field[] = [];
    let bb: Busboy.Busboy;
    try {
      bb = Busboy({ headers: { "content-type": `multipart/form-data; boundary=${boundary}` } });
    } catch (error) {
      resolve((error as Error).message);
      return;
    }
    bb.on("field", (name, value) => fields.push({ name, filename: null, value }));
    bb.on("file", (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => fields.push({ name, filename: info.filename ?? null, value: Buffer.concat(chunks).toString("utf8") }));
    });
    bb.on("error", (error) => resolve((error as Error).message));
    bb.on("close", () => resolve(fields));
    bb.end(body);
  });
}

function ours(parts: MultipartPart[]): Field[] {
  return parts.map((p) => ({ name: p.name, filename: p.filename, value: p.content.toString("utf8") }));
}

const crlf = (lines: string[]): Buffer => Buffer.from(lines.join("\r\n"), "utf8");

describe("multipart (RFC 7578 / RFC 2046), compared with busboy", () => {
  const benign: Array<[string, Buffer]> = [
    [
      "fields and a file",
      crlf([
        "--B",
        'Content-Disposition: form-data; name="a"',
        "",
        "value one",
        "--B",
        'Content-Disposition: form-data; name="f"; filename="notes.txt"',
        "Content-Type: text/plain",
        "",
        "line 1\r\nline 2",
        "--B--",
        "",
      ]),
    ],
    [
      "an empty field and an empty file input",
      crlf([
        "--B",
        'Content-Disposition: form-data; name="empty"',
        "",
        "",
        "--B",
        'Content-Disposition: form-data; name="upload"; filename=""',
        "Content-Type: application/octet-stream",
        "",
        "",
        "--B--",
        "",
      ]),
    ],
    ["a quoted name with a semicolon", crlf(["--B", 'Content-Disposition: form-data; name="a;b"', "", "v", "--B--"])],
    ["a value containing the boundary text mid-line without the dashes", crlf(["--B", 'Content-Disposition: form-data; name="a"', "", "text B more", "--B--"])],
    [
      "a leading CRLF before the first boundary",
      Buffer.concat([Buffer.from("\r\n"), crlf(["--B", 'Content-Disposition: form-data; name="a"', "", "v", "--B--"])]),
    ],
  ];

  it.each(benign)("reads %s as busboy does", async (_name, body) => {
    const parsed = parseMultipart(body, "B");
    expect(parsed.ok, parsed.ok ? "" : parsed.reason).toBe(true);
    // busboy reports filename="" (an empty file input) as a file without a name
    const normal = (fields: Field[]) => fields.map((f) => ({ ...f, filename: f.filename || null }));
    expect(normal(ours(parsed.ok ? parsed.parts : []))).toEqual(normal((await busboyView(body, "B")) as Field[]));
  });

  it("reads a quoted parameter whose value looks like another parameter as busboy does: a field named q, no file", async () => {
    const body = crlf(["--B", 'Content-Disposition: form-data; name="q"; x="; filename=a"', "", "1' UNION SELECT password FROM users--", "--B--"]);
    const parsed = parseMultipart(body, "B");
    expect(parsed.ok && parsed.parts).toEqual([
      { name: "q", filename: null, contentType: null, content: Buffer.from("1' UNION SELECT password FROM users--") },
    ]);
    expect(await busboyView(body, "B")).toEqual([{ name: "q", filename: null, value: "1' UNION SELECT password FROM users--" }]);
  });

  it.each<[string, Buffer, RegExp]>([
    ["no part at all", Buffer.from("just text"), /no part/],
    ["no closing boundary", crlf(["--B", 'Content-Disposition: form-data; name="a"', "", "v"]), /closing boundary/],
    ["a preamble", crlf(["hello", "--B", 'Content-Disposition: form-data; name="a"', "", "v", "--B--"]), /before the first boundary/],
    [
      "an epilogue with text",
      crlf(["--B", 'Content-Disposition: form-data; name="a"', "", "v", "--B--", "<script>alert(1)</script>"]),
      /after the closing boundary/,
    ],
    ["the boundary inside a part (mid-line)", crlf(["--B", 'Content-Disposition: form-data; name="a"', "", "x--B", "--B--"]), /boundary inside a part/],
    [
      "a boundary line with more text",
      crlf(["--B", 'Content-Disposition: form-data; name="a"', "", "v", "--Bx", 'Content-Disposition: form-data; name="b"', "", "w", "--B--"]),
      /boundary line with more text/,
    ],
    [
      "an LF-only delimiter",
      Buffer.from('--B\r\nContent-Disposition: form-data; name="a"\r\n\r\nv\n--B\r\nContent-Disposition: form-data; name="b"\r\n\r\nw\r\n--B--'),
      /boundary inside a part/,
    ],
    [
      "two Content-Disposition headers",
      crlf(["--B", 'Content-Disposition: form-data; name="a"', 'Content-Disposition: form-data; name="b"', "", "v", "--B--"]),
      /two Content-Disposition/,
    ],
    [
      "two Content-Type headers",
      crlf(["--B", 'Content-Disposition: form-data; name="a"', "Content-Type: text/plain", "Content-Type: application/json", "", "v", "--B--"]),
      /two Content-Type/,
    ],
    [
      "Content-Transfer-Encoding",
      crlf(["--B", 'Content-Disposition: form-data; name="a"', "Content-Transfer-Encoding: base64", "", "djE=", "--B--"]),
      /Content-Transfer-Encoding/,
    ],
    ["a name given twice", crlf(["--B", 'Content-Disposition: form-data; name="a"; name="b"', "", "v", "--B--"]), /given twice/],
    ["filename*", crlf(["--B", "Content-Disposition: form-data; name=\"a\"; filename*=UTF-8''x.php", "", "v", "--B--"]), /RFC 5987/],
    ["an empty filename with content", crlf(["--B", 'Content-Disposition: form-data; name="a"; filename=""', "", "1' OR 1=1--", "--B--"]), /empty filename/],
    ["a backslash escape in a quoted name", crlf(["--B", 'Content-Disposition: form-data; name="a\\"b"', "", "v", "--B--"]), /backslash/],
    ["a folded part header", crlf(["--B", "Content-Disposition: form-data;", ' name="a"', "", "v", "--B--"]), /folded/],
    ["a part without a name", crlf(["--B", "Content-Disposition: form-data", "", "v", "--B--"]), /without a name/],
    ["a part that is not form-data", crlf(["--B", 'Content-Disposition: attachment; name="a"', "", "v", "--B--"]), /not form-data/],
    ["a UTF-16 part", crlf(["--B", 'Content-Disposition: form-data; name="a"', "Content-Type: text/plain; charset=utf-16le", "", "v", "--B--"]), /charset/],
  ])("refuses %s", (_name, body, reason) => {
    const parsed = parseMultipart(body, "B");
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it("refuses boundaries RFC 2046 does not allow", () => {
    expect(parseMultipart(Buffer.from("--a\r\n"), "a".repeat(71)).ok).toBe(false);
    expect(parseMultipart(Buffer.from("--a\r\n"), "ends with space ").ok).toBe(false);
  });

  it("tells text from binary content", () => {
    expect(isTextLike(Buffer.from("<?php system($_GET['c']); ?>"))).toBe(true);
    expect(isTextLike(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00]))).toBe(false);
    expect(isTextLike(Buffer.from([0xc3, 0x28]))).toBe(false);
  });
});

describe("the extensions of an uploaded file's name", () => {
  it.each<[string, string[]]>([
    ["photo.jpg", ["jpg"]],
    ["archive.tar.gz", ["tar", "gz"]],
    ["README", []],
    [".htaccess", ["htaccess"]],
    ["shell.php.jpg", ["php", "jpg"]],
    ["Shell.PHP", ["php"]],
    ["shell.php.", ["php"]],
    ["shell.php . ", ["php"]],
    ["shell.asp;.jpg", ["asp"]],
    ["shell.aspx::$DATA", ["aspx"]],
    ["../../uploads/shell.jsp", ["jsp"]],
    ["C:\\Users\\me\\run.exe", ["exe"]],
    ["shell%2ephp", ["php"]],
    ["shell.ph%70", ["ph%70", "php"]],
  ])("%s → %j", (name, extensions) => {
    expect(fileNameExtensions(name)).toEqual(extensions);
  });
});

describe("media types", () => {
  it("reads parameters as quoted strings or tokens, and refuses repeats", () => {
    expect(parseMediaType('multipart/form-data; boundary="abc def"')).toEqual({ type: "multipart/form-data", params: new Map([["boundary", "abc def"]]) });
    expect(parseMediaType("Application/JSON;charset=UTF-8")).toEqual({ type: "application/json", params: new Map([["charset", "UTF-8"]]) });
    expect(parseMediaType("multipart/form-data; boundary=a; boundary=b")).toMatch(/twice/);
    expect(parseMediaType("text/html x")).toMatch(/after the media type/);
    expect(parseMediaType("<script>")).toMatch(/not a media type/);
    expect(headerParam('multipart/form-data; boundary="abc def"', "boundary")).toBe("abc def");
    expect(headerParam("text/plain; charset=utf-8", "boundary")).toBeNull();
  });
});

describe("XML, read as DOM parsers read it (compared with fast-xml-parser)", () => {
  const fxp = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", commentPropName: "#comment", processEntities: true, htmlEntities: false });

  it("joins text across comments, CDATA and processing instructions and decodes entities", () => {
    const xml = "<q>1' UNI<!-- x -->ON SEL<![CDATA[ECT]]> pass<?pi x?>word FROM users&#45;&#45;</q>";
    const parsed = parseXml(xml, false);
    expect(parsed.ok && parsed.nodes.find((n) => n.name === "q")?.text).toBe("1' UNION SELECT password FROM users--");
  });

  it("reads attribute values as their own parts, as fast-xml-parser does", () => {
    const xml = '<root><item id="7" note="&lt;script&gt;alert(1)&lt;/script&gt;">text</item></root>';
    const parsed = parseXml(xml, false);
    const theirs = fxp.parse(xml) as { root: { item: Record<string, string> } };
    expect(parsed.ok && parsed.nodes.find((n) => n.name === "item@note")?.text).toBe("<script>alert(1)</script>");
    expect(theirs.root.item["@note"]).toBe("&lt;script&gt;alert(1)&lt;/script&gt;".replace(/&lt;/g, "<").replace(/&gt;/g, ">"));
    expect(parsed.ok && parsed.nodes.find((n) => n.name === "item")?.text).toBe(theirs.root.item["#text"]);
  });

  it("reads text split over child elements as one document text", () => {
    const parsed = parseXml("<a>UNION <b/>SELECT</a>", false);
    expect(parsed.ok && parsed.nodes.find((n) => n.name === "")?.text).toBe("UNION SELECT");
  });

  it("reports a DOCTYPE with an internal subset or an external identifier as risky, a bare one not", () => {
    const xxe = parseXml('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>', true);
    expect(xxe.ok && xxe.riskyDoctype).toBe(true);
    expect(xxe.ok && xxe.nodes.some((n) => n.text.includes("file:///etc/passwd"))).toBe(true);
    const external = parseXml('<!DOCTYPE a SYSTEM "http://evil.example/x.dtd"><a/>', false);
    expect(external.ok && external.riskyDoctype).toBe(true);
    const bare = parseXml("<!DOCTYPE a><a>x</a>", false);
    expect(bare.ok && bare.riskyDoctype).toBe(false);
  });

  it("expands internal entities only where document type declarations are allowed", () => {
    expect(parseXml('<!DOCTYPE a [<!ENTITY e "UNION SELECT">]><a>1 &e; 2</a>', false).ok).toBe(false);
    const allowed = parseXml('<!DOCTYPE a [<!ENTITY e "UNION SELECT">]><a>1 &e; 2</a>', true);
    expect(allowed.ok && allowed.nodes.find((n) => n.name === "a")?.text).toBe("1 UNION SELECT 2");
  });

  it("refuses malformed XML and encodings other than UTF-8, ASCII and Latin-1", () => {
    expect(parseXml("<a><b></a>", false).ok).toBe(false);
    expect(parseXml('<?xml version="1.0" encoding="IBM037"?><a/>', false)).toMatchObject({ ok: false, reason: expect.stringMatching(/IBM037/) });
    expect(parseXml('<?xml version="1.0" encoding="UTF-8"?><a/>', false).ok).toBe(true);
  });
});

describe("JSON", () => {
  it("visits every key and string value by pointer, duplicate keys included", () => {
    const seen: Array<[string, string, boolean]> = [];
    forEachJsonString('{"q":"safe","q":"1\' OR 1=1--","a":[{"b":"x"},"y"],"c\\u0041":"\\u003cscript\\u003e"}', (p, v, k) => seen.push([p, v, k]));
    expect(seen).toEqual([
      ["/q", "q", true],
      ["/q", "safe", false],
      ["/q", "q", true],
      ["/q", "1' OR 1=1--", false],
      ["/a", "a", true],
      ["/a/0/b", "b", true],
      ["/a/0/b", "x", false],
      ["/a/1", "y", false],
      ["/cA", "cA", true],
      ["/cA", "<script>", false],
    ]);
  });

  it("counts past its limit without visiting", () => {
    let visited = 0;
    const count = forEachJsonString(JSON.stringify(Array.from({ length: 20 }, () => "x")), () => visited++, 5);
    expect([count, visited]).toEqual([20, 5]);
  });
});

describe("pairs and cookies", () => {
  it("splits query strings into raw pairs and counts them", () => {
    const pairs: [string, string][] = [];
    expect(forEachPair("a=1&b=&c&&d=x%3Dy", (n, v) => pairs.push([n, v]))).toBe(4);
    expect(pairs).toEqual([
      ["a", "1"],
      ["b", ""],
      ["c", ""],
      ["d", "x%3Dy"],
    ]);
  });

  it("parses cookies", () => {
    const pairs: [string, string][] = [];
    forEachCookie("a=1; b = two ;flag", (n, v) => pairs.push([n, v]));
    expect(pairs).toEqual([
      ["a", "1"],
      ["b", "two"],
      ["flag", ""],
    ]);
  });
});
