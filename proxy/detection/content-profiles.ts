// What can hurt in free text is how it is shown: the content profiles check a
// value the way the page that displays it will read it. Markdown is parsed
// with markdown-it (CommonMark): raw HTML outside code is checked as HTML, and
// every link and image destination for its scheme; code spans and fenced or
// indented code are rendered escaped, so SQL, shell or <script> inside them is
// data. HTML is parsed with parse5 (the WHATWG algorithm browsers use):
// elements that load or run content, event-handler and script-bearing
// attributes, and URLs with a scheme other than the web's are refused. Plain
// text may carry no markup at all. Template, expression-language and logging
// lookups are not checked here: the engine's own rules for them keep running
// on content fields (NEVER_RELAXED_RULES in lib/policy-spec).

import MarkdownIt from "markdown-it";
import { parse, parseFragment } from "parse5";
import type { ContentProfile } from "@/lib/policy-spec";

export interface ContentFinding {
  ruleId: string;
  /** The offending fragment (a tag, an attribute, a URL), to be masked by the caller. */
  excerpt: string;
}

/** The rule ids the profiles report, all in the xss family. */
export const CONTENT_RULES = {
  "content.markdown-html": "markdown: raw HTML with a tag, attribute or URL that runs script",
  "content.markdown-url": "markdown: a link or image whose destination has a scheme other than http(s), mailto, tel, ftp or a data: image",
  "content.html-tag": "html: an element that loads or runs content (script, iframe, object, svg, style, form, meta…)",
  "content.html-attribute": "html: an event handler, srcdoc, or a style that runs script",
  "content.html-url": "html: a URL attribute whose scheme is not http(s), mailto, tel, ftp or a data: image",
  "content.text-markup": "text: any HTML markup in a plain-text field",
} as const;
export type ContentRuleId = keyof typeof CONTENT_RULES;

// Elements whose presence in user content is script or a parser-differential (mXSS) vector.
const DANGEROUS_TAGS = new Set([
  "script",
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "applet",
  "meta",
  "base",
  "link",
  "style",
  "form",
  "svg",
  "math",
  "noscript",
  "template",
  "portal",
  "xmp",
  "noembed",
  "noframes",
  "plaintext",
  "listing",
  "title",
]);
const URL_ATTRIBUTES = new Set([
  "href",
  "src",
  "action",
  "formaction",
  "xlink:href",
  "data",
  "poster",
  "background",
  "lowsrc",
  "dynsrc",
  "cite",
  "longdesc",
  "ping",
  "manifest",
  "codebase",
  "archive",
  "usemap",
  "icon",
]);
const SAFE_SCHEMES = new Set(["http", "https", "mailto", "tel", "ftp"]);
const STYLE_SCRIPT = /expression\s*\(|javascript:|vbscript:|behavior\s*:|-moz-binding|@import/i;

const markdown = new MarkdownIt({ html: true, linkify: false });
// markdown-it drops links it considers unsafe instead of reporting them; we want to see every one.
markdown.validateLink = () => true;

export function checkContent(profile: ContentProfile, value: string): ContentFinding | null {
  if (profile === "markdown") return checkMarkdown(value);
  if (profile === "html") return checkHtml(value, "content.html");
  return checkText(value);
}

function checkText(value: string): ContentFinding | null {
  // Cheap exit: without "<" there is no markup.
  if (value.indexOf("<") < 0) return null;
  for (const node of parseFragment(value).childNodes as Node[]) {
    if (node.nodeName !== "#text") return { ruleId: "content.text-markup", excerpt: node.nodeName === "#comment" ? "<!--" : `<${node.nodeName}` };
  }
  return null;
}

function checkMarkdown(value: string): ContentFinding | null {
  const tokens = markdown.parse(value, {});
  const html: string[] = [];
  const visit = (list: MarkdownToken[]): ContentFinding | null => {
    for (const token of list) {
      if (token.type === "html_block" || token.type === "html_inline") html.push(token.content);
      else if (token.type === "link_open" || token.type === "image") {
        const url = token.attrGet(token.type === "image" ? "src" : "href");
        if (url !== null && !isSafeUrl(url, token.type === "image")) return { ruleId: "content.markdown-url", excerpt: url };
      }
      if (token.children) {
        const found = visit(token.children);
        if (found) return found;
      }
    }
    return null;
  };
  const found = visit(tokens);
  if (found) return found;
  if (html.length === 0) return null;
  // Raw HTML pieces are read together: a tag may open in one inline token and close in a later one.
  const inHtml = checkHtml(html.join(""), "content.html");
  return inHtml ? { ruleId: "content.markdown-html", excerpt: inHtml.excerpt } : null;
}

function checkHtml(value: string, prefix: "content.html"): ContentFinding | null {
  if (value.indexOf("<") < 0) return null;
  // As a whole document: a page that shows the value may put it anywhere, and <body onpageshow=…> given
  // inside a body lends its attributes to the page's body, which a fragment parse would drop.
  const stack: Node[] = [...(parse(value).childNodes as Node[])];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.attrs === undefined) continue;
    const tag = node.nodeName;
    if (DANGEROUS_TAGS.has(tag)) return { ruleId: `${prefix}-tag`, excerpt: `<${tag}` };
    for (const attr of node.attrs) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on") || name === "srcdoc" || (name === "style" && STYLE_SCRIPT.test(attr.value))) {
        return { ruleId: `${prefix}-attribute`, excerpt: `${name}=${attr.value}` };
      }
      if ((URL_ATTRIBUTES.has(name) || name.endsWith(":href")) && !isSafeUrl(attr.value, tag === "img")) {
        return { ruleId: `${prefix}-url`, excerpt: `${name}=${attr.value}` };
      }
    }
    if (node.childNodes) stack.push(...node.childNodes);
    if (node.content?.childNodes) stack.push(...node.content.childNodes);
  }
  return null;
}

/**
 * A URL's scheme as a browser reads it: leading C0 controls and spaces are
 * dropped and tabs and newlines removed anywhere (WHATWG URL), so "java\tscript:"
 * is javascript:. No scheme (a relative URL) is safe.
 */
function isSafeUrl(url: string, isImage: boolean): boolean {
  let decoded = url;
  // markdown-it percent-encodes what it normalises; a scheme hidden behind %-escapes is still that scheme to the reader.
  if (decoded.indexOf("%") >= 0) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      // not valid percent-encoding: read as is
    }
  }
  const cleaned = decoded
    .replace(/^[\u0000-\u0020]+/, "")
    .replace(/[\t\n\r]/g, "")
    .toLowerCase();
  const match = /^([a-z][a-z0-9+.-]*):/.exec(cleaned);
  if (match === null) return true;
  const scheme = match[1]!;
  if (SAFE_SCHEMES.has(scheme)) return true;
  return isImage && scheme === "data" && /^data:image\/(png|gif|jpe?g|webp|avif|bmp)[;,]/.test(cleaned);
}

interface Node {
  nodeName: string;
  attrs?: Array<{ name: string; value: string }>;
  childNodes?: Node[];
  content?: { childNodes?: Node[] };
}

interface MarkdownToken {
  type: string;
  content: string;
  children: MarkdownToken[] | null;
  attrGet(name: string): string | null;
}
