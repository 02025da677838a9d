// The JavaScript a page makes the browser load first: every <script src> of its HTML (the
// inline RSC payload is data, not counted), fetched as served, then gzipped the way a
// production front serves them. `noModule` scripts (Next's polyfills for browsers without
// ES modules) are listed apart: every browser the portal supports skips them unloaded. Shared by the bundle benchmark and the e2e test
// that holds the questionnaire to its budget.
import { gzipSync } from "node:zlib";

/** The questionnaire's first-load JavaScript budget, gzipped (issue 17). */
export const QUESTIONNAIRE_BUDGET_BYTES = 150 * 1024;

type Script = { src: string; bytes: number; gzipBytes: number };
export type PageScripts = { url: string; scripts: Script[]; bytes: number; gzipBytes: number; skipped: Script[] };

export async function measurePageScripts(pageUrl: string, init: { headers?: Record<string, string> } = {}): Promise<PageScripts> {
  const response = await fetch(pageUrl, { headers: init.headers, redirect: "manual" });
  if (!response.ok) throw new Error(`GET ${pageUrl}: ${response.status}`);
  const html = await response.text();
  const tags = [...html.matchAll(/<script\b([^>]*)\bsrc="([^"]+)"([^>]*)>/g)].map((m) => ({
    src: m[2]!.replace(/&amp;/g, "&"),
    noModule: /\bnomodule\b/i.test(`${m[1]} ${m[3]}`),
  }));
  const unique = [...new Map(tags.map((tag) => [tag.src, tag])).values()];
  const fetched = await Promise.all(
    unique.map(async ({ src, noModule }) => {
      const body = Buffer.from(await (await fetch(new URL(src, pageUrl))).arrayBuffer());
      return { src, noModule, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length };
    }),
  );
  const strip = (s: (typeof fetched)[number]): Script => ({ src: s.src, bytes: s.bytes, gzipBytes: s.gzipBytes });
  const scripts = fetched.filter((s) => !s.noModule).map(strip);
  const skipped = fetched.filter((s) => s.noModule).map(strip);
  return {
    url: pageUrl,
    scripts,
    skipped,
    bytes: scripts.reduce((sum, s) => sum + s.bytes, 0),
    gzipBytes: scripts.reduce((sum, s) => sum + s.gzipBytes, 0),
  };
}
