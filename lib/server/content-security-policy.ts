// The portal's Content-Security-Policy for HTML pages (proxy.ts sets it per request).
// Scripts run only with this response's nonce; Next.js finds the nonce in the request's
// Content-Security-Policy header and puts it on its own scripts and inline styles, and
// 'strict-dynamic' lets those load the chunks they need. Pages therefore render per
// request (the root layout awaits connection()): a page prerendered at build time
// would carry no nonce and never hydrate.
//
// Styles: stylesheets from the portal itself and <style> elements carrying the nonce; no
// style="" attributes (the `react/forbid-dom-props` lint rule keeps components free of them),
// so no 'unsafe-inline' in production. `next dev` needs 'unsafe-eval' (React rebuilds server
// error stacks with eval) and inline styles (its overlay); production has neither.

/** 128 random bits, base64: fresh for every response. */
export function newCspNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

export function pageContentSecurityPolicy(nonce: string, { dev }: { dev: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
