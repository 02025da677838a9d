import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Rampart", template: "%s · Rampart" },
  description: "Security policy for your web applications: one gateway, a microgateway per application.",
  robots: { index: false, follow: false },
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: "#0f1b2d",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request, so Next can put this response's CSP nonce on its
  // scripts (proxy.ts); a page prerendered at build time would carry none and not hydrate.
  await connection();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to main content
        </a>
        {/* TanStack Query's provider wraps only the parts that fetch with it (the portal, sign-in,
            saving a questionnaire result): the public questionnaire ships without it (first-load budget). */}
        {children}
      </body>
    </html>
  );
}
