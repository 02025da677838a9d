// Where a password sign-in lands (issue 12, open redirect): the real sign-in route handler
// on a real database signs in, and the real sign-in page (app/sign-in/page.tsx) is rendered
// with what the browser would send — `next` as Next.js decodes it from the query, and the
// session cookie the route set. Signed out, the page hands the form the path it will go to
// after signing in; signed in, it redirects there itself. Either way the landing, resolved
// as a browser resolves it (WHATWG URL, which strips tabs and newlines and reads `\` as
// `/`), is on the portal's origin, and nothing answers 500. Only Next.js's request-scoped
// cookie reader is stood in for: rendering outside `next start` has no request to read.
import { describe, expect, it, vi, beforeAll } from "vitest";
import type { ReactElement, ReactNode } from "react";
import { db } from "@/lib/db/client";
import { SESSION_COOKIE } from "@/lib/auth/session";
import { createUser } from "@/prisma/factories";
import { callApi } from "../../helpers/call-api";

const cookieJar = new Map<string, string>();
vi.mock("next/headers", () => ({
  cookies: async () => ({ get: (name: string) => (cookieJar.has(name) ? { name, value: cookieJar.get(name)! } : undefined) }),
  headers: async () => new Headers(),
}));

const { default: SignInPage } = await import("@/app/sign-in/page");
const { SignInForm } = await import("@/components/auth/sign-in-form");

const ORIGIN = "http://127.0.0.1:3000";
const PASSWORD = "sign-in-next-password";
let sessionToken: string;

beforeAll(async () => {
  const user = await createUser(db, { email: "next@next.test", password: PASSWORD });
  const response = await callApi({ method: "POST", path: "/api/v1/auth/login", body: { email: user.email, password: PASSWORD } });
  expect(response.status).toBe(200);
  sessionToken = new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(response.headers.get("set-cookie") ?? "")![1]!;
});

/** `next` as the page receives it from `/sign-in?next=<raw>`. */
function searchParamsOf(raw: string) {
  return Promise.resolve(Object.fromEntries(new URL(`/sign-in?next=${raw}`, ORIGIN).searchParams));
}

function findProps(node: ReactNode, type: unknown): Record<string, unknown> | null {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = findProps(child, type);
      if (found) return found;
    }
    return null;
  }
  if (!node || typeof node !== "object" || !("props" in node)) return null;
  const element = node as ReactElement<Record<string, unknown>>;
  if (element.type === type) return element.props;
  return findProps(element.props.children as ReactNode, type);
}

/** A landing path must stay on the origin as a browser resolves it, and be a valid Location (no control characters). */
function expectSameOrigin(landing: unknown, raw: string) {
  expect(typeof landing, raw).toBe("string");
  expect(landing as string, raw).not.toMatch(/[\u0000-\u001f\u007f]/);
  expect(new URL(landing as string, ORIGIN).origin, `${raw} → ${String(landing)}`).toBe(ORIGIN);
}

const HOSTILE = ["/%09/evil.example", "/%0A/x", "//evil.example", "https://evil.example", "/\\evil.example", "/%5Cevil.example", "/%2F/evil.example"];

describe("next after a password sign-in", () => {
  it.each(HOSTILE)("next=%s: the form is sent to a path of this origin", async (raw) => {
    cookieJar.clear();
    const page = await SignInPage({ searchParams: searchParamsOf(raw) });
    const form = findProps(page, SignInForm);
    expect(form, "the page renders the password form").not.toBeNull();
    expectSameOrigin(form!.next, raw);
  });

  it.each(HOSTILE)("next=%s: signed in, the page redirects to a path of this origin, never a 500", async (raw) => {
    cookieJar.set(SESSION_COOKIE, sessionToken);
    const error = await SignInPage({ searchParams: searchParamsOf(raw) }).then(
      () => null,
      (e: unknown) => e,
    );
    // next/navigation's redirect() throws NEXT_REDIRECT;<type>;<location>;<status>; anything else would be a 500.
    const digest = String((error as { digest?: unknown } | null)?.digest);
    const redirect = /^NEXT_REDIRECT;\w+;(.*);30\d;$/s.exec(digest);
    expect(redirect, `${raw}: ${String(error)}`).not.toBeNull();
    expectSameOrigin(redirect![1], raw);
  });

  it("keeps a path of this origin, query included", async () => {
    cookieJar.clear();
    const page = await SignInPage({ searchParams: searchParamsOf(encodeURIComponent("/audit?outcome=denied")) });
    expect(findProps(page, SignInForm)?.next).toBe("/audit?outcome=denied");
  });
});
