import type { Metadata } from "next";
import Link from "next/link";
import { describeSsoFailure } from "@/lib/auth/sso/describe-sso-failure";
import { isSsoFailureReason } from "@/lib/auth/sso/sso-failure";
import { findSsoProvider } from "@/lib/auth/sso/sso-providers";

export const metadata: Metadata = { title: "Sign-in failed" };

// Where a single sign-on that did not finish lands (lib/auth/sso/sso-failure-location.ts).
// Only the reason's code and a configured provider's id come from the URL.
export default async function SsoErrorPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const reason = isSsoFailureReason(params.reason) ? params.reason : "unexpected";
  const provider = typeof params.provider === "string" ? findSsoProvider(params.provider) : null;
  const { title, body } = describeSsoFailure(reason, provider?.displayName ?? "The sign-in provider");
  return (
    <main id="main" className="standalone" tabIndex={-1}>
      <section className="status-panel" aria-labelledby="sso-error-title">
        <p className="status-code">Sign-in failed</p>
        <h1 id="sso-error-title">{title}</h1>
        <p className="status-body">{body}</p>
        <p className="status-actions">
          <Link className="button" href="/sign-in">
            Back to sign-in
          </Link>
          {provider && reason !== "account-disabled" && reason !== "account-conflict" && reason !== "email-unverified" ? (
            <a className="button button-secondary" href={`/api/v1/auth/sso/${provider.id}/start`}>
              Try {provider.displayName} again
            </a>
          ) : null}
        </p>
      </section>
    </main>
  );
}
