// The cast and the calls the policy integration tests share: two teams, one user per
// role that matters, and thin wrappers over the real route handlers.
import { db } from "@/lib/db/client";
import { createApplication, createTeam, createUser } from "@/prisma/factories";
import { callApi, json, type ApiCall } from "../../helpers/call-api";
import { sessionCookieFor } from "../../helpers/sign-in-as";

export type Cast = {
  payments: { id: string };
  storefront: { id: string };
  ids: Record<Person, string>;
  cookies: Record<Person, string>;
};
export type Person = "officer" | "officer2" | "lead" | "developer" | "storefrontDeveloper" | "auditor" | "admin";

export async function createCast(): Promise<Cast> {
  const payments = await createTeam(db, { slug: "payments", name: "Payments" });
  const storefront = await createTeam(db, { slug: "storefront", name: "Storefront" });
  const people: Record<Person, [string, string, string]> = {
    officer: [payments.id, "security-officer", "Sam Officer"],
    officer2: [storefront.id, "security-officer", "Kim Officer"],
    lead: [payments.id, "project-lead", "Lee Lead"],
    developer: [payments.id, "developer", "Dana Developer"],
    storefrontDeveloper: [storefront.id, "developer", "Stevie Storefront"],
    auditor: [storefront.id, "auditor", "Avery Auditor"],
    admin: [payments.id, "admin", "Ada Admin"],
  };
  const ids = {} as Record<Person, string>;
  const cookies = {} as Record<Person, string>;
  for (const [person, [teamId, role, name]] of Object.entries(people) as [Person, [string, string, string]][]) {
    ids[person] = (await createUser(db, { name, memberships: [{ teamId, role }] })).id;
    cookies[person] = await sessionCookieFor(ids[person]);
  }
  return { payments, storefront, ids, cookies };
}

let sequence = 0;
export function uniqueSlug(prefix: string): string {
  return `${prefix}-${++sequence}-${Math.random().toString(36).slice(2, 6)}`;
}

export function paymentsApp(cast: Cast, options: { exposure?: "internet" | "internal"; teamId?: string } = {}) {
  return createApplication(db, { teamId: options.teamId ?? cast.payments.id, slug: uniqueSlug("app"), exposure: options.exposure ?? "internal" });
}

/** A call whose JSON answer is returned with its status. */
export async function call(request: ApiCall): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await callApi(request);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // YAML or empty: keep the text
  }
  return { status: response.status, body, headers: response.headers };
}

export { callApi, json };

export const api = {
  createPolicy: (cookie: string, content: unknown) => call({ method: "POST", path: "/api/v1/policies", cookie, body: { content } }),
  getPolicy: (cookie: string, id: string) => call({ method: "GET", path: `/api/v1/policies/${id}`, cookie }),
  newDraft: (cookie: string, policyId: string, body: Record<string, unknown> = {}) =>
    call({ method: "POST", path: `/api/v1/policies/${policyId}/versions`, cookie, body }),
  getVersion: (cookie: string, policyId: string, versionId: string) =>
    call({ method: "GET", path: `/api/v1/policies/${policyId}/versions/${versionId}`, cookie }),
  updateDraft: (cookie: string, policyId: string, versionId: string, ifMatch: number, content: unknown) =>
    call({ method: "PUT", path: `/api/v1/policies/${policyId}/versions/${versionId}`, cookie, body: { content }, headers: { "if-match": `"${ifMatch}"` } }),
  transition: (cookie: string, policyId: string, versionId: string, transition: string, ifMatch: number, body?: unknown) =>
    call({
      method: "POST",
      path: `/api/v1/policies/${policyId}/versions/${versionId}/${transition}`,
      cookie,
      headers: { "if-match": `"${ifMatch}"` },
      ...(body !== undefined ? { body } : {}),
    }),
};

/** The body each transition needs: a summary to submit, a comment to decide. */
export function transitionBody(transition: string): Record<string, string> | undefined {
  if (transition === "submit") return { summary: "Keeps the policy in step with the application." };
  if (transition === "approve") return { note: "Reviewed: fits the baseline." };
  if (transition === "reject") return { note: "Too broad." };
  if (transition === "request-changes") return { note: "Name the upload path." };
  return undefined;
}

/**
 * Takes a version through submit → approve → publish as the right people; returns the
 * published view. Four eyes: a security officer who neither wrote nor submitted it approves.
 */
export async function publish(cast: Cast, policyId: string, version: { id: string; version: number }, editorCookie?: string) {
  const { authorId, editors } = await db.policyVersion.findUniqueOrThrow({
    where: { id: version.id },
    select: { authorId: true, editors: { select: { userId: true } } },
  });
  // By default the officer who wrote it submits it (else the first officer).
  const editor = editorCookie ?? (authorId === cast.ids.officer2 ? cast.cookies.officer2 : cast.cookies.officer);
  const submitted = await api.transition(editor, policyId, version.id, "submit", version.version, transitionBody("submit"));
  if (submitted.status !== 200) throw new Error(`submit: ${JSON.stringify(submitted.body)}`);
  const writers = new Set([authorId, ...editors.map((e) => e.userId)]);
  const reviewer = (["officer", "officer2"] as const).find((p) => !writers.has(cast.ids[p]) && cast.cookies[p] !== editor);
  // Both officers wrote it: a third one, who did not, reviews it.
  const reviewerCookie = reviewer
    ? cast.cookies[reviewer]
    : await sessionCookieFor((await createUser(db, { name: "Rory Reviewer", memberships: [{ teamId: cast.payments.id, role: "security-officer" }] })).id);
  const approved = await api.transition(reviewerCookie, policyId, version.id, "approve", submitted.body.version, transitionBody("approve"));
  if (approved.status !== 200) throw new Error(`approve: ${JSON.stringify(approved.body)}`);
  const published = await api.transition(cast.cookies.officer, policyId, version.id, "publish", approved.body.version);
  if (published.status !== 200) throw new Error(`publish: ${JSON.stringify(published.body)}`);
  return published.body;
}
