// The JavaScript a page makes the browser load first: every <script src> of its HTML (and
// the inline RSC payload is not counted: it is data), fetched as served, then gzipped the
// way a production front would serve them. Shared by the bundle benchmark and the e2e test
// that holds the questionnaire to its budget.
import { gzipSync } from "node:zlib";

/** The questionnaire's first-load JavaScript budget, gzipped (issue 17). */
export const QUESTIONNAIRE_BUDGET_BYTES = 150 * 1024;

export type PageScripts = { url: string; scripts: { src: string; bytes: number; gzipBytes: number }[]; bytes: number; gzipBytes: number };

export async function measurePageScripts(pageUrl: string, init: { headers?: Record<string, string> } = {}): Promise<PageScripts> {
  const response = await fetch(pageUrl, { headers: init.headers, redirect: "manual" });
  if (!response.ok) throw new Error(`GET ${pageUrl}: ${response.status}`);
  const html = await response.text();
  const sources = [...new Set([...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, "&")))];
  const scripts = await Promise.all(
    sources.map(async (src) => {
      const body = Buffer.from(await (await fetch(new URL(src, pageUrl))).arrayBuffer());
      return { src, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length };
    }),
  );
  return {
    url: pageUrl,
    scripts,
    bytes: scripts.reduce((sum, s) => sum + s.bytes, 0),
    gzipBytes: scripts.reduce((sum, s) => sum + s.gzipBytes, 0),
  };
}
