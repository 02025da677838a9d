// npm run bench:detection -- --content-profiles
//
// Content profiles per field (issue #21), in process: the standard baseline
// plus the forum example policy whose OpenAPI specification marks its text
// fields, compiled as the portal compiles them and run through the proxy's
// OpenAPI validation and deny-rule middlewares. Reports, next to the same
// policies with content profiles switched off (contentProfiles.allowRelax: []):
//   * code-carrying posts blocked (target ≤ 2%),
//   * stored XSS and Log4Shell in content fields, SQL injection in identifier
//     fields refused (target ≥ 95%).
// The corpus is the repo's own (bench/detection/content-profiles/), not ../shared/corpora.

import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundleFromTexts, fieldRoute } from "../../proxy/test-support/policy-route.js";
import type { RequestInit } from "../../proxy/test-support/bundle-fixtures.js";
import { IDENTIFIER_SQLI, LOG4SHELL, STORED_XSS } from "./content-profiles/attacks.js";
import { codePosts, type CorpusPost } from "./content-profiles/code-posts.js";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const THREAD = "6f1c2b7e-8a4d-4b8e-9a51-0c9d2f3e4a5b";

const json = (method: string, url: string, body: unknown): RequestInit => ({
  method,
  url,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

function postRequest(post: CorpusPost): RequestInit {
  if (post.endpoint === "thread-post") return json("POST", `/threads/${THREAD}/posts`, { body: post.text });
  if (post.endpoint === "ticket-comment") return json("POST", "/tickets/42/comments", { message: post.text, visibility: "public" });
  return json("POST", `/reviews/${"c".repeat(40)}/comments`, { file: "src/app.ts", line: 12, body: post.text });
}

/** Markdown syntax (links, images, autolinks) is an attack only where the value is rendered as markdown. */
const isMarkdownSyntax = (value: string) => /^(!?\[|<javascript:)/.test(value);

/** Every content field of the forum, each attack sent to each in turn (markdown syntax to the markdown fields). */
function contentFieldRequests(value: string, i: number): RequestInit {
  if (isMarkdownSyntax(value)) {
    return i % 2 === 0
      ? json("POST", `/threads/${THREAD}/posts`, { body: value })
      : json("POST", `/reviews/${"c".repeat(40)}/comments`, { file: "a.ts", line: 1, body: value });
  }
  switch (i % 6) {
    case 0:
      return json("POST", `/threads/${THREAD}/posts`, { body: value });
    case 1:
      return json("POST", "/tickets/42/comments", { message: value });
    case 2:
      return json("POST", `/reviews/${"c".repeat(40)}/comments`, { file: "a.ts", line: 1, body: "ok", suggestions: [value] });
    case 3:
      return json("POST", "/threads", { title: value, body: "see title", category: "help" });
    case 4:
      return json("PUT", "/users/ada_l/profile", { bio: value });
    default:
      return { method: "GET", url: `/threads?q=${encodeURIComponent(value)}` };
  }
}

function identifierRequests(value: string, i: number): RequestInit {
  switch (i % 5) {
    case 0:
      return json("POST", `/threads/${THREAD}/posts`, { body: "ok", replyTo: value });
    case 1:
      return json("POST", "/tickets/42/comments", { message: "ok", visibility: value });
    case 2:
      return json("POST", `/tickets/${encodeURIComponent(value)}/comments`, { message: "ok" });
    case 3:
      return { method: "GET", url: `/threads?tag=${encodeURIComponent(value)}` };
    default:
      return { method: "GET", url: `/threads?page=${encodeURIComponent(value)}` };
  }
}

export function runContentProfilesBench(): void {
  const baseline = readFileSync(path.join(repo, "examples/policies/baseline-standard.yaml"), "utf8");
  const forum = readFileSync(path.join(repo, "examples/policies/app-forum.yaml"), "utf8");
  const variants = [
    ["with content profiles", fieldRoute(bundleFromTexts(baseline, forum))],
    ["without (allowRelax: [])", fieldRoute(bundleFromTexts(baseline.replace(/allowRelax: \[[^\]]*\]/, "allowRelax: []"), forum))],
  ] as const;
  const posts = codePosts();
  const sets: Array<{ name: string; requests: RequestInit[]; attack: boolean; target: string }> = [
    { name: "code-carrying posts blocked", requests: posts.map(postRequest), attack: false, target: "≤ 2%" },
    {
      name: "stored XSS in content fields refused",
      requests: STORED_XSS.flatMap((v, i) => [contentFieldRequests(v, i), contentFieldRequests(v, i + 3)]),
      attack: true,
      target: "≥ 95%",
    },
    {
      name: "Log4Shell in content fields refused",
      requests: LOG4SHELL.flatMap((v, i) => [contentFieldRequests(v, i), contentFieldRequests(v, i + 3)]),
      attack: true,
      target: "≥ 95%",
    },
    {
      name: "SQL injection in identifier fields refused",
      requests: IDENTIFIER_SQLI.flatMap((v, i) => [identifierRequests(v, i), identifierRequests(v, i + 2)]),
      attack: true,
      target: "≥ 95%",
    },
  ];
  console.log(`content profiles: standard baseline + forum policy; corpus ${posts.length} code-carrying posts (bench/detection/content-profiles/)`);
  console.log(["set".padEnd(44), "n".padStart(5), ...variants.map(([name]) => name.padStart(26)), "  target"].join(""));
  const show = process.argv.includes("--show");
  for (const set of sets) {
    const cells = variants.map(([variantName, route]) => {
      let refused = 0;
      for (const request of set.requests) {
        const { verdict } = route(request);
        if (verdict !== null && verdict.action === "blocked") {
          refused++;
          if (show && !set.attack && variantName.startsWith("with "))
            console.log(`  blocked: ${verdict.ruleId} ${verdict.part}:${verdict.name} [${verdict.excerpt}]`);
        } else if (show && set.attack && variantName.startsWith("with ")) console.log(`  missed: ${request.url} ${request.body ?? ""}`.slice(0, 200));
      }
      return `${((100 * refused) / set.requests.length).toFixed(1)}% (${refused})`;
    });
    console.log([set.name.padEnd(44), String(set.requests.length).padStart(5), ...cells.map((c) => c.padStart(26)), `  ${set.target}`].join(""));
  }
}
