// Minimal, allocation-light parsers for the request parts the engine
// inspects. They never throw: malformed input degrades to "inspect raw".

export type PairVisitor = (name: string, value: string) => void;

/** application/x-www-form-urlencoded and query strings: raw (still encoded) name/value pairs. */
export function forEachPair(s: string, visit: PairVisitor, maxPairs = 1024): void {
  if (s.length === 0) return;
  let start = 0;
  let count = 0;
  while (start <= s.length && count < maxPairs) {
    let amp = s.indexOf("&", start);
    if (amp < 0) amp = s.length;
    if (amp > start) {
      const eq = s.indexOf("=", start);
      if (eq >= 0 && eq < amp) visit(s.slice(start, eq), s.slice(eq + 1, amp));
      else visit(s.slice(start, amp), "");
      count++;
    }
    start = amp + 1;
  }
}

/** Cookie header: "a=1; b=2". */
export function forEachCookie(header: string, visit: PairVisitor, maxCookies = 256): void {
  let start = 0;
  let count = 0;
  while (start < header.length && count < maxCookies) {
    let semi = header.indexOf(";", start);
    if (semi < 0) semi = header.length;
    let a = start;
    while (a < semi && header.charCodeAt(a) === 32) a++;
    if (semi > a) {
      const eq = header.indexOf("=", a);
      if (eq >= 0 && eq < semi) visit(header.slice(a, eq).trim(), header.slice(eq + 1, semi).trim());
      else visit(header.slice(a, semi).trim(), "");
      count++;
    }
    start = semi + 1;
  }
}

/** Parameter of a header value such as Content-Type: boundary=…, charset=…. */
export function headerParam(value: string, param: string): string | null {
  const re = new RegExp(`(?:^|;)\\s*${param}\\s*=\\s*(?:"([^"]*)"|([^;\\s]*))`, "i");
  const m = re.exec(value);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

export interface MultipartPart {
  name: string;
  filename: string | null;
  contentType: string | null;
  value: string;
}

/** multipart/form-data parts (body as a latin1/utf8 string, CRLF or LF line breaks). */
export function parseMultipart(body: string, boundary: string, maxParts = 256): MultipartPart[] {
  const parts: MultipartPart[] = [];
  const delim = `--${boundary}`;
  let pos = body.indexOf(delim);
  while (pos >= 0 && parts.length < maxParts) {
    let headerStart = pos + delim.length;
    if (body.startsWith("--", headerStart)) break;
    if (body.charCodeAt(headerStart) === 13) headerStart++;
    if (body.charCodeAt(headerStart) === 10) headerStart++;
    let headerEnd = body.indexOf("\r\n\r\n", headerStart);
    let sepLen = 4;
    const lf = body.indexOf("\n\n", headerStart);
    if (headerEnd < 0 || (lf >= 0 && lf < headerEnd)) {
      headerEnd = lf;
      sepLen = 2;
    }
    if (headerEnd < 0) break;
    const next = body.indexOf(delim, headerEnd + sepLen);
    let valueEnd = next < 0 ? body.length : next;
    if (body.charCodeAt(valueEnd - 1) === 10) valueEnd--;
    if (body.charCodeAt(valueEnd - 1) === 13) valueEnd--;
    const headers = body.slice(headerStart, headerEnd);
    let name = "";
    let filename: string | null = null;
    let contentType: string | null = null;
    for (const line of headers.split(/\r?\n/)) {
      const colon = line.indexOf(":");
      if (colon < 0) continue;
      const hn = line.slice(0, colon).trim().toLowerCase();
      const hv = line.slice(colon + 1);
      if (hn === "content-disposition") {
        name = headerParam(hv, "name") ?? "";
        filename = headerParam(hv, "filename");
      } else if (hn === "content-type") contentType = hv.trim();
    }
    parts.push({ name, filename, contentType, value: body.slice(headerEnd + sepLen, Math.max(headerEnd + sepLen, valueEnd)) });
    if (next < 0) break;
    pos = next;
  }
  return parts;
}

export interface XmlNode {
  /** Element name ("" for the prolog / doctype). */
  name: string;
  /** Attribute values and text of the element joined by spaces (still entity-encoded). */
  text: string;
}

/**
 * A tolerant XML scanner (not a validating parser): yields, per element, its
 * attribute values and direct text, and the prolog (DOCTYPE/ENTITY) as one
 * node so XXE declarations are inspected too.
 */
export function scanXml(xml: string, maxNodes = 4096): XmlNode[] {
  const nodes: XmlNode[] = [];
  const n = xml.length;
  let i = 0;
  const stack: { name: string; chunks: string[] }[] = [];
  const prolog: string[] = [];
  while (i < n && nodes.length < maxNodes) {
    const lt = xml.indexOf("<", i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) {
      const t = xml.slice(i, textEnd).trim();
      if (t.length > 0) {
        const top = stack[stack.length - 1];
        if (top) top.chunks.push(t);
        else nodes.push({ name: "", text: t });
      }
    }
    if (lt < 0) break;
    if (xml.startsWith("<!--", lt)) {
      const e = xml.indexOf("-->", lt + 4);
      i = e < 0 ? n : e + 3;
      continue;
    }
    if (xml.startsWith("<![CDATA[", lt)) {
      const e = xml.indexOf("]]>", lt + 9);
      const content = xml.slice(lt + 9, e < 0 ? n : e);
      const top = stack[stack.length - 1];
      if (top) top.chunks.push(content);
      else nodes.push({ name: "", text: content });
      i = e < 0 ? n : e + 3;
      continue;
    }
    if (xml.startsWith("<!", lt) || xml.startsWith("<?", lt)) {
      // DOCTYPE may contain an internal subset [ … ]
      let e = xml.indexOf(">", lt);
      const bracket = xml.indexOf("[", lt);
      if (bracket >= 0 && e >= 0 && bracket < e) {
        const close = xml.indexOf("]>", bracket);
        e = close < 0 ? e : close + 1;
      }
      prolog.push(xml.slice(lt, e < 0 ? n : e + 1));
      i = e < 0 ? n : e + 1;
      continue;
    }
    const gt = xml.indexOf(">", lt);
    const tagEnd = gt < 0 ? n : gt;
    const tag = xml.slice(lt + 1, tagEnd);
    i = tagEnd + 1;
    if (tag.startsWith("/")) {
      const el = stack.pop();
      if (el) nodes.push({ name: el.name, text: el.chunks.join(" ") });
      continue;
    }
    const selfClosing = tag.endsWith("/");
    const m = /^([^\s/>]+)/.exec(tag);
    const name = m ? m[1]! : "";
    const chunks: string[] = [];
    readAttributeValues(tag, name.length, chunks);
    if (selfClosing) nodes.push({ name, text: chunks.join(" ") });
    else stack.push({ name, chunks });
  }
  while (stack.length > 0) {
    const el = stack.pop()!;
    nodes.push({ name: el.name, text: el.chunks.join(" ") });
  }
  if (prolog.length > 0) nodes.push({ name: "", text: prolog.join("\n") });
  return nodes;
}

/** RFC 6901 escaping of one JSON pointer token. */
export function pointerToken(key: string): string {
  return key.indexOf("~") < 0 && key.indexOf("/") < 0 ? key : key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Attribute values of a start tag, scanned by hand (one linear pass). */
function readAttributeValues(tag: string, from: number, out: string[]): void {
  const n = tag.length;
  let i = from;
  while (i < n) {
    while (i < n && (tag.charCodeAt(i) <= 32 || tag.charCodeAt(i) === 47)) i++;
    while (i < n && tag.charCodeAt(i) > 32 && tag.charCodeAt(i) !== 61 && tag.charCodeAt(i) !== 47) i++;
    while (i < n && tag.charCodeAt(i) <= 32) i++;
    if (tag.charCodeAt(i) !== 61 /* = */) continue;
    i++;
    while (i < n && tag.charCodeAt(i) <= 32) i++;
    const q = tag.charCodeAt(i);
    if (q === 34 || q === 39) {
      const end = tag.indexOf(q === 34 ? '"' : "'", i + 1);
      out.push(tag.slice(i + 1, end < 0 ? n : end));
      i = end < 0 ? n : end + 1;
    } else {
      const start = i;
      while (i < n && tag.charCodeAt(i) > 32) i++;
      out.push(tag.slice(start, i));
    }
  }
}
