// Round 4 of the bench corpora (issue #14): payloads and benign content
// written by OTHER people than the one who tuned the rules, read at bench
// time from files installed on the machine, placed in realistic requests,
// and split before any rule of the round was changed.
//
//   npx tsx bench/detection/corpora/generate-round4.ts [--out DIR]   (writes {attacks,benign}-round4.jsonl for reading)
//   npm run bench:detection -- --in-process                           (builds round 4 in memory when the sources exist)
//
// Nothing third-party is vendored: wfuzz (GPL-2) and sqlmap (GPL-2+ with a
// custom exception) are read from their Debian packages, the README files
// and descriptions from the installed node_modules (each under its own
// licence), the summaries from dpkg. When a source is absent the bench says
// which and runs without it (`apt-get install -y wfuzz sqlmap`).
//
// Attacks (family = the list's own name for what it is; nothing is labelled
// by what Rampart matches):
//   sqli  wfuzz Injections/SQL.txt and vulns/sql_inj.txt; XPath lines of
//         Injections/XML.txt; sqlmap's payload tests (data/xml/payloads/*.xml,
//         each test's request payload) wrapped in sqlmap's boundaries
//         (boundaries.xml prefix/suffix), [RANDNUM]/[RANDSTR]/[SLEEPTIME]/
//         [DELIMITER_*]/… instantiated from this file's seeded PRNG the way
//         sqlmap does at run time.
//   xss   wfuzz Injections/XSS.txt; script/CDATA lines of Injections/XML.txt.
//   lfi   wfuzz Injections/Traversal.txt; vulns/dirTraversal{,-nix,-win}.txt
//         (2,573 lines, sampled).
//   rce   the command-injection section of wfuzz Injections/All_attack.txt
//         (lines 34–58) and its server-side-include lines (134–136).
//   generic  the XXE lines of Injections/XML.txt.
//   php   the phpinfo() line of Injections/XML.txt.
// A fuzz list also holds probes that are no attack on their own (a lone
// quote, `select`, a number, `admin'`): an entry is kept only when, decoded,
// it is at least 5 characters long, holds at least 2 letters and at least
// one structural character (< > ; | & ( ) = $ ` / \ # * or --). LDAP filter
// probes (`*(|(mail=*))`) are left out: Rampart has no LDAP family. This
// filter was written and applied before any rule ran on round 4.
//
// Benign (written by others):
//   readme-code-<lang>  fenced code blocks from README.md files under
//                       node_modules (SQL, shell, JS/TS, Dockerfile, YAML,
//                       JSON, HTML…) with the paragraph before them, posted as
//                       markdown comments in ticket / forum / code-review
//                       JSON, form and multipart bodies;
//   readme-prose        README paragraphs as comment bodies;
//   npm-description     package.json descriptions as product descriptions;
//   npm-homepage        homepage / repository URLs as link fields;
//   debian-summary      dpkg package summaries ("GNU C Library: Shared
//                       libraries", "Python 3 (default version)") as product
//                       titles in search queries, forms and XML.
//
// Techniques for the split (split.ts, round 4 on its own): sqlmap by
// test type × DBMS, wfuzz entries by their shape (first tag, encoding ×
// target, leading SQL keyword), benign by source and code language.
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { makeCorpusKit, VALUE_PLACEMENTS, type Placement, type PlacedRequest, type Rec } from "./placement.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, "../../..");
const WFUZZ = "/usr/share/wfuzz/wordlist";
const SQLMAP = "/usr/share/sqlmap/data/xml";

export interface Round4 {
  records: Rec[];
  /** Sources read, with versions where known. */
  sources: string[];
  /** Sources that were absent, with how to install them. */
  missing: string[];
}

const readLines = (file: string): string[] =>
  readFileSync(file, "latin1")
    .split(/\r?\n/)
    .filter((l) => l.length > 0);

/** One round of %-decoding and the HTML entities a fuzz list writes, for the keep filter and the shape only. */
export function decodedForm(s: string): string {
  let d = s.replace(/%([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  d = d.replace(/&(lt|gt|quot|apos|amp);?/g, (_, n: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[n]!);
  return d;
}

/** The probe filter described in the header: fuzz entries that are no attack on their own are left out. */
export function isAttackEntry(s: string): boolean {
  const d = decodedForm(s);
  if (d.trim().length < 5) return false;
  if ((d.match(/[a-z]/gi) ?? []).length < 2) return false;
  if (/\(\|\(|\*\(\|/.test(d)) return false; // LDAP filter probe
  return /[<>;|&()=$`/\\#*]|--/.test(d);
}

export function dpkgVersion(pkg: string): string | null {
  try {
    return execFileSync("dpkg-query", ["-W", "-f", "${Version}", pkg], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || null;
  } catch {
    return null;
  }
}

/** Places a list entry written for a URL (may hold %xx) or for a body, the way a fuzzer substitutes it. */
export function placeListEntry(kit: ReturnType<typeof makeCorpusKit>, payload: string, where: Placement): PlacedRequest {
  if (where === "query" || where === "form" || where === "cookie") {
    // A fuzzer substitutes the entry verbatim into the URL / form: keep its %xx, escape only what HTTP cannot carry raw.
    const raw = payload.replace(/[\s"<>`{}|\\^&#+;=']|[^\x21-\x7e]/g, (c) =>
      Array.from(Buffer.from(c, "utf8"))
        .map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`)
        .join(""),
    );
    return kit.place(raw, where, true);
  }
  return kit.place(payload, where);
}

const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 30);

export function buildRound4(): Round4 {
  const kit = makeCorpusKit(0x4d4f5234);
  const { rand, pick } = kit;
  const records: Rec[] = [];
  const sources: string[] = [];
  const missing: string[] = [];
  const counter = new Map<string, number>();

  const placeFuzz = (payload: string, where: Placement): PlacedRequest => placeListEntry(kit, payload, where);

  function add(family: string, technique: string, label: "attack" | "benign", placed: Omit<Rec, "id" | "family" | "technique" | "label" | "round">): void {
    const t = `${family}.r4-${technique}`;
    const n = (counter.get(t) ?? 0) + 1;
    counter.set(t, n);
    records.push({ id: `r4-${family}-${technique}-${n}`, family, technique: t, label, round: 4, ...placed });
  }

  function addAttack(family: string, technique: string, payload: string, copies: number): void {
    const places = [...VALUE_PLACEMENTS, "header", "cookie"] as Placement[];
    const chosen = new Set<Placement>();
    while (chosen.size < copies) chosen.add(pick(places));
    for (const where of chosen) add(family, technique, "attack", placeFuzz(payload, where));
  }

  // ---- wfuzz -------------------------------------------------------------
  const wfuzzVersion = dpkgVersion("wfuzz");
  if (existsSync(`${WFUZZ}/Injections/SQL.txt`)) {
    sources.push(`wfuzz ${wfuzzVersion ?? "?"} wordlists (${WFUZZ})`);
    const seen = new Set<string>();
    const fresh = (lines: string[]): string[] => lines.filter((l) => isAttackEntry(l) && !seen.has(l) && (seen.add(l), true));

    const sqlShape = (s: string): string => {
      const d = decodedForm(s).toLowerCase();
      for (const [k, re] of [
        ["union", /union/],
        ["exec", /exec|xp_|sp_/],
        ["time", /sleep|benchmark|waitfor/],
        ["order-by", /order\s+by|group\s+by/],
        ["mysql-comment", /\/\*/],
        ["tautology", /\b(or|and)\b/],
      ] as [string, RegExp][])
        if (re.test(d)) return k;
      return "terminator";
    };
    for (const l of fresh([...readLines(`${WFUZZ}/Injections/SQL.txt`), ...readLines(`${WFUZZ}/vulns/sql_inj.txt`)]))
      addAttack("sqli", `wfuzz-sql-${sqlShape(l)}`, l, 3);

    const xssShape = (s: string): string => {
      const m = /<\s*([a-z]+)/i.exec(decodedForm(s));
      return m ? `tag-${m[1]!.toLowerCase()}` : "no-tag";
    };
    for (const l of fresh(readLines(`${WFUZZ}/Injections/XSS.txt`))) addAttack("xss", `wfuzz-xss-${xssShape(l)}`, l, 3);

    for (const l of fresh(readLines(`${WFUZZ}/Injections/XML.txt`))) {
      const d = decodedForm(l);
      if (/<!ENTITY/i.test(d)) addAttack("generic", "wfuzz-xml-xxe", l, 3);
      else if (/phpinfo/i.test(d)) addAttack("php", "wfuzz-xml-php", l, 3);
      else if (/script|javas|xss/i.test(d)) addAttack("xss", "wfuzz-xml-cdata", l, 3);
      else addAttack("sqli", "wfuzz-xml-xpath", l, 3);
    }

    const lfiShape = (s: string): string => {
      const low = s.toLowerCase();
      const enc = /%c0|%c1|%e0|%f0|%80/.test(low)
        ? "overlong"
        : /%25/.test(low)
          ? "double"
          : /%u/.test(low)
            ? "unicode"
            : /%2e|%2f|%5c/.test(low)
              ? "pct"
              : /\\/.test(s)
                ? "backslash"
                : "plain";
      const target = /passwd|shadow|hosts|\/etc|\/proc|\/bin/.test(low)
        ? "unix"
        : /boot\.ini|win\.ini|winnt|windows|system32|\.asa|\.asp|c:/.test(low)
          ? "windows"
          : "other";
      return `${enc}-${target}`;
    };
    for (const l of fresh(readLines(`${WFUZZ}/Injections/Traversal.txt`))) addAttack("lfi", `wfuzz-traversal-${lfiShape(l)}`, l, 2);
    const dirTraversal = fresh(["dirTraversal.txt", "dirTraversal-nix.txt", "dirTraversal-win.txt"].flatMap((f) => readLines(`${WFUZZ}/vulns/${f}`)));
    // 2,500 lines, mostly the same traversal at depths 1–8: every 8th keeps every encoding × target.
    dirTraversal.forEach((l, i) => {
      if (i % 8 === 0) addAttack("lfi", `wfuzz-dirtraversal-${lfiShape(l)}`, l, 1);
    });

    const all = readLines(`${WFUZZ}/Injections/All_attack.txt`);
    // readLines drops empty lines; the section is found by its first and last entries, not by position.
    const start = all.indexOf("`id`");
    const end = all.indexOf("/index.html|id|");
    const ssi = all.filter((l) => l.includes("#exec") || l === "/,%ENV,/");
    if (start >= 0 && end > start) for (const l of fresh([...all.slice(start, end + 1), ...ssi])) addAttack("rce", "wfuzz-command", l, 3);
  } else missing.push(`wfuzz wordlists (${WFUZZ}): apt-get install -y wfuzz`);

  // ---- sqlmap ------------------------------------------------------------
  if (existsSync(`${SQLMAP}/boundaries.xml`)) {
    sources.push(`sqlmap ${dpkgVersion("sqlmap") ?? "?"} payloads and boundaries (${SQLMAP})`);
    const xmlText = (s: string): string => s.replace(/&(lt|gt|quot|apos|amp);/g, (_, n: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[n]!);
    const tag = (block: string, name: string): string | null => {
      const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(block);
      return m ? xmlText(m[1]!) : null;
    };
    const boundaries = [...readFileSync(`${SQLMAP}/boundaries.xml`, "utf8").matchAll(/<boundary>([\s\S]*?)<\/boundary>/g)].map((m) => ({
      level: Number(tag(m[1]!, "level") ?? 1),
      where: (tag(m[1]!, "where") ?? "1").split(","),
      prefix: tag(m[1]!, "prefix") ?? "",
      suffix: tag(m[1]!, "suffix") ?? "",
    }));
    const STYPE = ["", "boolean-blind", "error-based", "inline-query", "stacked", "time-blind", "union"];
    const randnum = (): string => String(1000 + Math.floor(rand() * 9000));
    const randstr = (): string => Array.from({ length: 4 }, () => String.fromCharCode(97 + Math.floor(rand() * 26))).join("");
    const fill = (s: string): string =>
      s
        .replace(/\[GENERIC_SQL_COMMENT\]/g, () => pick(["-- " + randstr(), "#", "--"]))
        .replace(/\[RANDNUM\d?\]/g, randnum)
        .replace(/\[RANDSTR\d?\]/g, randstr)
        .replace(/\[SLEEPTIME\]/g, "5")
        .replace(/\[DELIMITER_START\]/g, "0x7176627a71")
        .replace(/\[DELIMITER_STOP\]/g, "0x716a766b71")
        .replace(/\[INFERENCE\]/g, () => `${randnum()}=${randnum()}`)
        .replace(/\[ORIGVALUE\]/g, "1")
        .replace(/\[ORIGINAL\]/g, "1")
        .replace(/\[CHAR\]/g, "NULL")
        .replace(/\[COLSTART\]|\[COLSTOP\]/g, "3")
        .replace(/\[DELAYED\]/g, "5")
        .replace(/\[QUERY\]/g, "SELECT 1")
        .replace(/\[SPACE_REPLACE\]/g, " ")
        .replace(/\[(AT|DOLLAR|HASH)_REPLACE\]/g, (_, k: string) => ({ AT: "@", DOLLAR: "$", HASH: "#" })[k]!);
    for (const file of readdirSync(`${SQLMAP}/payloads`).sort()) {
      for (const m of readFileSync(`${SQLMAP}/payloads/${file}`, "utf8").matchAll(/<test>([\s\S]*?)<\/test>/g)) {
        const test = m[1]!;
        const stype = STYPE[Number(tag(test, "stype"))] ?? "other";
        const dbms = slug(tag(test, "dbms") ?? "generic");
        const where = tag(test, "where") ?? "1";
        let payload = tag(test, "payload");
        if (stype === "union") payload = `UNION ALL SELECT NULL,NULL,CONCAT(0x7176627a71,0x4b4c,0x716a766b71)`;
        if (!payload) continue;
        const comment = tag(test, "comment") ?? "";
        // Two boundaries per test, low-level ones first (sqlmap's order): the value's own context decides which one works.
        const fit = boundaries.filter((b) => b.where.includes(where.split(",")[0]!)).sort((a, b) => a.level - b.level);
        for (const b of [fit[Math.floor(rand() * Math.min(6, fit.length))], fit[Math.floor(rand() * fit.length)]]) {
          if (!b) continue;
          const origin = where === "2" ? "-" + randnum() : where === "3" ? "" : "1";
          const text = fill(`${origin}${b.prefix} ${payload}${comment ? " " + comment : ""}${b.suffix ? " " + b.suffix : ""}`).trim();
          addAttack("sqli", `sqlmap-${stype}-${dbms}`, text, 1);
        }
      }
    }
  } else missing.push(`sqlmap payloads (${SQLMAP}): apt-get install -y sqlmap`);

  // ---- benign: README files, descriptions, URLs under node_modules --------
  const nm = path.join(ROOT, "node_modules");
  if (existsSync(nm)) {
    const pkgDirs: string[] = [];
    for (const d of readdirSync(nm).sort()) {
      if (d.startsWith(".")) continue;
      if (d.startsWith("@")) for (const s of readdirSync(path.join(nm, d)).sort()) pkgDirs.push(path.join(nm, d, s));
      else pkgDirs.push(path.join(nm, d));
    }
    sources.push(`node_modules README.md / package.json of ${pkgDirs.length} installed packages`);
    const codeByLang = new Map<string, { prose: string; code: string; lang: string; pkg: string }[]>();
    const prose: { text: string; pkg: string }[] = [];
    const descriptions: string[] = [];
    const urls: string[] = [];
    for (const dir of pkgDirs) {
      const pkg = path.relative(nm, dir);
      const pj = path.join(dir, "package.json");
      if (existsSync(pj)) {
        try {
          const j = JSON.parse(readFileSync(pj, "utf8")) as { description?: unknown; homepage?: unknown };
          if (typeof j.description === "string" && j.description.length > 12) descriptions.push(j.description);
          if (typeof j.homepage === "string" && /^https?:/.test(j.homepage)) urls.push(j.homepage);
        } catch {
          /* a package.json that is not JSON is not a source */
        }
      }
      const readme = readdirSync(dir).find((f) => /^readme\.md$/i.test(f));
      if (!readme) continue;
      const text = readFileSync(path.join(dir, readme), "utf8").replace(/\r\n/g, "\n");
      // Fenced blocks with the paragraph just before them: what a user pastes into a ticket.
      for (const m of text.matchAll(/(?:^|\n\n)([^\n`#<|>!\[][^\n]{20,400})\n\n```([a-zA-Z0-9+-]*)\n([\s\S]{10,1200}?)\n```/g)) {
        const lang = slug(m[2] || "plain") || "plain";
        const list = codeByLang.get(lang) ?? [];
        list.push({ prose: m[1]!.trim(), code: m[3]!, lang: m[2] ?? "", pkg });
        codeByLang.set(lang, list);
      }
      for (const m of text.matchAll(/\n\n([A-Z][^\n`#<|>!\[]{80,600}[.:])\n\n/g)) prose.push({ text: m[1]!, pkg });
    }
    const LANG_GROUP: Record<string, string> = {
      js: "js",
      javascript: "js",
      jsx: "js",
      mjs: "js",
      ts: "ts",
      typescript: "ts",
      tsx: "ts",
      sh: "shell",
      bash: "shell",
      shell: "shell",
      console: "shell",
      shellsession: "shell",
      zsh: "shell",
      sql: "sql",
      json: "json",
      jsonc: "json",
      json5: "json",
      yaml: "yaml",
      yml: "yaml",
      html: "html",
      xml: "html",
      css: "css",
      dockerfile: "dockerfile",
      docker: "dockerfile",
      diff: "diff",
      plain: "plain",
      text: "plain",
      txt: "plain",
    };
    const grouped = new Map<string, { prose: string; code: string; lang: string; pkg: string }[]>();
    for (const [lang, list] of codeByLang) {
      const g = LANG_GROUP[lang] ?? "other";
      grouped.set(g, [...(grouped.get(g) ?? []), ...list]);
    }
    // At most 30 posts per language group, spread over the packages (every k-th).
    for (const [g, list] of [...grouped].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const step = Math.max(1, Math.floor(list.length / 30));
      for (let i = 0; i < list.length && i / step < 30; i += step) {
        const { prose: p, code, lang } = list[i]!;
        const post = `${p}\n\n\`\`\`${lang}\n${code}\n\`\`\`\n\nAny idea what I am doing wrong?`;
        add("benign", `readme-code-${g}`, "benign", benignPost(post));
      }
    }
    const pstep = Math.max(1, Math.floor(prose.length / 40));
    for (let i = 0; i < prose.length && i / pstep < 40; i += pstep) add("benign", "readme-prose", "benign", benignPost(prose[i]!.text));
    const dstep = Math.max(1, Math.floor(descriptions.length / 40));
    for (let i = 0; i < descriptions.length && i / dstep < 40; i += dstep) add("benign", "npm-description", "benign", benignField(descriptions[i]!));
    const ustep = Math.max(1, Math.floor(urls.length / 25));
    for (let i = 0; i < urls.length && i / ustep < 25; i += ustep) add("benign", "npm-homepage", "benign", benignField(urls[i]!));
  } else missing.push("node_modules (README / package.json benign content)");

  let summaries: string[] = [];
  try {
    summaries = execFileSync("dpkg-query", ["-W", "-f", "${binary:Summary}\n"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
      .split("\n")
      .filter((s) => s.length > 8)
      .sort();
  } catch {
    missing.push("dpkg-query (Debian package summaries as product titles)");
  }
  if (summaries.length > 0) {
    sources.push(`dpkg summaries of ${summaries.length} installed Debian packages`);
    const sstep = Math.max(1, Math.floor(summaries.length / 50));
    for (let i = 0; i < summaries.length && i / sstep < 50; i += sstep) add("benign", "debian-summary", "benign", benignField(summaries[i]!));
  }

  /** A markdown post in a ticket / forum / code-review API. */
  function benignPost(text: string): Omit<Rec, "id" | "family" | "technique" | "label" | "round"> {
    const h = kit.baseHeaders();
    const shape = pick(["ticket-json", "review-json", "forum-form", "wiki-multipart"] as const);
    switch (shape) {
      case "ticket-json":
        return {
          method: "POST",
          uri: "/api/v2/tickets/4711/comments",
          headers: { ...h, "Content-Type": "application/json" },
          body: JSON.stringify({ comment: { body: text, public: true, author_id: 318 } }),
        };
      case "review-json":
        return {
          method: "POST",
          uri: "/api/v4/projects/12/merge_requests/88/notes",
          headers: { ...h, "Content-Type": "application/json" },
          body: JSON.stringify({ body: text, position: { new_line: 42, new_path: "src/index.ts" } }),
        };
      case "forum-form":
        return {
          method: "POST",
          uri: "/forum/posts",
          headers: { ...h, "Content-Type": "application/x-www-form-urlencoded" },
          body: `topic_id=931&raw=${encodeURIComponent(text)}&archetype=regular`,
        };
      case "wiki-multipart": {
        const b = "----rampartbench4WikiEdit";
        return {
          method: "POST",
          uri: "/wiki/pages/setup/edit",
          headers: { ...h, "Content-Type": `multipart/form-data; boundary=${b}` },
          body: `--${b}\r\nContent-Disposition: form-data; name="summary"\r\n\r\nupdate\r\n--${b}\r\nContent-Disposition: form-data; name="content"\r\n\r\n${text}\r\n--${b}--\r\n`,
        };
      }
    }
  }

  /** A short value: a product title, description or link in a search, form, JSON or XML. */
  function benignField(value: string): Omit<Rec, "id" | "family" | "technique" | "label" | "round"> {
    const where = pick(["query", "form", "json", "xml-attr", "multipart"] as Placement[]);
    return kit.place(value, where);
  }

  return { records, sources, missing };
}

/**
 * The command line of a round built from installed lists (this one and round 5):
 * `--out DIR` (default tmp/round<N>) gets its attacks and benign requests as JSONL.
 */
export function writeListRound(round: number, { records, sources, missing }: { records: Rec[]; sources: string[]; missing: string[] }): void {
  const outIdx = process.argv.indexOf("--out");
  const out = outIdx > 0 ? process.argv[outIdx + 1]! : path.join(ROOT, `tmp/round${round}`);
  mkdirSync(out, { recursive: true });
  const jsonl = (rs: Rec[]): string => rs.map((r) => JSON.stringify(r)).join("\n") + (rs.length ? "\n" : "");
  writeFileSync(path.join(out, `attacks-round${round}.jsonl`), jsonl(records.filter((r) => r.label === "attack")));
  writeFileSync(path.join(out, `benign-round${round}.jsonl`), jsonl(records.filter((r) => r.label === "benign")));
  console.log(`round ${round}: ${records.length} requests from ${sources.join("; ") || "no source"} → ${out}`);
  for (const m of missing) console.log(`absent: ${m}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) writeListRound(4, buildRound4());
