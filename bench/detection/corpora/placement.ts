// Shared pieces of the corpus generators: a seedable PRNG, combination of
// grammar pieces, and the placement of a payload in one realistic request
// part. Each generator owns its PRNG (makeCorpusKit(seed)), so adding a
// round never changes the bytes of an earlier round's corpus.

export interface Rec {
  id: string;
  family: string;
  technique: string;
  label: "attack" | "benign";
  /** Evaluation round that introduced the technique (absent = rounds 1–2). */
  round?: number;
  method: string;
  uri: string;
  headers: Record<string, string>;
  body: string | null;
}

export type PlacedRequest = Omit<Rec, "id" | "family" | "technique" | "label" | "round">;

export type Placement = "query" | "form" | "json" | "json-u" | "json-entity" | "xml-attr" | "multipart" | "header" | "cookie" | "filename";
export const VALUE_PLACEMENTS: Placement[] = ["query", "form", "json", "json-u", "json-entity", "xml-attr", "multipart"];

/** mulberry32: small, seedable, deterministic. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UA = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
  "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
];
const FIELDS = ["q", "name", "comment", "search", "title", "file", "page", "id", "cmd", "host", "template", "lang", "redirect"];

export const enc = encodeURIComponent;
export const xmlAttr = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;").replace(/\n/g, "&#10;");
const jsonUnicode = (s: string): string => JSON.stringify(s).replace(/[$<>'(){}:\/]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

export function makeCorpusKit(seed: number) {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

  /** Cartesian product of piece lists, joined; sampled down to `max` deterministically. */
  function combos(parts: readonly (readonly string[])[], max = 24): string[] {
    let acc: string[] = [""];
    for (const p of parts) acc = acc.flatMap((a) => p.map((b) => a + b));
    if (acc.length <= max) return acc;
    const out: string[] = [];
    const step = acc.length / max;
    for (let i = 0; i < max; i++) out.push(acc[Math.floor(i * step + rand() * step)]!);
    return out;
  }

  const baseHeaders = (): Record<string, string> => ({ Host: "shop.example.com", "User-Agent": pick(UA), Accept: "*/*" });
  const htmlEntities = (s: string): string => s.replace(/[$<>'"(){}]/g, (c) => `&#${pick(["x" + c.charCodeAt(0).toString(16), String(c.charCodeAt(0))])};`);

  function place(payload: string, where: Placement, preEncoded = false): PlacedRequest {
    const h = baseHeaders();
    const encode = preEncoded ? (x: string) => x : encodeURIComponent;
    const field = pick(FIELDS);
    switch (where) {
      case "query":
        return { method: "GET", uri: `/api/items?${field}=${encode(payload)}&page=2`, headers: h, body: null };
      case "form":
        return {
          method: "POST",
          uri: "/account/update",
          headers: { ...h, "Content-Type": "application/x-www-form-urlencoded" },
          body: `user=alice&${field}=${encode(payload)}&submit=Save`,
        };
      case "json":
        return {
          method: "POST",
          uri: "/api/v2/tickets",
          headers: { ...h, "Content-Type": "application/json" },
          body: JSON.stringify({ ticket: { priority: "high", [field]: payload } }),
        };
      case "json-u":
        return {
          method: "POST",
          uri: "/api/v2/tickets",
          headers: { ...h, "Content-Type": "application/json" },
          body: `{"ticket":{"priority":"high","${field}":${jsonUnicode(payload)}}}`,
        };
      case "json-entity":
        return {
          method: "PUT",
          uri: "/api/v2/profile",
          headers: { ...h, "Content-Type": "application/json" },
          body: JSON.stringify({ [field]: htmlEntities(payload) }),
        };
      case "xml-attr":
        return {
          method: "POST",
          uri: "/soap/orders",
          headers: { ...h, "Content-Type": "application/xml" },
          body: `<?xml version="1.0"?><order id="77"><item sku="A-1" ${field}="${xmlAttr(payload)}">2</item></order>`,
        };
      case "multipart": {
        const b = "----rampartbench7MA4YWxk";
        return {
          method: "POST",
          uri: "/upload",
          headers: { ...h, "Content-Type": `multipart/form-data; boundary=${b}` },
          body: `--${b}\r\nContent-Disposition: form-data; name="${field}"\r\n\r\n${payload}\r\n--${b}\r\nContent-Disposition: form-data; name="submit"\r\n\r\nSend\r\n--${b}--\r\n`,
        };
      }
      case "filename": {
        const b = "----rampartbench9QxXyz";
        return {
          method: "POST",
          uri: "/upload",
          headers: { ...h, "Content-Type": `multipart/form-data; boundary=${b}` },
          body: `--${b}\r\nContent-Disposition: form-data; name="attachment"; filename="${payload.replace(/"/g, "%22")}"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--${b}--\r\n`,
        };
      }
      case "header":
        return {
          method: "GET",
          uri: "/",
          headers: { ...h, [pick(["User-Agent", "Referer", "X-Api-Version", "X-Forwarded-For"])]: payload.replace(/[\r\n]/g, " ") },
          body: null,
        };
      case "cookie":
        return { method: "GET", uri: "/dashboard", headers: { ...h, Cookie: `session=ab12cd; pref=${encode(payload)}` }, body: null };
    }
  }

  return { rand, pick, combos, baseHeaders, place };
}
