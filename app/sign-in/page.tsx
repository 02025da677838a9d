import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { currentActor } from "@/lib/auth/current-actor";

export const metadata: Metadata = { title: "Sign in" };

// Only same-site paths: `next` comes from the URL, so anything else would be an open redirect.
function safeNext(raw: string | string[] | undefined): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  if (value === "/sign-in" || value.startsWith("/sign-in?") || value.startsWith("/api/")) return "/";
  return value;
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNext((await searchParams).next);
  if (await currentActor()) redirect(next);
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
        <SignInForm next={next} />
        <p className="sign-in-aside">
          Deciding how to protect an application? <Link href="/architecture/questionnaire">Find the right architecture</Link>: a few questions, no account needed.
        </p>
      </div>
    </main>
  );
}
