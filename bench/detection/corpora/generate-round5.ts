// Round 5 of the bench corpora (issue #14): the attack payload files of a
// second outside scanner, wapiti, read at bench time from its Debian package,
// placed in realistic requests, and split before any rule of the round was
// changed. Round 4 had no held-back side for rce, php and generic (one
// technique each); wapiti's exec module brings several Unix, Windows and PHP
// techniques, its XXE, CRLF and server-side-JavaScript probes some generic ones.
//
//   npx tsx bench/detection/corpora/generate-round5.ts [--out DIR]   (writes {attacks,benign}-round5.jsonl for reading)
//   npm run bench:detection -- --in-process                           (builds round 5 in memory when wapiti is installed)
//
// Nothing third-party is vendored: wapiti (GPL-2) is read from
// /usr/lib/python3/dist-packages/wapitiCore (`apt-get install -y wapiti`);
// when it is absent the bench says so and runs without round 5.
//
// Attacks (family = what wapiti's module calls the entry; nothing is
// labelled by what Rampart matches). Wapiti's own placeholders are filled the
// way its Attack.process_line / xss_utils do: [LF] [TAB] [FF] → control
// characters, [TIME] → 6 (its default timeout 5 s + 1), [TIMEOUT] dropped,
// \0 → NUL, [EXTERNAL_ENDPOINT] → https://wapiti3.ovh/ (its default),
// [VALUE] / [DIRVALUE] / [EXTVALUE] / [FILE_NAME] → the parameter's original
// value, its directory, extension and the script's file name, __XSS__ → a
// random taint, [ATTR_SEP] / [VALUE_SEP] → the attribute context's quote
// (", ' or none, picked per entry).
//   rce      execPayloads.txt: shell separators, newline, pipe to a binary
//            path, backticks, sleep, Windows `&set&` / `&ping -n`; the
//            Shellshock function definition mod_shellshock.py sends in
//            User-Agent / Referer / Cookie.
//   php      execPayloads.txt: `;exit(md5(…));//` evaluation probes in their
//            quote × join variants and the base64 `data:` PHP wrapper.
//   sqli     blindSQLPayloads.txt: sleep / benchmark / pg_sleep / waitfor /
//            ODBC probes with space, tab or newline separators.
//   generic  xxePayloads.ini (direct and out-of-band DTD), the mod_crlf.py
//            header-splitting probe, and the server-side-JavaScript busy-loop
//            lines of blindSQLPayloads.txt (`';d=new Date();do{…}while(…);//`).
//   xss      xssPayloads.ini: closing-tag payloads and attribute injections.
//   lfi      fileHandlingPayloads.ini: traversal, absolute paths, NUL and
//            ::$DATA suffixes, file:// wrappers, remote inclusion with NUL.
// Keep filter: round 4's (generate-round4.ts isAttackEntry, fixed before round
// 4 ran) — at least 5 characters, 2 letters and one structural character —
// plus one rule fixed before round 5 ran: a bare http(s) URL is left out
// (remote inclusion / SSRF / redirect probes are attacks only by where they
// land, which no value-level rule can see). Dropped by it: `set`, `env`,
// `/e\0`, `a\`)\``, wapiti's `[VALUE]\xBF'"(` SQL error probe (not in a file),
// `https://wapiti3.ovh/e.php`, `index.php` / `index.php\0` (current-file).
// Let through although weak as attacks on their own: `&set&`, `index.php::$DATA`.
// No Log4Shell / template / EL payloads exist in wapiti 3.0.4 (Debian bookworm).
//
// Benign (written by others, from the same package): busterPayloads.txt
// directory and script names requested as paths and page parameters (only
// plain names: letters, digits, `_`, `-`, optionally .php/.html/.htm/.asp/
// .aspx/.jsp — dot files, backups and archives are reconnaissance, left out);
// users.txt / passwords.txt in login forms and JSON sign-ins.
//
// Techniques for the split (split.ts, round 5 on its own): the payload's
// shape as wapiti groups it (section name without depth / NUL / ADS suffix,
// first tag, SQL function × separator, quote × join).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { makeCorpusKit, VALUE_PLACEMENTS, type Placement, type PlacedRequest, type Rec } from "./placement.js";
import { dpkgVersion, isAttackEntry, placeListEntry, writeListRound } from "./generate-round4.js";

const WAPITI = "/usr/lib/python3/dist-packages/wapitiCore";
const ATTACKS = `${WAPITI}/data/attacks`;

export interface Round5 {
  records: Rec[];
  sources: string[];
  missing: string[];
}

/** `[section]` blocks of a wapiti .ini payload file: name → payload. */
function iniPayloads(file: string): { name: string; payload: string }[] {
  const out: { name: string; payload: string }[] = [];
  let name = "";
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    const sec = /^\[(.+)\]\s*$/.exec(line);
    if (sec) name = sec[1]!;
    const p = /^payload\s*=\s?(.*)$/.exec(line);
    if (p && name) out.push({ name, payload: p[1]! });
  }
  return out;
}

const lines = (file: string): string[] =>
  readFileSync(file, "latin1")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);

export function buildRound5(): Round5 {
  const records: Rec[] = [];
  const sources: string[] = [];
  const missing: string[] = [];
  if (!existsSync(`${ATTACKS}/execPayloads.txt`)) {
    missing.push(`wapiti payload files (${ATTACKS}): apt-get install -y wapiti`);
    return { records, sources, missing };
  }
  sources.push(`wapiti ${dpkgVersion("wapiti") ?? "?"} payload files (${ATTACKS})`);
  const kit = makeCorpusKit(0x57415049);
  const { rand, pick } = kit;
  const counter = new Map<string, number>();
  const taint = (): string => "w" + Array.from({ length: 9 }, () => String.fromCharCode(97 + Math.floor(rand() * 26))).join("");

  /** Wapiti's Attack.process_line and mutator substitutions, with a parameter whose original value is `images/photo.jpg`. */
  const fill = (s: string): string =>
    s
      .replace(/\[TAB\]/g, "\t")
      .replace(/\[LF\]/g, "\n")
      .replace(/\[FF\]/g, "\f")
      .replace(/\[TIME\]/g, "6")
      .replace(/\[TIMEOUT\]/g, "")
      .replace(/\[EXTERNAL_ENDPOINT\]/g, "https://wapiti3.ovh/")
      .replace(/\[SESSION_ID\]/g, "6e1c2f")
      .replace(/\[PATH_ID\]/g, "9a")
      .replace(/\[PARAM_AS_HEX\]/g, "66696c65")
      .replace(/\[VALUE\]/g, "images/photo.jpg")
      .replace(/\[DIRVALUE\]/g, "images")
      .replace(/\[EXTVALUE\]/g, "jpg")
      .replace(/\[FILE_NAME\]/g, "index.php")
      .replace(/__XSS__/g, taint)
      .replace(/\\0/g, "\0");

  /** The keep filter of the header: round 4's, plus no bare URL. */
  const keep = (payload: string): boolean => isAttackEntry(payload) && !/^https?:\/\/[^\s\0]*$/i.test(payload);

  function add(family: string, technique: string, label: "attack" | "benign", placed: PlacedRequest): void {
    const t = `${family}.r5-${technique}`;
    const n = (counter.get(t) ?? 0) + 1;
    counter.set(t, n);
    records.push({ id: `r5-${family}-${technique}-${n}`, family, technique: t, label, round: 5, ...placed });
  }

  function addAttack(family: string, technique: string, payload: string, copies: number, extra: Placement[] = ["header", "cookie"]): void {
    if (!keep(payload)) return;
    // A NUL cannot travel in a header value: such entries go only where %00 or a body carries them.
    const places = [...VALUE_PLACEMENTS, ...extra.filter((w) => w !== "header" || !payload.includes("\0"))];
    const chosen = new Set<Placement>();
    while (chosen.size < Math.min(copies, places.length)) chosen.add(pick(places));
    for (const where of chosen) add(family, technique, "attack", placeListEntry(kit, payload, where));
  }

  // ---- exec module: shell and PHP evaluation --------------------------------
  for (const raw of lines(`${ATTACKS}/execPayloads.txt`)) {
    const p = fill(raw);
    if (/exit\(md5/.test(p)) {
      const quote = p.startsWith('"') ? "dq" : p.startsWith("'") ? "sq" : "bare";
      const join = /^["']?\./.test(p) ? "concat" : "semi";
      addAttack("php", `exec-eval-${quote}-${join}`, p, 3);
    } else if (/^data:/.test(p)) addAttack("php", "exec-data-wrapper", p, 3);
    else if (/ping -n|&set&/.test(p)) addAttack("rce", /ping/.test(p) ? "exec-windows-ping" : "exec-windows-set", p, 3);
    else if (/sleep/.test(p)) addAttack("rce", /`/.test(p) ? "exec-unix-backtick-sleep" : "exec-unix-sleep", p, 3);
    else if (/\/usr\/bin\//.test(p)) addAttack("rce", "exec-unix-path-pipe", p, 3);
    else if (/\n/.test(p)) addAttack("rce", "exec-unix-newline", p, 3);
    else addAttack("rce", "exec-unix-separator", p, 3);
  }
  // mod_shellshock.py: a function definition then the command, in the headers bash CGI exports.
  const hex = Array.from(
    { length: 16 },
    () =>
      "\\x" +
      Math.floor(rand() * 256)
        .toString(16)
        .padStart(2, "0"),
  ).join("");
  const shellshock = `() { :;}; echo; echo; echo -e '${hex}';`;
  for (const header of ["User-Agent", "Referer"]) {
    add("rce", "shellshock-header", "attack", { method: "GET", uri: "/cgi-bin/status", headers: { ...kit.baseHeaders(), [header]: shellshock }, body: null });
  }
  add("rce", "shellshock-header", "attack", { method: "GET", uri: "/cgi-bin/status", headers: { ...kit.baseHeaders(), Cookie: shellshock }, body: null });

  // ---- blind SQL (and its server-side JavaScript lines) ---------------------
  for (const raw of lines(`${ATTACKS}/blindSQLPayloads.txt`)) {
    const p = fill(raw);
    if (/new Date\(\)/.test(p)) {
      addAttack("generic", "blind-ssjs-busy-loop", p, 3);
      continue;
    }
    const fn = /pg_sleep/i.test(p)
      ? "pg-sleep"
      : /benchmark/i.test(p)
        ? "benchmark"
        : /waitfor/i.test(p)
          ? "waitfor"
          : /odbc/i.test(p)
            ? "odbc"
            : /sleep/i.test(p)
              ? "sleep"
              : "other";
    const sep = /\t/.test(p) ? "tab" : /\n/.test(p) ? "newline" : "space";
    addAttack("sqli", `blind-${fn}-${sep}`, p, 2);
  }

  // ---- XXE, CRLF -------------------------------------------------------------
  for (const { name, payload } of iniPayloads(`${ATTACKS}/xxePayloads.ini`)) {
    const p = fill(payload);
    const technique = name.startsWith("out_of_band") ? "xxe-out-of-band-dtd" : "xxe-direct-entity";
    // mod_xxe.py sends the document as the whole body and as parameter values.
    add("generic", technique, "attack", { method: "POST", uri: "/api/import", headers: { ...kit.baseHeaders(), "Content-Type": "application/xml" }, body: p });
    addAttack("generic", technique, p, 2, []);
  }
  // mod_crlf.py: quote("http://www.google.fr\r\nwapiti: 3.0.4 version"), already %-encoded.
  const crlf = "http%3A//www.google.fr%0D%0Awapiti%3A%203.0.4%20version";
  for (const where of ["query", "form", "cookie"] as Placement[]) add("generic", "crlf-header-split", "attack", placeListEntry(kit, crlf, where));
  add("generic", "crlf-header-split", "attack", kit.place(decodeURIComponent(crlf), "json"));

  // ---- XSS ---------------------------------------------------------------------
  for (const { name, payload } of iniPayloads(`${ATTACKS}/xssPayloads.ini`)) {
    let p = payload;
    let technique: string;
    if (p.includes("[ATTR_SEP]")) {
      // Attribute context: xss_utils prefixes "y" and uses the context's quote (or a space and none).
      const sep = pick(['"', "'", ""]);
      p = "y" + p.replace(/\[ATTR_SEP\]/g, sep || " ").replace(/\[VALUE_SEP\]/g, sep);
      technique = `attr-${name.split("_")[0]}`;
    } else {
      const tag = /<\s*([a-z]+)/i.exec(p);
      technique = tag ? `tag-${tag[1]!.toLowerCase()}` : /^javascript:/i.test(p) ? "js-uri" : "other";
    }
    addAttack("xss", technique, fill(p), 2);
  }

  // ---- file handling ---------------------------------------------------------
  for (const { name, payload } of iniPayloads(`${ATTACKS}/fileHandlingPayloads.ini`)) {
    const group = name
      .replace(/_with_(null|nul|ads)$/, "")
      .replace(/_(ten|twenty|tewnty)_up/, "")
      .replace(/_/g, "-");
    addAttack("lfi", `file-${group}`, fill(payload), 2, ["cookie", "filename"]);
  }

  // ---- benign: wapiti's own word lists as ordinary requests --------------------
  const plainName = /^[a-z0-9_-]+(\.(php|html?|aspx?|jsp))?$/i;
  const names = lines(`${ATTACKS}/busterPayloads.txt`).filter((n) => plainName.test(n));
  const step = Math.max(1, Math.floor(names.length / 60));
  for (let i = 0; i < names.length && i / step < 60; i += step) {
    const n = names[i]!;
    if ((i / step) % 2 === 0) add("benign", "buster-path", "benign", { method: "GET", uri: `/${n}`, headers: kit.baseHeaders(), body: null });
    else add("benign", "buster-page-param", "benign", kit.place(n, pick(["query", "form", "json"] as Placement[])));
  }
  const users = lines(`${ATTACKS}/users.txt`);
  const passwords = lines(`${ATTACKS}/passwords.txt`);
  users.forEach((u, i) => {
    const pw = passwords[i % passwords.length]!;
    if (i % 2 === 0)
      add("benign", "login-form", "benign", {
        method: "POST",
        uri: "/login",
        headers: { ...kit.baseHeaders(), "Content-Type": "application/x-www-form-urlencoded" },
        body: `username=${encodeURIComponent(u)}&password=${encodeURIComponent(pw)}&remember=on`,
      });
    else
      add("benign", "login-json", "benign", {
        method: "POST",
        uri: "/api/session",
        headers: { ...kit.baseHeaders(), "Content-Type": "application/json" },
        body: JSON.stringify({ login: u, password: pw }),
      });
  });

  return { records, sources, missing };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) writeListRound(5, buildRound5());
