// The differential suite: every class of request that once carried an attack
// past the proxy (inspection caps, multipart and XML read differently from
// backends, duplicate headers and parameters, encodings, fragments, Host,
// version lines), sent as raw bytes over a real socket to the proxy in front
// of a recording origin. Each attack must get a 4xx and the origin must
// receive nothing; each benign control must pass unchanged.

import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { differentialClient, multipartRequest as mp, type RawRequest } from "../test-support/differential-client.js";
import { startOrigin, type Origin } from "../test-support/origin-server.js";
import { sendRaw } from "../test-support/raw-http.js";
import { BASELINE, startTestProxy, type TestProxy } from "../test-support/start-test-proxy.js";

let origin: Origin;
let proxy: TestProxy;

beforeAll(async () => {
  origin = await startOrigin();
  proxy = await startTestProxy(["--policy", BASELINE, "--upstream", origin.url]);
});
afterAll(async () => {
  await proxy.stop();
  await origin.close();
});

const SQLI = "1' UNION SELECT password FROM users--";
const XSS = "<script>alert(document.cookie)</script>";

const { marker, reached, send, expectRefused, expectPassed } = differentialClient(
  () => proxy.port,
  () => origin,
);

describe("protocol: version lines, fragments, Host", () => {
  it.each(["HTTP/2.0", "HTTP/1.2", "HTTP/3.0"])("answers %s on the HTTP/1 listener with 505 and forwards nothing", async (version) => {
    const res = await send({ version });
    expect(res.status).toBe(505);
    expect(res.text).not.toMatch(/at \w+ \(|stack/i);
    expect(res.reached).toBe(false);
  });

  it("accepts HTTP/1.0 and HTTP/1.1", async () => {
    await expectPassed({ version: "HTTP/1.0" });
    await expectPassed({ version: "HTTP/1.1" });
  });

  it.each(["/admin#x", "/x#y", "/x?q=1#frag"])("refuses a fragment in the request target: %s (400)", async (target) => {
    const res = await sendRaw(proxy.port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(res.status).toBe(400);
    expect(origin.received.some((r) => r.url.startsWith(target.split("#")[0]!) && target.startsWith("/admin"))).toBe(false);
  });

  it("refuses two Host headers and a Host with a space and SQL", async () => {
    await expectRefused({ headers: [["Host", "other.example.com"]] }, 400);
    const path = marker();
    const res = await sendRaw(proxy.port, `GET ${path} HTTP/1.1\r\nHost: x' UNION SELECT 1--\r\nConnection: close\r\n\r\n`);
    expect(res.status).toBe(400);
    expect(reached(path)).toBe(false);
  });

  it.each(["app.example.com", "app.example.com:8080", "127.0.0.1:80", "[::1]:8443", "localhost", "my_host.internal"])("accepts Host %s", async (host) => {
    const path = marker();
    const res = await sendRaw(proxy.port, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    expect(res.status).toBe(200);
    expect(origin.received.find((r) => r.url === path)?.headers.host).toBe(host);
  });

  it.each(["a@b.example", "a b", "exa%6dple.com", "<script>", "example.com:99999", "example.com:"])("refuses Host %s", async (host) => {
    const path = marker();
    const res = await sendRaw(proxy.port, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    expect(res.status).toBe(400);
    expect(reached(path)).toBe(false);
  });

  it("refuses an absolute-form target whose authority differs from Host", async () => {
    const path = marker();
    const res = await sendRaw(proxy.port, `GET http://evil.example${path} HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n`);
    expect(res.status).toBe(400);
    expect(reached(path)).toBe(false);
    const same = marker();
    expect((await sendRaw(proxy.port, `GET http://app.example.com${same} HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n`)).status).toBe(200);
  });

  it.each(["Authorization", "Content-Type", "User-Agent", "Referer"])("refuses two %s headers", async (name) => {
    await expectRefused(
      {
        headers: [
          [name, "a"],
          [name, "b"],
        ],
      },
      400,
    );
  });

  it("sends Expect: 100-continue's interim answer only after the head passed the policy", async () => {
    const blockedPath = `/admin${marker()}`;
    const refused = await sendRaw(
      proxy.port,
      [
        `POST ${blockedPath} HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
        "hello",
      ],
      { awaitReplyBetweenParts: true },
    );
    expect(refused.text).not.toMatch(/100 Continue/);
    expect(refused.status).toBe(403);
    const path = marker();
    const passed = await sendRaw(
      proxy.port,
      [`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`, "hello"],
      { awaitReplyBetweenParts: true },
    );
    expect(passed.text).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200/);
  });
});

describe("protocol: blocked path prefixes in the spellings backends accept", () => {
  it.each([
    ["a suffix extension", "/admin.json"],
    ["a suffix extension below", "/admin.php/users"],
    ["a trailing dot", "/admin."],
    ["encoded trailing whitespace", "/admin%20"],
    ["an encoded tab", "/admin%09/users"],
    ["full-width letters", "/%EF%BD%81%EF%BD%84%EF%BD%8D%EF%BD%89%EF%BD%8E"],
    ["full-width letters below", "/%EF%BD%81dmin/settings"],
    ["mixed case with an extension", "/ADMIN.html"],
  ])("refuses %s (403)", async (_name, path) => {
    const res = await sendRaw(proxy.port, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(res.status).toBe(403);
    expect(origin.received.some((r) => r.url === path)).toBe(false);
  });

  it.each(["/admins-guide", "/static/admin-guide.pdf", "/adminx.json", "/docs/v1.2/index.html"])("lets %s through", async (path) => {
    const res = await sendRaw(proxy.port, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(res.status).toBe(200);
  });
});

describe("inspection caps fail closed", () => {
  it("refuses a value longer than the inspection window instead of inspecting its start only", async () => {
    // 1.1 MiB JSON string value: beyond --inspect-bytes (1 MiB), the attack at its end
    await expectRefused({ headers: [["Content-Type", "application/json"]], body: JSON.stringify({ note: `${"a".repeat(1_100_000)} ${SQLI}` }) }, 413);
  });

  it("refuses a JSON body with more strings than the engine reads", async () => {
    const many = Array.from({ length: 10_001 }, () => "x");
    many.push(SQLI);
    await expectRefused({ headers: [["Content-Type", "application/json"]], body: JSON.stringify(many) });
  });

  it("inspects a value past the old 64 KiB window", async () => {
    await expectRefused({ headers: [["Content-Type", "application/json"]], body: JSON.stringify({ note: `${"a ".repeat(40_000)}${SQLI}` }) }, 403);
  });

  it("passes a clean 70 KB base64 image in JSON, a 100 KB text field and a long search", async () => {
    const image = Buffer.from(Array.from({ length: 52_000 }, (_, i) => (i * 7919) % 256)).toString("base64");
    await expectPassed({ headers: [["Content-Type", "application/json"]], body: JSON.stringify({ avatar: `data:image/png;base64,${image}` }) });
    await expectPassed({
      headers: [["Content-Type", "application/json"]],
      body: JSON.stringify({ comment: "A long and perfectly ordinary comment, with its own punctuation. ".repeat(1500) }),
    });
    // a long search, within the policy's 4 KiB parameter length
    await expectPassed({ path: `?q=${"where to buy blue widgets and red gadgets near the station ".repeat(60).trim().replace(/ /g, "+")}` });
  });
});

describe("multipart read as backends read it", () => {
  it.each<[string, RawRequest]>([
    [
      "a quoted parameter hiding filename= (the field is q, its value is read)",
      mp(["--B", 'Content-Disposition: form-data; name="q"; x="; filename=a"', "", SQLI, "--B--", ""]),
    ],
    ['filename="" with content', mp(["--B", 'Content-Disposition: form-data; name="q"; filename=""', "", SQLI, "--B--", ""])],
    [
      "a mid-line delimiter hiding a second part",
      mp(["--B", 'Content-Disposition: form-data; name="a"', "", `ok --B`, 'Content-Disposition: form-data; name="q"', "", SQLI, "--B--", ""]),
    ],
    [
      "an LF-only delimiter",
      {
        headers: [["Content-Type", "multipart/form-data; boundary=B"]],
        body: `--B\r\nContent-Disposition: form-data; name="a"\r\n\r\nok\n--B\r\nContent-Disposition: form-data; name="q"\r\n\r\n${SQLI}\r\n--B--\r\n`,
      },
    ],
    [
      "two boundary parameters",
      {
        headers: [["Content-Type", "multipart/form-data; boundary=A; boundary=B"]],
        body: `--B\r\nContent-Disposition: form-data; name="q"\r\n\r\n${SQLI}\r\n--B--\r\n`,
      },
    ],
    [
      "two Content-Disposition headers",
      mp(["--B", 'Content-Disposition: form-data; name="safe"; filename="a.png"', 'Content-Disposition: form-data; name="q"', "", SQLI, "--B--", ""]),
    ],
    [
      "Content-Transfer-Encoding: base64",
      mp(["--B", 'Content-Disposition: form-data; name="q"', "Content-Transfer-Encoding: base64", "", Buffer.from(SQLI).toString("base64"), "--B--", ""]),
    ],
    ["a body in which no part is found", { headers: [["Content-Type", "multipart/form-data; boundary=B"]], body: `q=${encodeURIComponent(SQLI)}` }],
    [
      "an attack in a text file's content",
      mp(["--B", 'Content-Disposition: form-data; name="doc"; filename="notes.txt"', "Content-Type: text/plain", "", XSS, "--B--", ""]),
    ],
    [
      "path traversal in a file name",
      mp(["--B", 'Content-Disposition: form-data; name="doc"; filename="../../../etc/passwd"', "Content-Type: text/plain", "", "x", "--B--", ""]),
    ],
  ])("refuses %s", async (_name, request) => {
    await expectRefused(request);
  });

  it("passes a normal upload with a binary file and text fields", async () => {
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
      Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 31) % 256)),
    ]);
    const body = Buffer.concat([
      Buffer.from(
        '--B\r\nContent-Disposition: form-data; name="title"\r\n\r\nHoliday photo\r\n--B\r\nContent-Disposition: form-data; name="photo"; filename="beach.png"\r\nContent-Type: image/png\r\n\r\n',
      ),
      png,
      Buffer.from("\r\n--B--\r\n"),
    ]);
    await expectPassed({ headers: [["Content-Type", "multipart/form-data; boundary=B"]], body });
  });
});

describe("XML and SOAP read as DOM parsers read them", () => {
  const xml = (body: string): RawRequest => ({ headers: [["Content-Type", "application/xml"]], body });
  it.each<[string, RawRequest]>([
    ["SQL split by a comment", xml(`<q>1' UNI<!-- -->ON SELECT password FROM users--</q>`)],
    ["SQL split by CDATA", xml(`<q><![CDATA[1' UNION SEL]]>ECT password FROM users--</q>`)],
    ["SQL split by a processing instruction", xml(`<q>1' UNION SEL<?x y?>ECT password FROM users--</q>`)],
    ["script in an attribute value", xml(`<item note="&lt;script&gt;alert(document.cookie)&lt;/script&gt;">ok</item>`)],
    ["a DOCTYPE with an external entity", xml(`<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/hostname">]><a>&x;</a>`)],
    ["a DOCTYPE with an external DTD", xml(`<!DOCTYPE a SYSTEM "http://127.0.0.1:1/evil.dtd"><a>x</a>`)],
    ["an EBCDIC encoding declaration", xml(`<?xml version="1.0" encoding="IBM037"?><a>x</a>`)],
    ["malformed XML", xml("<a><b>x</a>")],
  ])("refuses %s", async (_name, request) => {
    await expectRefused(request);
  });

  it("passes plain XML and a SOAP envelope", async () => {
    await expectPassed(
      xml(
        '<?xml version="1.0" encoding="UTF-8"?><order id="7"><item qty="2">Blue widget</item><!-- gift --><note><![CDATA[Leave at the door]]></note></order>',
      ),
    );
    await expectPassed({
      headers: [["Content-Type", "application/soap+xml; charset=utf-8"]],
      body: '<?xml version="1.0"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><GetPrice><Item>Apples</Item></GetPrice></soap:Body></soap:Envelope>',
    });
  });
});

describe("bodies: Content-Type, Content-Encoding, charsets", () => {
  it("refuses two Content-Type headers", async () => {
    await expectRefused(
      {
        headers: [
          ["Content-Type", "application/json"],
          ["Content-Type", "application/x-www-form-urlencoded"],
        ],
        body: `q=${encodeURIComponent(SQLI)}`,
      },
      400,
    );
  });

  it("decodes a gzip body and inspects what the application will read", async () => {
    await expectRefused(
      {
        headers: [
          ["Content-Type", "application/x-www-form-urlencoded"],
          ["Content-Encoding", "gzip"],
        ],
        body: gzipSync(`q=${encodeURIComponent(SQLI)}`),
      },
      403,
    );
    await expectPassed({
      headers: [
        ["Content-Type", "application/json"],
        ["Content-Encoding", "gzip"],
      ],
      body: gzipSync(JSON.stringify({ name: "widget" })),
    });
  });

  it("refuses a decompression bomb (413) and an unknown coding (415)", async () => {
    await expectRefused(
      {
        headers: [
          ["Content-Type", "text/plain"],
          ["Content-Encoding", "gzip"],
        ],
        body: gzipSync(Buffer.alloc(20 * 1024 * 1024, 97)),
      },
      413,
    );
    await expectRefused(
      {
        headers: [
          ["Content-Type", "text/plain"],
          ["Content-Encoding", "compress"],
        ],
        body: "x",
      },
      415,
    );
  });

  it.each<[string, RawRequest]>([
    ["a UTF-16 charset", { headers: [["Content-Type", "application/json; charset=utf-16le"]], body: Buffer.from(JSON.stringify({ q: SQLI }), "utf16le") }],
    ["UTF-16 JSON without a charset", { headers: [["Content-Type", "application/json"]], body: Buffer.from(JSON.stringify({ q: SQLI }), "utf16le") }],
    ["an EBCDIC charset", { headers: [["Content-Type", "application/x-www-form-urlencoded; charset=ibm037"]], body: "x" }],
  ])("refuses %s (415)", async (_name, request) => {
    await expectRefused(request, 415);
  });
});

describe("duplicates", () => {
  it("reads repeated query and form parameters one by one and comma-joined (ASP.NET)", async () => {
    // each half is harmless alone; joined with "," it is "1' UNION SELECT password,email FROM users--"
    await expectRefused({ path: `?q=${encodeURIComponent("1' UNION SELECT password")}&q=${encodeURIComponent("email FROM users--")}` }, 403);
    await expectRefused(
      { path: `?q=${encodeURIComponent("<svg onload=alert(1)//")}`, headers: [["Content-Type", "application/x-www-form-urlencoded"]], body: "q=x" },
      403,
    );
    await expectPassed({ path: "?tag=red&tag=blue&tag=green" });
  });

  it("inspects every value of a duplicated JSON key", async () => {
    await expectRefused({ headers: [["Content-Type", "application/json"]], body: `{"q":"${SQLI.replace(/'/g, "\\u0027")}","q":"harmless"}` }, 403);
  });
});

describe("headers: every header inspected, known ones by their grammar", () => {
  it.each([
    ["Accept", `x' UNION SELECT password FROM users--`],
    ["Accept-Language", XSS],
    ["Range", "bytes=0-1' OR 1=1--"],
    ["If-None-Match", `x" OR "1"="1`],
    ["Cache-Control", "<script>alert(1)</script>"],
    ["Priority", "u=1' OR '1'='1"],
  ])("refuses %s outside its grammar", async (name, value) => {
    await expectRefused({ headers: [[name, value]] }, 400);
  });

  it("reads the quoted strings a grammar allows as free text", async () => {
    await expectRefused({ headers: [["Accept", `text/html;x="${SQLI}"`]] }, 403);
  });

  it("passes the headers a browser sends", async () => {
    await expectPassed({
      headers: [
        ["Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"],
        ["Accept-Language", "de-CH,de;q=0.9,en-US;q=0.8,en;q=0.7"],
        ["Accept-Encoding", "gzip, deflate, br, zstd"],
        ["Cache-Control", "max-age=0"],
        ["If-None-Match", 'W/"5e1-abc", "xyz"'],
        ["If-Modified-Since", "Wed, 21 Oct 2015 07:28:00 GMT"],
        ["Range", "bytes=0-499, -500"],
        ["Priority", "u=0, i"],
        ["Sec-CH-UA", '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"'],
        ["Sec-CH-UA-Mobile", "?0"],
        ["Sec-CH-UA-Platform", '"Linux"'],
        ["Sec-Fetch-Site", "same-origin"],
        ["Upgrade-Insecure-Requests", "1"],
      ],
    });
  });
});
