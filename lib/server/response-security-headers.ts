// The fixed security headers of the portal's responses, in one place for both servers of
// them: next.config.ts gives them to what Next.js answers, and the API front
// (lib/server/api-front.ts) to the API it answers itself. Pages get their
// Content-Security-Policy with a per-request nonce from proxy.ts instead.

/** On every response. */
export const EVERY_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "same-origin",
};

/** `/api/*` answers JSON and downloads: nothing in them may run or be framed. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";
