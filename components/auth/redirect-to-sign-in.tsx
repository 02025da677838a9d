"use client";
import Link from "next/link";
import { useEffect } from "react";
import { redirectToSignIn } from "@/lib/query/api-client";

/**
 * Shown by the portal layout when there is no live session. The server cannot see the
 * URL the user asked for, the browser can: it goes to sign-in with `next` set to it.
 */
export function RedirectToSignIn() {
  useEffect(() => {
    redirectToSignIn();
  }, []);
  return (
    <main id="main" className="standalone" tabIndex={-1}>
      <section className="status-panel" aria-labelledby="sign-in-needed">
        <h1 id="sign-in-needed">Sign in to continue</h1>
        <p className="status-body">Your session has ended or you have not signed in yet.</p>
        <p>
          <Link className="button" href="/sign-in">
            Go to sign-in
          </Link>
        </p>
      </section>
    </main>
  );
}
