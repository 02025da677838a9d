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
// Each figure is given for the whole set and for its tuned and held-back sides,
// split as the main detection bench splits (split.ts): posts by the source of
// their snippets (a post with a held-back snippet is held back), attacks by
// vector; within each kind, a third of the sources by FNV-1a order is held
// back. Rules and profiles are tuned on the tuned side only (--show lists its
// misses and false positives, nothing of the held-back side).
// The corpus is the repo's own (bench/detection/content-profiles/), not ../shared/corpora.

import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundleFromTexts, fieldRoute } from "../../proxy/test-support/policy-route.js";
import type { RequestInit } from "../../proxy/test-support/bundle-fixtures.js";
import { IDENTIFIER_SQLI, LOG4SHELL, STORED_XSS } from "./content-profiles/attacks.js";
import { codePosts, SNIPPETS, type CorpusPost } from "./content-profiles/code-posts.js";
import { splitByTechnique, type Side } from "./split.js";

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

/** technique → side over named items of one or more kinds ("sql.union-select": kind sql), as split.ts splits the main corpora. */
function sidesOf(items: Array<{ kind: string; name: string }>): Map<string, Side> {
  return splitByTechnique(items.map(({ kind, name }) => ({ id: name, technique: name, family: kind, label: "benign", method: "GET", uri: "/" })));
}

type BenchSet = { name: string; items: Array<{ request: RequestInit; side: Side }>; attack: boolean; target: string };

/** An attack set, each vector sent twice (to two fields); a third of the vectors held back. */
function attackSet(name: string, values: string[], request: (value: string, i: number) => RequestInit, offset: number): BenchSet {
  const sides = sidesOf(values.map((value) => ({ kind: name, name: value })));
  return {
    name,
    items: values.flatMap((v, i) => [request(v, i), request(v, i + offset)].map((r) => ({ request: r, side: sides.get(v)! }))),
    attack: true,
    target: "≥ 95%",
  };
}

export function runContentProfilesBench(): void {
  const baseline = readFileSync(path.join(repo, "examples/policies/baseline-standard.yaml"), "utf8");
  const forum = readFileSync(path.join(repo, "examples/policies/app-forum.yaml"), "utf8");
  const variants = [
    ["with content profiles", fieldRoute(bundleFromTexts(baseline, forum))],
    ["without (allowRelax: [])", fieldRoute(bundleFromTexts(baseline.replace(/allowRelax: \[[^\]]*\]/, "allowRelax: []"), forum))],
  ] as const;
  const posts = codePosts();
  const sources = sidesOf(SNIPPETS.map(({ source }) => ({ kind: source.split(".")[0]!, name: source })));
  const postSide = (post: CorpusPost): Side => (post.sources.some((source) => sources.get(source) === "held-back") ? "held-back" : "tuned");
  const sets: BenchSet[] = [
    { name: "code-carrying posts blocked", items: posts.map((post) => ({ request: postRequest(post), side: postSide(post) })), attack: false, target: "≤ 2%" },
    attackSet("stored XSS in content fields refused", STORED_XSS, contentFieldRequests, 3),
    attackSet("Log4Shell in content fields refused", LOG4SHELL, contentFieldRequests, 3),
    attackSet("SQL injection in identifier fields refused", IDENTIFIER_SQLI, identifierRequests, 2),
  ];
  const heldSources = [...sources.values()].filter((side) => side === "held-back").length;
  console.log(
    `content profiles: standard baseline + forum policy; corpus ${posts.length} code-carrying posts from ${sources.size} snippet sources, ${heldSources} held back (bench/detection/content-profiles/)`,
  );
  const columns = variants.flatMap(([name]) => [`${name}: all`, "tuned", "held-back"]);
  console.log(["set".padEnd(44), "n tuned/held".padStart(13), ...columns.map((c, i) => c.padStart(i % 3 === 0 ? 36 : 14)), "  target"].join(""));
  const show = process.argv.includes("--show");
  for (const set of sets) {
    const cells = variants.flatMap(([variantName, route]) => {
      const refused = set.items.map(({ request, side }) => {
        const { verdict } = route(request);
        const blocked = verdict !== null && verdict.action === "blocked";
        // Only the tuned side is shown: the held-back side stays unseen while tuning.
        if (show && side === "tuned" && variantName.startsWith("with ")) {
          if (blocked && !set.attack) console.log(`  blocked: ${verdict.ruleId} ${verdict.part}:${verdict.name} [${verdict.excerpt}]`);
          else if (!blocked && set.attack) console.log(`  missed: ${request.url} ${request.body ?? ""}`.slice(0, 200));
        }
        return { side, blocked };
      });
      const rate = (rows: typeof refused) => {
        const n = rows.filter((r) => r.blocked).length;
        return rows.length === 0 ? "-" : `${((100 * n) / rows.length).toFixed(1)}% (${n})`;
      };
      return [rate(refused), rate(refused.filter((r) => r.side === "tuned")), rate(refused.filter((r) => r.side === "held-back"))];
    });
    const counts = `${set.items.filter((i) => i.side === "tuned").length}/${set.items.filter((i) => i.side === "held-back").length}`;
    console.log([set.name.padEnd(44), counts.padStart(13), ...cells.map((c, i) => c.padStart(i % 3 === 0 ? 36 : 14)), `  ${set.target}`].join(""));
  }
}
