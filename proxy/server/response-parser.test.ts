import { describe, expect, it } from "vitest";
import { ResponseParser } from "./response-parser.js";

function parse(raw: string, options: { head?: boolean; split?: number } = {}) {
  const events: { status?: number; headers?: string[]; length?: number; hasBody?: boolean; body: string; end?: boolean; keepAlive?: boolean } = { body: "" };
  const parser = new ResponseParser(
    {
      onHead: (status, headers, length, hasBody) => Object.assign(events, { status, headers, length, hasBody }),
      onData: (chunk) => (events.body += chunk.toString("latin1")),
      onEnd: (keepAlive) => Object.assign(events, { end: true, keepAlive }),
    },
    options.head ?? false,
  );
  const bytes = Buffer.from(raw, "latin1");
  const step = options.split ?? bytes.length;
  let leftover = 0;
  for (let i = 0; i < bytes.length; i += step) leftover += parser.feed(bytes.subarray(i, i + step));
  return { ...events, leftover, parser };
}

describe("the upstream response parser", () => {
  it.each([1, 3, 1000])("reads a Content-Length response fed %i bytes at a time", (split) => {
    const r = parse("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello", { split });
    expect(r).toMatchObject({ status: 200, body: "hello", end: true, keepAlive: true, length: 5, leftover: 0 });
    expect(r.headers).toEqual(["Content-Type", "text/plain", "Content-Length", "5"]);
  });

  it.each([1, 2, 7, 1000])("decodes a chunked response fed %i bytes at a time, trailers dropped", (split) => {
    const r = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1\r\n!\r\n0\r\nX-Trailer: t\r\n\r\n", { split });
    expect(r).toMatchObject({ status: 200, body: "hello!", end: true, keepAlive: true, length: -1 });
  });

  it("skips interim responses", () => {
    expect(parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n")).toMatchObject({
      status: 204,
      end: true,
      hasBody: false,
    });
  });

  it("gives a HEAD response no body whatever its Content-Length", () => {
    expect(parse("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", { head: true })).toMatchObject({ status: 200, end: true, hasBody: false, length: 100 });
  });

  it("reads until close without framing, and never reuses that connection", () => {
    const r = parse("HTTP/1.1 200 OK\r\n\r\nsome bytes");
    expect(r.body).toBe("some bytes");
    expect(r.end).toBeUndefined();
    r.parser.close();
    expect(r.parser.done).toBe(true);
  });

  it("honours Connection: close and HTTP/1.0", () => {
    expect(parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").keepAlive).toBe(false);
    expect(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").keepAlive).toBe(false);
    expect(parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n").keepAlive).toBe(true);
  });

  it("reports bytes after a complete response", () => {
    expect(parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naEXTRA").leftover).toBe(5);
  });

  it.each([
    ["a second Content-Length with another value", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\na"],
    ["Content-Length with Transfer-Encoding", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"],
    ["a Transfer-Encoding other than chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"],
    ["a signed Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: +1\r\n\r\na"],
    ["obsolete line folding", "HTTP/1.1 200 OK\r\nX-A: 1\r\n 2\r\n\r\n"],
    ["a header name with a space", "HTTP/1.1 200 OK\r\nX A: 1\r\n\r\n"],
    ["a bare LF inside a header value", "HTTP/1.1 200 OK\r\nX-A: 1\nSet-Cookie: x\r\n\r\n"],
    ["a NUL in a value", "HTTP/1.1 200 OK\r\nX-A: a\u0000b\r\n\r\n"],
    ["HTTP/2 framing", "HTTP/2 200\r\n\r\n"],
    ["a bad status code", "HTTP/1.1 2x0 OK\r\n\r\n"],
    ["a protocol switch", "HTTP/1.1 101 Switching Protocols\r\n\r\n"],
    ["a bad chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"],
    ["chunk data longer than its size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n0\r\n\r\n"],
  ])("refuses %s", (_name, raw) => {
    expect(() => parse(raw)).toThrow();
  });

  it("refuses a head larger than 64 KiB", () => {
    expect(() => parse(`HTTP/1.1 200 OK\r\nX-A: ${"a".repeat(70_000)}`)).toThrow(/too large/);
  });

  it("counts the whole head against the 64 KiB cap, even when it arrives complete in one chunk", () => {
    expect(() => parse(`HTTP/1.1 200 OK\r\nX-A: ${"a".repeat(70_000)}\r\nContent-Length: 0\r\n\r\n`)).toThrow(/too large/);
    const fields = Array.from({ length: 20 }, (_, i) => `X-${i}: ${"b".repeat(4000)}\r\n`).join("");
    expect(() => parse(`HTTP/1.1 200 OK\r\n${fields}Content-Length: 0\r\n\r\n`)).toThrow(/too large/);
  });

  it("counts interim heads towards the cap and limits how many come", () => {
    const interim = `HTTP/1.1 103 Early Hints\r\nLink: <${"c".repeat(20_000)}>\r\n\r\n`;
    expect(() => parse(`${interim.repeat(4)}HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n`)).toThrow(/too large/);
    expect(() => parse(`${"HTTP/1.1 100 Continue\r\n\r\n".repeat(9)}HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n`)).toThrow(/interim/);
  });

  it("refuses more than 256 header fields", () => {
    const fields = Array.from({ length: 257 }, (_, i) => `X-${i}: v\r\n`).join("");
    expect(() => parse(`HTTP/1.1 200 OK\r\n${fields}Content-Length: 0\r\n\r\n`)).toThrow(/too many/);
    expect(parse(`HTTP/1.1 200 OK\r\n${fields.slice(0, fields.indexOf("X-255"))}Content-Length: 0\r\n\r\n`).status).toBe(200);
  });

  it("survives random bytes: either parses or throws its own error, in bounded time", () => {
    const alphabet = [
      "HTTP/1.1 ",
      "200",
      " OK",
      "\r\n",
      ":",
      "Content-Length",
      "Transfer-Encoding",
      "chunked",
      "0",
      "5",
      "a",
      " ",
      "\n",
      "\u0000",
      "\r\n\r\n",
      ";",
    ];
    for (let i = 0; i < 3000; i++) {
      let raw = "";
      const parts = 1 + Math.floor(Math.random() * 30);
      for (let j = 0; j < parts; j++) raw += alphabet[Math.floor(Math.random() * alphabet.length)];
      try {
        parse(raw, { split: 1 + Math.floor(Math.random() * 8) });
      } catch (error) {
        expect((error as Error).name).toBe("Error");
      }
    }
  });
});
