import Link from "next/link";
import type { ReactNode } from "react";
import styles from "./architecture.module.css";

/**
 * The frame of the questionnaire and its result: usable before anyone has an account,
 * so it stands outside the signed-in portal shell, with a way into the portal either way.
 */
export function QuestionnaireShell({
  signedInAs,
  returnTo,
  children,
}: {
  signedInAs: string | null;
  /** Where sign-in should come back to: this page, with its answers. */
  returnTo: string;
  children: ReactNode;
}) {
  return (
    <div className={styles.publicShell}>
      <header className="topbar">
        <Link href="/" className="brand">
          <svg aria-hidden="true" viewBox="0 0 24 24" width="24" height="24" className="brand-mark">
            <path d="M12 2 4 5v6c0 5 3.4 9.4 8 11 4.6-1.6 8-6 8-11V5l-8-3Z" fill="currentColor" />
            <path d="m8.5 12 2.5 2.5 4.5-5" fill="none" stroke="#0f1b2d" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          <span>Rampart</span>
        </Link>
        <nav aria-label="Account" className={styles.topbarLinks}>
          {signedInAs ? (
            <>
              <span>Signed in as {signedInAs}</span>
              <Link href="/architecture">Architecture decisions</Link>
            </>
          ) : (
            <Link href={`/sign-in?next=${encodeURIComponent(returnTo)}`}>Sign in</Link>
          )}
        </nav>
      </header>
      <main id="main" className={styles.publicMain} tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
