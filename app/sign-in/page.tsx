import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { SsoButtons } from "@/components/auth/sso-buttons";
import { currentActor } from "@/lib/next/current-actor";
import { safeNext } from "@/lib/auth/safe-next";
import { ssoSignInOptions } from "@/lib/auth/sso/sso-providers";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = safeNext(params.next);
  if (await currentActor()) redirect(next);
  // Built from the configuration alone: the page offers every way in even when a provider is down.
  const { providers, ssoOnly } = ssoSignInOptions();
  return (
    <main id="main" className="sign-in" tabIndex={-1}>
      <div className="sign-in-card">
        <p className="sign-in-brand">
          <svg aria-hidden="true" viewBox="0 0 24 24" width="32" height="32">
            <path d="M12 2 4 5v6c0 5 3.4 9.4 8 11 4.6-1.6 8-6 8-11V5l-8-3Z" fill="#0b5cad" />
            <path d="m8.5 12 2.5 2.5 4.5-5" fill="none" stroke="#fff" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          Rampart
        </p>
        <h1>Sign in</h1>
        <p className="muted">Security policy for your web applications.</p>
        {params["signed-out"] !== undefined ? (
          <p className="sign-in-notice" role="status">
            You are signed out.
          </p>
        ) : null}
        <SsoButtons providers={providers} next={next} />
        {ssoOnly ? (
          <details className="break-glass">
            <summary>Break-glass sign-in</summary>
            <p className="muted">
              Password sign-in is switched off. Only the break-glass administrator account may use it, for when single sign-on is unavailable.
            </p>
            <SignInForm next={next} />
          </details>
        ) : (
          <>
            {providers.length > 0 ? <p className="sign-in-divider">or with your password</p> : null}
            <SignInForm next={next} />
          </>
        )}
        <p className="sign-in-aside">
          Deciding how to protect an application? <Link href="/architecture/questionnaire">Find the right architecture</Link>: a few questions, no account
          needed.
        </p>
      </div>
    </main>
  );
}
