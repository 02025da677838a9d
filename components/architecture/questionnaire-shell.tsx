import Link from "next/link";
import type { ReactNode } from "react";
import { BrandLink } from "@/components/app-shell/brand-link";
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
        <BrandLink />
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
