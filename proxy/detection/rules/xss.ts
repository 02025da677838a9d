// Cross-site scripting: an HTML tag scanner (tags that execute or load
// content), event-handler attributes, script-capable URL schemes, CSS
// expressions and JavaScript call shapes. Matching runs on the fully
// normalised value (entities, %u, full-width and UTF-7 already decoded).
import { decodeUtf7 } from "../normalise.js";
import { isMarkdownDocument } from "./context.js";
import { C, C_QUOTES, K, K_INPUT, reHit, type Hit, type Rule, type Subject } from "../subject.js";

const EXECUTING_TAGS = new Set(["script"]);
const DANGEROUS_TAGS = new Set([
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "applet",
  "meta",
  "base",
  "svg",
  "math",
  "link",
  "style",
  "isindex",
  "xml",
  "import",
  "bgsound",
  "layer",
  "ilayer",
  "xss",
  "vmlframe",
  "animate",
  "handler",
  "listener",
  "portal",
  "noembed",
]);

/** Scans "<name" openings; returns the first whose local name (after any "ns:") is in `set`. */
export function findTag(lower: string, set: ReadonlySet<string>): Hit | null {
  let i = lower.indexOf("<");
  while (i >= 0) {
    let j = i + 1;
    if (lower.charCodeAt(j) === 47) j++;
    const nameStart = j;
    while (j < lower.length && j - nameStart < 40) {
      const c = lower.charCodeAt(j);
      if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57 && j > nameStart) || ((c === 58 || c === 45 || c === 95) && j > nameStart)) j++;
      else break;
    }
    if (j > nameStart) {
      const full = lower.slice(nameStart, j);
      const colon = full.lastIndexOf(":");
      const local = colon >= 0 ? full.slice(colon + 1) : full;
      const after = lower.charCodeAt(j);
      // a tag name ends at whitespace, "/", ">" or the end; "+" covers query-string spaces sent raw in headers
      if (set.has(local) && (Number.isNaN(after) || after <= 32 || after === 47 || after === 62 || after === 43 || after === 0x0b || after === 0x0c)) {
        return [i, j];
      }
    }
    i = lower.indexOf("<", i + 1);
  }
  return null;
}

// Attribute separators that may precede an injected on*= handler (CRS 941120).
const EVENT_HANDLER = /(?:^|[\s"'`;/0-9=,(])on[a-z]{3,50}[\s\u000b]*=[^=]/;
const SCRIPT_SCHEME = /(?:java|vb|live|ecma)script:[^\n]{0,30}?[(=\\[<\/'"`{:;+]|(?:^|[\s"'`=(<,])(?:java|vb|live|ecma)script:/;
const DATA_URI_HTML =
  /data:[\s]*(?:text\/html|image\/svg\+xml|text\/xml|application\/(?:xhtml\+xml|xml|javascript|x-javascript|ecmascript)|text\/javascript)|data:[^,<>\n]{0,80},[^\n]{0,200}?<[a-z!/?]/;
const CSS_EXPRESSION =
  /:[\s]*expression[\s]*\(|-moz-binding[\s]*:|behavior[\s]*:[\s]*url[\s]*\(|url[\s]*\([\s'"]*(?:java|vb)script:|@import[\s'"]*(?:java|vb)script:/;
const DOM_SINK =
  /\b(?:document|window|top|parent|self|frames|globalthis|opener|content)[\s]*\.[\s]*(?:cookie|domain|location|write|writeln|open|execcommand|body|head|createelement|queryselector(?:all)?|getelementbyid|getelementsby[a-z]+|forms|images|links|referrer|url|documenturi|baseuri|localstorage|sessionstorage|eval|settimeout|setinterval|fetch|xmlhttprequest|implementation|defaultview)\b|\blocation[\s]*\.[\s]*(?:href[\s]*=|replace[\s]*\(|assign[\s]*\()|\.(?:innerhtml|outerhtml)[\s]*=|\.insertadjacenthtml[\s]*\(|\.parentnode\b|\b(?:top|window|self|parent|frames|globalthis|document)[\s]*\[[\s]*['"`]/;
const JS_CALL_STRONG =
  /\b(?:eval|settimeout|setinterval|execscript|importscripts|atob|btoa|string\.fromcharcode)[\s]*\(|\bnew[\s]+function[\s]*\(|\bfunction[\s]*\([\s]*\)[\s]*\{[^}]{0,200}\}[\s]*\(/;
// common English words: only JS-shaped argument lists count ("confirm (yes/no)" does not)
const JS_CALL_WORDY = /\b(?:alert|prompt|confirm|fetch|print)[\s]*\((?:[\s]*\)|[\s]*['"`\d]|[\s]*[a-z_$][\w$.]*[\s]*[),])/;
const JS_IMPORT = /\bimport[\s]*\([\s]*['"`]|\bimport[\s]*\{[^}]{0,200}\}[\s]*from[\s]*['"`]|\bimport[\s]+\*[\s]+as[\s]+\w+[\s]+from[\s]*['"`]/;
const TAGGED_TEMPLATE =
  /[\w$\])][\s]*\.[\s]*(?:call|apply|bind)[\s]*`|\b(?:alert|eval|prompt|confirm|settimeout|setinterval|function|fetch)[\s]*`|`[^`]{0,200}?\$\{[\s]*(?:alert|eval|prompt|confirm|atob|document|window|this|top|self|parent|navigation|location|constructor)\b/;
const SSI_DIRECTIVE = /<!--[\s]*#[\s]*(?:exec|include|echo|set|config|printenv|fsize|flastmod|if|elif)\b/;
const ATTRIBUTE_BREAK = /["'][\s/]*>[\s]*<[a-z!/]/;
const ANY_TAG_WITH_ATTR = /<[a-z][a-z0-9:-]{0,30}[\s/]+[a-z-]{1,30}[\s]*=/;

/** JS form: /* … *\/ comments removed, so "[] . /**\/ sort . call`…`" lines up. */
function jsForm(s: Subject): string {
  return s.derive("js", (x) => {
    const l = x.lower;
    let i = l.indexOf("/*");
    if (i < 0) return l;
    let out = "";
    let last = 0;
    while (i >= 0) {
      const end = l.indexOf("*/", i + 2);
      if (end < 0) break;
      out += l.slice(last, i) + " ";
      last = end + 2;
      i = l.indexOf("/*", last);
    }
    return out + l.slice(last);
  });
}

/**
 * What makes a <script> in a markdown code block a payload rather than a
 * documented include (a README's `<script src="https://cdn…">` or a
 * `type="module"` block with imports): a dialog or eval-like call, a
 * cookie/location/document.write access, an image beacon, a javascript: URL,
 * or a src that is protocol-relative, plain http, an IP host or a non-http
 * scheme (data:, javascript:).
 */
const SCRIPT_PAYLOAD =
  /\b(?:alert|prompt|confirm|eval|settimeout|setinterval|fromcharcode|atob|unescape)[\s]*[(`]|document[\s]*\.[\s]*(?:cookie|domain|write)|location[\s]*(?:\.[\s]*href[\s]*)?=[^=]|\.src[\s]*=[^=]|javascript:|\bnew[\s]+image\b|\bsrc[\s]*=[\s]*["'`]?[\s]*(?:\/\/|http:|https?:\/\/\d|(?!https?:)[a-z][a-z0-9+.-]{0,20}:)/;

/** Each <script> tag of a markdown document with its body (to </script>, the closing fence or 600 characters): one that is payload-shaped counts. */
function payloadScriptInDocument(lower: string, first: Hit): Hit | null {
  let at: number = first[0];
  for (let tags = 0; at >= 0 && tags < 64; tags++) {
    const rest = lower.slice(at, at + 600);
    const close = rest.indexOf("</script");
    const fence = rest.indexOf("```", 7);
    const end = Math.min(close < 0 ? rest.length : close, fence < 0 ? rest.length : fence);
    if (SCRIPT_PAYLOAD.test(rest.slice(0, end))) return [at, at + 7];
    at = lower.indexOf("<script", at + 7);
  }
  return null;
}

/** Browsers drop tab/CR/LF/NUL inside URLs, so "jav&#x09;ascript:" is still javascript:. */
function compactForm(s: Subject): string {
  return s.derive("compact", (x) => (x.has(C.SPACE) ? x.lower.replace(/[\t\n\r\u000b\u000c]/g, "") : x.lower));
}

function utf7Form(s: Subject): string | null {
  return s.derive("utf7", (x) => (x.lower.indexOf("+ad") >= 0 ? decodeUtf7(x.text).toLowerCase() : null));
}

const T = K_INPUT | K.PATH;
const T_NO_PATH = K_INPUT;

export const XSS_RULES: Rule[] = [
  {
    id: "xss.script-tag",
    family: "xss",
    level: "basic",
    description:
      "<script> tags, including namespaced (<x:script>) and closing forms; inside a markdown document only a payload-shaped script (dialog/eval call, cookie or location access, off-site src by //, http:, IP or data:)",
    targets: T,
    needs: C.LT,
    test: (s) => {
      const hit = findTag(s.lower, EXECUTING_TAGS);
      // a documented include in a ticket or README excerpt is quoted code; its prose is still read by every rule (document.ts)
      return hit && isMarkdownDocument(s) ? payloadScriptInDocument(s.lower, hit) : hit;
    },
  },
  {
    id: "xss.dangerous-tag",
    family: "xss",
    level: "standard",
    description: "Tags that load or execute content: iframe, object, embed, applet, meta, base, svg, math, link, style…",
    targets: T,
    needs: C.LT,
    test: (s) => findTag(s.lower, DANGEROUS_TAGS),
  },
  {
    id: "xss.event-handler",
    family: "xss",
    level: "standard",
    description: 'on<event>= attributes after an attribute separator (onload=, " onmouseover=…)',
    targets: T,
    needs: C.EQ,
    test: (s) => reHit(EVENT_HANDLER, s.lower),
  },
  {
    id: "xss.script-url",
    family: "xss",
    level: "basic",
    description: "javascript:/vbscript: URLs (tabs and newlines inside the scheme ignored)",
    targets: T,
    needs: C.COLON,
    test: (s) => reHit(SCRIPT_SCHEME, compactForm(s)),
  },
  {
    id: "xss.data-uri",
    family: "xss",
    level: "standard",
    description: "data: URIs carrying HTML, SVG or script",
    targets: T,
    needs: C.COLON,
    test: (s) => reHit(DATA_URI_HTML, s.lower),
  },
  {
    id: "xss.css-expression",
    family: "xss",
    level: "standard",
    description: "CSS expression(), -moz-binding, behavior:url(), url(javascript:)",
    targets: T,
    needs: C.COLON | C.LPAREN,
    test: (s) => reHit(CSS_EXPRESSION, s.lower),
  },
  {
    id: "xss.dom-sink",
    family: "xss",
    level: "standard",
    description: "DOM access used by payloads: document.cookie, window.location, innerHTML=, createElement…, top['al'+'ert']",
    targets: T,
    needs: C.DOT | C.LBRACK,
    // a path like /docs/document.cookie is a page name; with JS syntax around it is a payload
    test: (s) => (s.target.kind === K.PATH && !s.has(C_QUOTES | C.EQ | C.SEMI | C.LPAREN | C.PLUS) ? null : reHit(DOM_SINK, s.lower)),
  },
  {
    id: "xss.js-call",
    family: "xss",
    level: "standard",
    description: "JavaScript execution calls: eval(), setTimeout(), new Function(), alert(…) with JS-shaped arguments, import",
    targets: T,
    needs: C.LPAREN | C.LBRACE | C.BACKTICK,
    test: (s) => {
      const js = jsForm(s);
      return reHit(JS_CALL_STRONG, js) ?? reHit(JS_CALL_WORDY, js) ?? reHit(JS_IMPORT, js);
    },
  },
  {
    id: "xss.tagged-template",
    family: "xss",
    level: "standard",
    description: "Calls without parentheses through tagged templates ([].sort.call`${alert}1`)",
    targets: T,
    needs: C.BACKTICK,
    test: (s) => reHit(TAGGED_TEMPLATE, jsForm(s)),
  },
  {
    id: "xss.ssi-directive",
    family: "xss",
    level: "standard",
    description: "Server-side include directives (<!--#exec …-->, <!--#set …-->)",
    targets: T,
    needs: C.LT,
    test: (s) => reHit(SSI_DIRECTIVE, s.lower),
  },
  {
    id: "xss.utf7",
    family: "xss",
    level: "standard",
    description: "UTF-7 encoded markup (+ADw-script+AD4-)",
    targets: T,
    needs: C.PLUS,
    test: (s) => {
      const u = utf7Form(s);
      if (u === null) return null;
      return (findTag(u, EXECUTING_TAGS) ?? findTag(u, DANGEROUS_TAGS)) ? [s.lower.indexOf("+ad"), s.lower.indexOf("+ad") + 5] : null;
    },
  },
  {
    id: "xss.attribute-break",
    family: "xss",
    level: "strict",
    description: 'A quote closing an attribute followed by a new tag ("><x)',
    targets: T_NO_PATH,
    needs: C.GT,
    test: (s) => reHit(ATTRIBUTE_BREAK, s.lower),
  },
  {
    id: "xss.html-tag",
    family: "xss",
    level: "strict",
    description: "Any HTML tag with an attribute",
    targets: T_NO_PATH,
    needs: C.LT,
    test: (s) => reHit(ANY_TAG_WITH_ATTR, s.lower),
  },
];
