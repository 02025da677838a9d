// Local file inclusion / path traversal, matched on a path form where the
// literal hex notations attackers use (0x2e, 0x2f, 0x5c) are decoded and
// backslashes become slashes.
import { C, K, K_INPUT, reHit, type Hit, type Rule, type Subject } from "../subject.js";
import { noBlankBefore } from "./context.js";

/** NTFS alternate data streams that make IIS/PHP read a script as a file or a directory (index.php::$DATA, x:$i30:$index_allocation). */
const NTFS_STREAM = /::\$(?:data|index_allocation|bitmap)\b|:\$i30:\$index_allocation\b/;

export function pathForm(s: Subject): string {
  return s.derive("path", (x) => {
    let t = x.lower;
    if (t.indexOf("0x") >= 0) t = t.replace(/0x2e/g, ".").replace(/0x2f/g, "/").replace(/0x5c/g, "\\");
    // division slash and set minus (%u2215, %u2216) stand in for / and \ in IIS-era decoders
    if (t.indexOf("\u2215") >= 0 || t.indexOf("\u2216") >= 0) t = t.replace(/[\u2215\u2216]/g, "/");
    // a lone %c0/%c1 lead byte before an ASCII dot or slash (%c0%2e, ..%c0%2f) was dropped by IIS-era decoders; decoded leniently it is "à"/"á"
    if (t.indexOf("\u00e0") >= 0 || t.indexOf("\u00e1") >= 0) t = t.replace(/[\u00e0\u00e1](?=[./\\])/g, "");
    if (t.indexOf("\\") >= 0) t = t.replace(/\\/g, "/");
    // "..././" survives filters that strip "../" once; "/./" is the same directory
    if (t.indexOf("/./") >= 0) t = t.replace(/\/(?:\.\/)+/g, "/");
    return t;
  });
}

const TRAVERSAL_ANY = /(?:^|[/;=:,\s'"(])\.{2,3}(?:\/|;\/|$)/;
// four dots ("..../") survive filters that strip "../" and are collapsed to ".." by some Windows and proxy path normalisers
const TRAVERSAL_REPEATED = /\.{2,4};?\/+\.{2,4}(?:;?\/|$)/;
const TRAVERSAL_TO_SENSITIVE =
  /\.{2,3}\/+(?:\.[a-z0-9_]|etc\/|proc\/|sys\/|windows\/|winnt\/|boot\.ini|win\.ini|root\/|var\/|usr\/|home\/|tmp\/|web-inf|meta-inf|wp-config|config\b)/;
const SENSITIVE_FILE = new RegExp(
  [
    String.raw`\/etc\/(?:passwd|shadow|group|gshadow|hosts|issue|subuid|subgid|sudoers|crontab|fstab|motd|profile|bashrc|environment|hostname|resolv\.conf|machine-id|ssh\/|ssl\/|nginx\/|apache2?\/|httpd\/|mysql\/|php\d?\/|security\/|pam\.d\/|master\.passwd|pwd\.db|cron)`,
    String.raw`\/proc\/(?:self|thread-self|\d{1,7})\/|\/proc\/(?:version|cmdline|mounts|net\/|sched_debug|cpuinfo|meminfo|kcore)`,
    String.raw`\/sys\/(?:class|kernel|devices|block|bus|firmware|fs|module|power)\b`,
    String.raw`\/var\/(?:lib\/mysql|run\/secrets|mail|spool\/cron)\/`,
    String.raw`\/root\/\.`,
    String.raw`(?:^|\/)(?:boot|win|system)\.ini\b`,
    String.raw`(?:^|\/)(?:windows|winnt)\/(?:system32|system\.ini|win\.ini|repair\/|debug\/|panther\/)`,
    String.raw`\bc:\/(?:windows|winnt|boot\.ini|inetpub|users\/[^/]+\/(?:ntuser|appdata))`,
    String.raw`(?:^|\/)\.(?:ssh\/|bash_history|zsh_history|sh_history|mysql_history|psql_history|history\b|htpasswd|htaccess|aws\/credentials|kube\/config|docker\/config\.json|git\/(?:config|head)|git-credentials|netrc|pgpass|my\.cnf|npmrc|pypirc|boto\b)`,
    String.raw`(?:^|\/)(?:id_(?:rsa|dsa|ecdsa|ed25519)|authorized_keys|known_hosts)\b`,
    String.raw`(?:^|\/)(?:web-inf|meta-inf)\/`,
    String.raw`\/dev\/(?:fd|stdin|tty)\b`,
    String.raw`(?:^|\/)(?:wp-content\/debug\.log|tomcat-users\.xml|logfiles\/w3svc\d{0,4}\/)`,
    String.raw`(?:^|\/)(?:httpd\.conf|apache2\.conf|nginx\.conf|php\.ini|my\.ini|web\.config|applicationhost\.config|local\.xml|database\.yml|wp-config\.php|configuration\.php|settings\.py|secrets\.ya?ml)\b`,
  ].join("|"),
);
/**
 * Logs are read through LFI (log poisoning) but their paths fill log
 * excerpts, tickets and shell snippets: they count only when the value is a
 * path, i.e. no blank before them (/var/log/x, ....//var/log/x, file:///var/log/x).
 */
const LOG_PATH = /\/var\/log\/|(?:^|\/)(?:storage\/logs\/[a-z0-9_-]{1,40}\.log|logs?\/(?:access|error)[._-]log\b)/;
const SENSITIVE_DIR_IN_VALUE =
  /(?:^|[/\s=])\.(?:ssh|aws|docker|kube|git|svn|hg|gnupg|azure|gcloud|terraform\.d|vscode|idea|npm|m2|gradle|cargo|claude|cursor|codex|aider|continue|windsurf|env)(?:\/|$)/;
const DB_DUMP = /\.(?:sql|sqlite3?|db|mdb|dump|bak)\.(?:zip|gz|tgz|bz2|xz|7z|rar|tar)\b|(?:^|[/\s])(?:backup|dump|database|db|site|www)\.(?:sql|tgz|tar\.gz)\b/;
const FILE_SCHEME = /\bfile:(?:\/{1,3}|\\\\)(?:[a-z]:|[a-z~.])/;

/** Any dot-directory or dot-file in the request path except /.well-known/. */
function hiddenPathSegment(path: string): Hit | null {
  let i = path.indexOf("/.");
  while (i >= 0) {
    const c = path.charCodeAt(i + 2);
    const isName = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45;
    if (isName && !path.startsWith("well-known", i + 2)) {
      let j = i + 2;
      while (j < path.length && path.charCodeAt(j) !== 47) j++;
      return [i, j];
    }
    i = path.indexOf("/.", i + 1);
  }
  return null;
}

/**
 * True when "../" only appears after more than ordinary form encoding: double
 * encoding, overlong UTF-8, %u, 0x2e notation or backslashes. A single "../"
 * that is plainly (or singly percent-) written is a normal relative link.
 */
function isDisguised(raw: string): boolean {
  const once = raw.replace(/%([0-7][0-9a-f])/gi, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))).replace(/\+/g, " ");
  return once.indexOf("../") < 0 && once.indexOf("..;/") < 0;
}

const T = K_INPUT | K.PATH;

export const LFI_RULES: Rule[] = [
  {
    id: "lfi.path-traversal",
    family: "lfi",
    level: "basic",
    description:
      "../ sequences: repeated, aimed at system locations, hidden behind encodings (0x2e, %c0%ae, ..\\), or anywhere in the request path or an upload's file name",
    targets: T | K.HEADER_STRUCTURAL | K.FILENAME,
    // a digit lets 0x2e0x2e/ (no literal dot) reach the rule; the cheap test below drops every other digit-only value
    needs: C.DOT | C.DIGIT,
    test: (s) => {
      if (s.lower.indexOf(".") < 0 && s.lower.indexOf("0x2e") < 0) return null;
      const p = pathForm(s);
      if (p.indexOf("..") < 0) return null;
      const repeated = reHit(TRAVERSAL_REPEATED, p) ?? reHit(TRAVERSAL_TO_SENSITIVE, p);
      if (repeated) return repeated;
      const single = reHit(TRAVERSAL_ANY, p);
      if (!single) return null;
      // one step is normal in relative links; it counts in the URL path itself, in an upload's file name (a browser sends a base name) or disguised
      if (s.target.kind === K.PATH || s.target.kind === K.FILENAME) return single;
      return isDisguised(s.raw) ? single : null;
    },
  },
  {
    id: "lfi.sensitive-file",
    family: "lfi",
    level: "basic",
    description:
      "Well-known sensitive files and system directories (/etc/passwd, /proc/self/, win.ini, .ssh/id_rsa, WEB-INF/…); log paths (/var/log/…, storage/logs/*.log) only when the value is a path (no blank before them)",
    targets: T | K.FILENAME,
    needs: C.SLASH | C.BSLASH | C.DOT,
    test: (s) => {
      const p = pathForm(s);
      const hit = reHit(SENSITIVE_FILE, p);
      if (hit) return hit;
      const log = p.indexOf("log") >= 0 ? reHit(LOG_PATH, p) : null;
      return log && noBlankBefore(p, log[0]) ? log : null;
    },
  },
  {
    id: "lfi.hidden-path",
    family: "lfi",
    level: "standard",
    description: "Requests for dot-files or dot-directories (/.git/, /.env, /.claude/…) other than /.well-known/",
    targets: K.PATH,
    needs: C.DOT,
    test: (s) => hiddenPathSegment(pathForm(s)),
  },
  {
    id: "lfi.sensitive-directory",
    family: "lfi",
    level: "standard",
    description: "Credential and tool directories named in parameters (.ssh/, .aws/, .docker/, .kube/, .git/…)",
    targets: K_INPUT,
    needs: C.DOT,
    test: (s) => reHit(SENSITIVE_DIR_IN_VALUE, pathForm(s)),
  },
  {
    id: "lfi.database-dump",
    family: "lfi",
    level: "standard",
    description: "Database dumps and archives of them (backup.sql.zip, db.sqlite.gz)",
    targets: T,
    needs: C.DOT,
    test: (s) => reHit(DB_DUMP, s.lower),
  },
  {
    id: "lfi.ntfs-stream",
    family: "lfi",
    level: "standard",
    description: "NTFS alternate data stream suffixes that disclose a script's source or reach a directory (index.php::$DATA, ::$INDEX_ALLOCATION)",
    targets: T,
    needs: C.DOLLAR,
    test: (s) => reHit(NTFS_STREAM, s.lower),
  },
  {
    id: "lfi.file-scheme",
    family: "lfi",
    level: "standard",
    description: "file:// URLs in input",
    targets: K_INPUT,
    needs: C.COLON,
    test: (s) => reHit(FILE_SCHEME, s.lower),
  },
];
