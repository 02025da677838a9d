// The inspection caps and the policy's body settings, over real sockets: each
// cap refuses past it (the origin receives nothing, the decision line names
// the cap) and passes clean content at it; `limits.uninspected: log` forwards
// and logs instead; `bodies.contentEncoding` and `bodies.xmlDoctype` change
// what is refused as the policy says; `bodies.blockedUploadExtensions` refuses
// uploads by file name; charsets other than UTF-8, ASCII and Latin-1 are refused. One proxy per policy, all in front of one recording origin.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { brotliCompressSync, brotliDecompressSync, deflateRawSync, deflateSync, gunzipSync, gzipSync, inflateRawSync, inflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { differentialClient, multipartRequest, type DifferentialClient, type RawRequest, type SentRequest } from "../test-support/differential-client.js";
import { startOrigin, type Origin } from "../test-support/origin-server.js";
import { BASELINE, startTestProxy, type TestProxy } from "../test-support/start-test-proxy.js";

const SQLI = "1' UNION SELECT password FROM users--";
const XSS = "<script>alert(document.cookie)</script>";
const SMALL_WINDOW = 4096;

let origin: Origin;
let directory: string;
const proxies = new Map<string, TestProxy>();

/** baseline-standard.yaml with `change` applied, written where --policy can read it. */
function baselineWith(name: string, change: (document: Record<string, Record<string, unknown>>) => void): string {
  const document = parse(readFileSync(BASELINE, "utf8")) as Record<string, Record<string, unknown>>;
  change(document);
  const file = path.join(directory, `${name}.yaml`);
  writeFileSync(file, stringify(document));
  return file;
}

function applicationPolicy(name: string, sections: Record<string, unknown>): string {
  const file = path.join(directory, `${name}.yaml`);
  writeFileSync(
    file,
    stringify({
      apiVersion: "rampart.dev/v1alpha1",
      kind: "ApplicationPolicy",
      metadata: { application: "test-app", applicationVersion: "1.0.0" },
      ...sections,
    }),
  );
  return file;
}

beforeAll(async () => {
  origin = await startOrigin();
  directory = mkdtempSync(path.join(os.tmpdir(), "rampart-inspection-settings-"));
  const logging = baselineWith("log", (d) => (d.limits!.uninspected = "log"));
  const start = async (name: string, args: string[]) => proxies.set(name, await startTestProxy([...args, "--upstream", origin.url]));
  await start("standard", ["--policy", BASELINE]);
  await start("small-window", ["--policy", BASELINE, "--inspect-bytes", String(SMALL_WINDOW)]);
  await start("log", ["--policy", logging]);
  await start("log-small-window", ["--policy", logging, "--inspect-bytes", String(SMALL_WINDOW)]);
  await start("refuse-encoding", ["--policy", baselineWith("refuse-encoding", (d) => (d.bodies = { contentEncoding: "refuse" }))]);
  await start("doctype", ["--policy", BASELINE, "--policy", applicationPolicy("doctype", { bodies: { xmlDoctype: "allow" } })]);
  await start("svg-uploads", ["--policy", BASELINE, "--policy", applicationPolicy("svg-uploads", { bodies: { blockedUploadExtensions: ["svg"] } })]);
  await start("no-upload-list", ["--policy", baselineWith("no-upload-list", (d) => (d.bodies = { blockedUploadExtensions: [] }))]);
});
afterAll(async () => {
  for (const proxy of proxies.values()) await proxy.stop();
  await origin.close();
  rmSync(directory, { recursive: true, force: true });
});

const clients = new Map<string, DifferentialClient>();
/** The client of the proxy started under `name`; each proxy's requests under a path prefix of their own. */
function via(name: string): DifferentialClient {
  let client = clients.get(name);
  if (client === undefined)
    clients.set(
      name,
      (client = differentialClient(
        () => proxies.get(name)!.port,
        () => origin,
        `/${name}-`,
      )),
    );
  return client;
}

/** The decision line the proxy `name` wrote for the request sent under `sent.path`. */
function decisionFor(name: string, sent: SentRequest, ruleId: string): Record<string, unknown> | undefined {
  return proxies
    .get(name)!
    .decisions()
    .find((line) => line.type === "decision" && (line.path as string).startsWith(sent.path) && line.ruleId === ruleId);
}

function expectCapLine(name: string, sent: SentRequest, cap: string, expected: Record<string, unknown>): void {
  const line = decisionFor(name, sent, `limits.inspection-${cap}`);
  expect(line, `no decision line names the ${cap} cap`).toBeDefined();
  expect(line).toMatchObject({ family: "limits", excerpt: expect.stringContaining(cap), ...expected });
}

const json = (body: unknown): RawRequest => ({ headers: [["Content-Type", "application/json"]], body: JSON.stringify(body) });
const xml = (body: string): RawRequest => ({ headers: [["Content-Type", "application/xml"]], body });

/** `count` form fields f1…, the last one `last`. */
function multipartFields(count: number, last = "x"): RawRequest {
  const lines: string[] = [];
  for (let i = 1; i <= count; i++) lines.push("--B", `Content-Disposition: form-data; name="f${i}"`, "", i === count ? last : "x");
  return multipartRequest([...lines, "--B--", ""]);
}

/** `count` elements with text, the last one `last`: `count` element nodes and the document's text, one more. */
function xmlElements(count: number, last = "x"): RawRequest {
  const items = Array.from({ length: count }, (_, i) => `<i>${i === count - 1 ? last.replace(/</g, "&lt;") : "x"}</i>`);
  return xml(`<r>${items.join("")}</r>`);
}

describe("inspection caps: refused past the cap with a line naming it, clean content at the cap passes", () => {
  it("multipart parts: 1,000 clean fields pass; 1,001 with the attack in the last one are refused (413)", async () => {
    await via("standard").expectPassed(multipartFields(1000));
    const sent = await via("standard").expectRefused(multipartFields(1001, SQLI), 413);
    expectCapLine("standard", sent, "multipart-parts", { status: 413, action: "blocked", part: "parameter" });
  });

  it("XML nodes: 10,000 clean nodes pass; one more, the attack in it, is refused (413)", async () => {
    // 9,999 elements with text and the document's text: 10,000 nodes
    await via("standard").expectPassed(xmlElements(9999));
    const sent = await via("standard").expectRefused(xmlElements(10_001, XSS), 413);
    expectCapLine("standard", sent, "xml-nodes", { status: 413, action: "blocked", part: "body" });
  });

  it("JSON strings: 10,000 clean strings pass; 10,001, the attack last, are refused (413)", async () => {
    await via("standard").expectPassed(json(Array.from({ length: 10_000 }, () => "x")));
    const sent = await via("standard").expectRefused(json([...Array.from({ length: 10_000 }, () => "x"), SQLI]), 413);
    expectCapLine("standard", sent, "json-strings", { status: 413, action: "blocked", part: "body" });
  });

  it("value size: a header value longer than the inspection window is refused (431), one within it passes", async () => {
    await via("small-window").expectPassed({ headers: [["X-Note", "a".repeat(SMALL_WINDOW)]] });
    const sent = await via("small-window").expectRefused({ headers: [["X-Note", `${"a".repeat(SMALL_WINDOW)} ${SQLI}`]] }, 431);
    expectCapLine("small-window", sent, "value-length", { status: 431, action: "blocked", part: "header", name: "X-Note" });
  });

  it("body size: a body longer than the inspection window is refused (413) with the line limits.inspection-limit", async () => {
    const sent = await via("small-window").expectRefused({ headers: [["Content-Type", "text/plain"]], body: `${"a".repeat(SMALL_WINDOW)} ${SQLI}` }, 413);
    expect(decisionFor("small-window", sent, "limits.inspection-limit")).toMatchObject({ status: 413, action: "blocked", part: "body" });
  });
});

describe("limits.uninspected: log forwards what was not inspected, and logs the cap", () => {
  it("forwards JSON with more strings than the engine reads, with a logged line naming the cap", async () => {
    const sent = await via("log").expectPassed(json([...Array.from({ length: 10_000 }, () => "x"), "the 10,001st string"]));
    expect(JSON.parse(sent.received!.body)).toHaveLength(10_001);
    expectCapLine("log", sent, "json-strings", { action: "logged", status: 200, part: "body" });
  });

  it("forwards multipart fields and XML nodes past their caps, each with a logged line", async () => {
    expectCapLine("log", await via("log").expectPassed(multipartFields(1001)), "multipart-parts", { action: "logged", status: 200 });
    expectCapLine("log", await via("log").expectPassed(xmlElements(10_001)), "xml-nodes", { action: "logged", status: 200 });
  });

  it("forwards a body longer than the inspection window whole, with a logged line", async () => {
    const body = `${"a".repeat(SMALL_WINDOW * 3)} the end`;
    const sent = await via("log-small-window").expectPassed({ headers: [["Content-Type", "text/plain"]], body });
    expect(sent.received!.body).toBe(body);
    expect(decisionFor("log-small-window", sent, "limits.uninspected-body")).toMatchObject({ action: "logged", status: 200, part: "body" });
  });

  it("still refuses an attack inside what it did inspect", async () => {
    await via("log").expectRefused(json([SQLI, ...Array.from({ length: 10_000 }, () => "x")]), 403);
  });
});

describe("text-like files in multipart are inspected up to the inspection window", () => {
  /** A multipart body of exactly `size` bytes: one text file whose content ends with `tail`. */
  function textFileOf(size: number, tail: string): RawRequest {
    const head = '--B\r\nContent-Disposition: form-data; name="doc"; filename="notes.txt"\r\nContent-Type: text/plain\r\n\r\n';
    const end = "\r\n--B--\r\n";
    const filler = size - head.length - tail.length - end.length;
    const body = `${head}${"lorem ipsum ".repeat(filler).slice(0, filler)}${tail}${end}`;
    expect(Buffer.byteLength(body)).toBe(size);
    return { headers: [["Content-Type", "multipart/form-data; boundary=B"]], body };
  }

  it("refuses an attack at the very end of a text file that fills the window (403), passes the same file clean", async () => {
    await via("small-window").expectRefused(textFileOf(SMALL_WINDOW, XSS), 403);
    await via("small-window").expectPassed(textFileOf(SMALL_WINDOW, "the end."));
  });

  it("refuses a text file one byte past the window (413, limits.inspection-limit) under uninspected: refuse", async () => {
    const sent = await via("small-window").expectRefused(textFileOf(SMALL_WINDOW + 1, XSS), 413);
    expect(decisionFor("small-window", sent, "limits.inspection-limit")).toMatchObject({ status: 413, action: "blocked" });
  });

  it("under uninspected: log, refuses a text file whose end arrives past the window (400): a multipart body cut there cannot be read, so nothing is forwarded unread", async () => {
    // Chunked in three, the third wholly past the window: the proxy holds the first two (it stops reading in the chunk
    // that crosses the window), whatever the network does to the packets.
    const body = Buffer.from(textFileOf(SMALL_WINDOW * 3, XSS).body as string);
    const chunks = [body.subarray(0, SMALL_WINDOW - 96), body.subarray(SMALL_WINDOW - 96, SMALL_WINDOW + 104), body.subarray(SMALL_WINDOW + 104)];
    const sent = await via("log-small-window").expectRefused(
      {
        headers: [
          ["Content-Type", "multipart/form-data; boundary=B"],
          ["Transfer-Encoding", "chunked"],
        ],
        body: Buffer.concat([...chunks.flatMap((c) => [Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from("\r\n")]), Buffer.from("0\r\n\r\n")]),
      },
      400,
    );
    expect(decisionFor("log-small-window", sent, "protocol.multipart")).toMatchObject({ status: 400, action: "blocked" });
  });
});

describe("bodies.contentEncoding", () => {
  const form = (body: Buffer, coding: string): RawRequest => ({
    headers: [
      ["Content-Type", "application/x-www-form-urlencoded"],
      ["Content-Encoding", coding],
    ],
    body,
  });
  const attack = Buffer.from(`q=${encodeURIComponent(SQLI)}`);
  const clean = Buffer.from("q=blue+widgets&page=2");
  it.each<[string, (b: Buffer) => Buffer, (b: Buffer) => Buffer]>([
    ["deflate", deflateSync, inflateSync],
    ["gzip", gzipSync, gunzipSync],
    ["deflate (raw, as some clients send it)", deflateRawSync, inflateRawSync],
    ["br", brotliCompressSync, brotliDecompressSync],
  ])("decodes %s and inspects what the application reads: the attack refused (403), the clean body forwarded as sent", async (name, encode, decode) => {
    const coding = name.split(" ")[0]!;
    await via("standard").expectRefused(form(encode(attack), coding), 403);
    const sent = await via("standard").expectPassed(form(encode(clean), coding));
    // Forwarded as sent, Content-Encoding kept: the application decodes the very bytes that were inspected decoded.
    expect(sent.received!.headers["content-encoding"]).toBe(coding);
    expect(decode(sent.received!.bytes).toString()).toBe(clean.toString());
  });

  it.each<[string, (b: Buffer) => Buffer]>([
    ["gzip", gzipSync],
    ["deflate", deflateSync],
    ["br", brotliCompressSync],
  ])("refuses a %s decompression bomb (413, limits.decoded-body-bytes)", async (coding, encode) => {
    const sent = await via("standard").expectRefused(
      {
        headers: [
          ["Content-Type", "text/plain"],
          ["Content-Encoding", coding],
        ],
        body: encode(Buffer.alloc(20 * 1024 * 1024, 97)),
      },
      413,
    );
    expect(decisionFor("standard", sent, "limits.decoded-body-bytes")).toBeDefined();
  });

  it("refuse: a compressed body gets 415 (protocol.content-encoding), gzip, deflate and br alike; identity and plain bodies pass", async () => {
    for (const [coding, encode] of [
      ["gzip", gzipSync],
      ["deflate", deflateSync],
      ["br", brotliCompressSync],
    ] as const) {
      const sent = await via("refuse-encoding").expectRefused(form(encode(clean), coding), 415);
      expect(decisionFor("refuse-encoding", sent, "protocol.content-encoding")).toMatchObject({ status: 415, excerpt: coding });
    }
    await via("refuse-encoding").expectPassed(form(clean, "identity"));
    await via("refuse-encoding").expectPassed({ headers: [["Content-Type", "application/x-www-form-urlencoded"]], body: clean });
  });
});

describe("bodies.xmlDoctype", () => {
  const internalSubset = `<?xml version="1.0"?><!DOCTYPE order [<!ELEMENT order (#PCDATA)>]><order>Blue widget</order>`;

  it("refuses a DOCTYPE with an internal subset by default (400, protocol.xml-doctype)", async () => {
    const sent = await via("standard").expectRefused(xml(internalSubset), 400);
    expect(decisionFor("standard", sent, "protocol.xml-doctype")).toBeDefined();
  });

  it("passes it where the application policy allows document type declarations", async () => {
    await via("doctype").expectPassed(xml(internalSubset));
  });

  it("still refuses an external entity and an attack hidden in an internal entity where they are allowed", async () => {
    const external = await via("doctype").expectRefused(xml(`<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/hostname">]><a>&x;</a>`), 403);
    expect(decisionFor("doctype", external, "generic.xxe")).toBeDefined();
    await via("doctype").expectRefused(xml(`<!DOCTYPE a [<!ENTITY q "${SQLI}">]><a>&q;</a>`), 403);
  });
});

describe("charsets", () => {
  it.each<[string, RawRequest]>([
    ["a UTF-32 charset", { headers: [["Content-Type", "text/plain; charset=utf-32"]], body: Buffer.from([0, 0, 0, 0x78]) }],
    [
      "UTF-32 JSON without a charset",
      {
        headers: [["Content-Type", "application/json"]],
        body: Buffer.concat([...JSON.stringify({ q: SQLI })].map((c) => Buffer.from([c.charCodeAt(0), 0, 0, 0]))),
      },
    ],
    [
      "UTF-16 text with a byte-order mark",
      { headers: [["Content-Type", "text/plain"]], body: Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(XSS, "utf16le").swap16()]) },
    ],
  ])("refuses %s (415)", async (_name, request) => {
    await via("standard").expectRefused(request, 415);
  });

  it("passes Latin-1 bodies with accented characters, forwarded byte for byte", async () => {
    const text = Buffer.from("Crème brûlée for José, à la carte", "latin1");
    const sent = await via("standard").expectPassed({ headers: [["Content-Type", "text/plain; charset=iso-8859-1"]], body: text });
    expect(sent.received!.bytes.equals(text)).toBe(true);
    await via("standard").expectPassed({ headers: [["Content-Type", "application/x-www-form-urlencoded; charset=ISO-8859-1"]], body: "name=Jos%E9+M%FCller" });
  });
});

describe("bodies.blockedUploadExtensions", () => {
  const upload = (filename: string, content = "just text"): RawRequest =>
    multipartRequest([
      "--B",
      'Content-Disposition: form-data; name="title"',
      "",
      "My file",
      "--B",
      `Content-Disposition: form-data; name="file"; filename="${filename}"`,
      "Content-Type: application/octet-stream",
      "",
      content,
      "--B--",
      "",
    ]);

  it.each(["shell.php", "shell.php.jpg", "Shell.PHP. ", "shell.asp;.jpg", "shell.aspx::$DATA", "setup.exe", "run.ps1", "shell%2ephtml"])(
    "refuses the upload %j under the baseline's default list (403, uploads.blocked-extension, the file name as excerpt)",
    async (filename) => {
      const sent = await via("standard").expectRefused(upload(filename), 403);
      expect(decisionFor("standard", sent, "uploads.blocked-extension")).toMatchObject({
        family: "uploads",
        part: "parameter",
        name: "file",
        excerpt: filename,
        action: "blocked",
      });
    },
  );

  it("refuses a raw upload named by X-Filename or X-File-Name before its body is read", async () => {
    for (const header of ["X-Filename", "X-File-Name"]) {
      const sent = await via("standard").expectRefused(
        {
          headers: [
            [header, "backdoor.jsp"],
            ["Content-Type", "application/octet-stream"],
          ],
          body: "x",
        },
        403,
      );
      expect(decisionFor("standard", sent, "uploads.blocked-extension")).toMatchObject({ part: "header", excerpt: "backdoor.jsp" });
    }
  });

  it.each(["photo.jpg", "report.final.pdf", "archive.tar.gz", "invoice.pl.pdf", "www.example.com.png", "drawing.svg"])(
    "passes the upload %j",
    async (filename) => {
      await via("standard").expectPassed(upload(filename));
    },
  );

  it("refuses what an application adds to the list, alongside the baseline's", async () => {
    const sent = await via("svg-uploads").expectRefused(upload("drawing.svg", "<svg/>"), 403);
    expect(decisionFor("svg-uploads", sent, "uploads.blocked-extension")).toMatchObject({ excerpt: "drawing.svg" });
    await via("svg-uploads").expectRefused(upload("shell.php"), 403);
    await via("svg-uploads").expectPassed(upload("photo.jpg"));
  });

  it("with an empty list in the baseline, only the deny rules' own upload checks remain", async () => {
    await via("no-upload-list").expectPassed(upload("setup.exe"));
    const sent = await via("no-upload-list").expectRefused(upload("shell.php"), 403);
    expect(decisionFor("no-upload-list", sent, "php.script-upload")).toBeDefined();
  });
});
