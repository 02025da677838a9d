// The portal's REST API as a person drives it, for preparing what a browser story does
// not care about: sign in for a session cookie, call /api/v1 with it, publish a version
// with four eyes. Plain fetch and no vitest, so that bench/delivery/real-portal.ts can
// use it under tsx as well as the e2e tests.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { portalApi, signInCookie, type PortalApi } from "../../../lib/demo/portal-api-client";

export { PortalApiError, portalApi, signInCookie, type PortalApi } from "../../../lib/demo/portal-api-client";

export { DEMO_PASSWORD } from "../../../lib/demo/portal-api-client";

const REPO = path.resolve(import.meta.dirname, "../../..");

type VersionRef = { id: string; version: number };

/**
 * Submit (by its author) → approve (by another person: four eyes) → publish, each with
 * If-Match on the version read before. Returns the published version's id.
 */
export async function publishWithFourEyes(
  people: { author: PortalApi; reviewer: PortalApi; publisher: PortalApi },
  policyId: string,
  versionId: string,
  summary: string,
): Promise<string> {
  const base = `/policies/${policyId}/versions/${versionId}`;
  let version = await people.author<VersionRef>("GET", base);
  version = await people.author<VersionRef>("POST", `${base}/submit`, { summary }, version.version);
  version = await people.reviewer<VersionRef>("POST", `${base}/approve`, { note: `Reviewed: ${summary}` }, version.version);
  version = await people.publisher<VersionRef>("POST", `${base}/publish`, { note: summary }, version.version);
  return version.id;
}

/**
 * A draft of `application`'s policy holding `content`, whoever made the policy before (other
 * browser tests may have): the open draft is overwritten, else a new version is drafted, else the
 * policy is created. Returns the policy's and the draft's ids.
 */
export async function draftApplicationPolicy(
  author: PortalApi,
  application: string,
  content: Record<string, unknown>,
): Promise<{ policyId: string; draftId: string }> {
  type Listed = { id: string; name: string; draft: { id: string } | null };
  const existing = await author<{ items: Listed[] }>("GET", `/policies?kind=application&q=${encodeURIComponent(application)}`);
  const found = existing.items.find((p) => p.name === application);
  if (!found) {
    const created = await author<{ id: string; draft: { id: string } }>("POST", "/policies", { content });
    return { policyId: created.id, draftId: created.draft.id };
  }
  if (found.draft) {
    const draft = await author<VersionRef>("GET", `/policies/${found.id}/versions/${found.draft.id}`);
    await author("PUT", `/policies/${found.id}/versions/${found.draft.id}`, { content }, draft.version);
    return { policyId: found.id, draftId: found.draft.id };
  }
  const drafted = await author<{ id: string }>("POST", `/policies/${found.id}/versions`, { content });
  return { policyId: found.id, draftId: drafted.id };
}

/** A policy document from examples/policies/, as the API takes it. */
export function examplePolicy(file: string): Record<string, unknown> {
  return parseYaml(readFileSync(path.join(REPO, "examples/policies", file), "utf8")) as Record<string, unknown>;
}

/**
 * A published baseline for every environment (scope "baseline"), made through the API by
 * the two security officers unless one is in force. Checked by scope, not "any baseline":
 * another file may have published only environment-specific ones.
 */
export async function ensureBaselineForEveryEnvironment(
  baseUrl: string,
  content: Record<string, unknown> = { apiVersion: "rampart.dev/v1alpha1", kind: "BaselinePolicy", metadata: { name: "standard" } },
): Promise<void> {
  const security = portalApi(baseUrl, await signInCookie(baseUrl, "security@rampart.local"));
  const baselines = await security<{ items: Array<{ scope: string; publishedVersion: unknown }> }>("GET", "/policies?kind=baseline&pageSize=100");
  if (baselines.items.some((b) => b.scope === "baseline" && b.publishedVersion)) return;
  const reviewer = portalApi(baseUrl, await signInCookie(baseUrl, "security2@rampart.local"));
  const created = await security<{ id: string; draft: { id: string } }>("POST", "/policies", { content });
  await publishWithFourEyes({ author: security, reviewer, publisher: reviewer }, created.id, created.draft.id, "The baseline for every environment.");
}
