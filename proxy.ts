// Next.js Proxy (the file convention formerly called middleware; not the proxy/ runtime):
// gives every HTML page a Content-Security-Policy with a nonce of its own
// (lib/server/content-security-policy.ts). Next reads the nonce from the request's
// Content-Security-Policy header while rendering, so it is set on the request as well as
// on the response. API responses get a fixed policy from next.config.ts instead; HSTS is
// set for every response by the portal's HTTP front (lib/server/portal-front.ts).
import { NextResponse, type NextRequest } from "next/server";
import { newCspNonce, pageContentSecurityPolicy } from "@/lib/server/content-security-policy";

export function proxy(request: NextRequest) {
  const policy = pageContentSecurityPolicy(newCspNonce(), { dev: process.env.NODE_ENV === "development" });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: not the API (JSON, its own policy), not built assets, not the icon.
      source: "/((?!api(?:/|$)|_next/static/|_next/image|icon\\.svg$|favicon\\.ico$).*)",
      // Prefetches fetch RSC payloads, not HTML: nothing in them runs under a nonce.
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
