// Input PostgreSQL cannot store, or that no field accepts, never reaches the database
// as a 500 (issue 12): every operation with a body — the proxies' own (heartbeat, security
// events, with a delivery target's token) included — gets a NUL character, a lone UTF-16
// surrogate, an over-long string and wrong types in each of its fields, and must answer
// 422 naming that field.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import "@/lib/api/operations";
import { registeredOperations, type Operation } from "@/lib/api/operation";
import { MAX_JSON_BODY_BYTES } from "@/lib/api/read-json-body";
import { db } from "@/lib/db/client";
import { createApplication, createTeam, createUser } from "@/prisma/factories";
import { callApi, json } from "../../helpers/call-api";
import { sessionCookieFor } from "../../helpers/sign-in-as";
import { statusReport } from "../../helpers/status-report";
import { applicationDocument } from "../policies/policy-fixtures";

let cookie: string;
let targetToken: string;
let teamId: string;
let appSlug: string;
const ids: Record<string, string> = {};

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "https://kube.example:6443" } }]
users: [{ name: u, user: { token: "a-token" } }]
contexts: [{ name: c, context: { cluster: c, user: u } }]
current-context: c
`;

beforeAll(async () => {
  const [a, b, c] = await Promise.all(["bad-input-a", "bad-input-b", "bad-input-c"].map((slug) => createTeam(db, { slug })));
  teamId = a!.id;
  const app = await createApplication(db, { teamId, slug: "bad-input-app" });
  appSlug = app.slug;
  ids.id = app.id;
  const app2 = await createApplication(db, { teamId, slug: "bad-input-app-2" });
  // Every role at once, so each operation gets past authorization to its input.
  const user = await createUser(db, {
    memberships: [
      { teamId: a!.id, role: "project-lead" },
      { teamId: b!.id, role: "admin" },
      { teamId: c!.id, role: "security-officer" },
    ],
  });
  cookie = await sessionCookieFor(user.id);
  // A draft to change: a policy version's content is read against its policy, so it is checked once the draft is found.
  const policy = await callApi({ method: "POST", path: "/api/v1/policies", cookie, body: { content: applicationDocument(appSlug) } });
  expect(policy.status).toBe(201);
  const created = await json(policy);
  ids.policyId = created.id;
  ids.versionId = created.draft.id;
  // A policy with no open draft, so a new draft's content is read rather than refused as a second draft.
  const submitted = await json(await callApi({ method: "POST", path: "/api/v1/policies", cookie, body: { content: applicationDocument(app2.slug) } }));
  const submit = await callApi({
    method: "POST",
    path: `/api/v1/policies/${submitted.id}/versions/${submitted.draft.id}/submit`,
    cookie,
    body: { summary: "Ready." },
    headers: { "if-match": '"1"' },
  });
  expect(submit.status).toBe(200);
  ids.submittedPolicyId = submitted.id;
  // The proxies' operations answer only a delivery target's token.
  const target = await callApi({
    method: "POST",
    path: "/api/v1/delivery/targets",
    cookie,
    body: { kind: "proxy", name: "bad-input-gw", mode: "gateway", applicationIds: [app.id] },
  });
  expect(target.status).toBe(201);
  targetToken = (await json(target)).token;
});

const slug = () => `bad-${Math.random().toString(36).slice(2, 8)}`;

/**
 * Valid bodies, so the bad field is the only fault; an operation whose body is a union of
 * kinds gets one per kind, so every kind's fields are swept.
 */
const BASES: Record<string, (() => Record<string, unknown>)[]> = {
  createApplication: [() => ({ teamId, slug: slug(), name: "Name", description: "", exposure: "internal", upstreamUrl: "http://a.internal" })],
  updateApplication: [() => ({ name: "Name" })],
  createTeam: [() => ({ slug: slug(), name: "Name", description: "" })],
  updateTeam: [() => ({ name: "Name" })],
  createUser: [() => ({ email: `${slug()}@bad.test`, name: "Name", password: "a-long-enough-password" })],
  updateUser: [() => ({ name: "Name" })],
  createToken: [() => ({ name: "token", role: "auditor" })],
  createPolicy: [() => ({ content: applicationDocument(appSlug) })],
  updatePolicyDraft: [() => ({ content: applicationDocument(appSlug) })],
  createDeliveryTarget: [
    () => ({ kind: "proxy", name: "target", mode: "microgateway" }),
    () => ({ kind: "kubernetes", name: "cluster", kubeconfig: KUBECONFIG, namespaces: ["apps"], renders: ["rbac"] }),
    () => ({ kind: "git", name: "repo", repository: "https://git.example/org/repo.git", branch: "main" }),
  ],
  createArchitectureDraft: [() => ({ answers: {}, step: 0 })],
  reportDeliveryStatus: [() => statusReport("instance-1")],
  ingestSecurityEvents: [() => ({ batchId: randomUUID(), instanceId: "instance-1", events: [], counters: [], dropped: 0 })],
};

/**
 * `always`: refused whatever the field's type (text PostgreSQL cannot store; a string longer
 * than any field takes, just under the body's size cap). The others are wrong types,
 * refused where the field's schema says so (a number is no wrong type for a count).
 */
const BAD_VALUES: { name: string; value: unknown; always?: boolean }[] = [
  { name: "a NUL character", value: "before\u0000after", always: true },
  { name: "a lone surrogate", value: "before\ud800after", always: true },
  { name: "an over-long string", value: "x".repeat(MAX_JSON_BODY_BYTES - 16 * 1024), always: true },
  { name: "a number", value: 12345 },
  { name: "a boolean", value: true },
  { name: "an object", value: { nested: true } },
  { name: "an array", value: ["a", 1, null] },
];

function fieldsOf(schema: z.ZodType, base: Record<string, unknown>): string[] {
  const keys = new Set(Object.keys(base));
  if (schema instanceof z.ZodObject) for (const key of Object.keys(schema.shape)) keys.add(key);
  if (schema instanceof z.ZodDiscriminatedUnion) {
    const kind = schema.def.discriminator;
    const option = (schema.def.options as z.ZodObject[]).find((o) => o.shape[kind]?.safeParse(base[kind]).success);
    for (const key of Object.keys(option?.shape ?? {})) keys.add(key);
  }
  if (keys.size === 0) keys.add("anything");
  return [...keys];
}

/** The schema itself refuses this value in this field (rather than another field of an incomplete body). */
function schemaRefuses(schema: z.ZodType, body: Record<string, unknown>, key: string): boolean {
  const result = schema.safeParse(body);
  return (
    !result.success &&
    result.error.issues.some((issue) => issue.path[0] === key || (issue.path.length === 0 && "keys" in issue && (issue.keys as string[]).includes(key)))
  );
}

const isUnder = (path: unknown, key: string) => typeof path === "string" && (path === `body.${key}` || path.startsWith(`body.${key}.`));

/** A real resource for each path parameter where the body is read against it; elsewhere any id. */
function idFor(op: Operation, name: string): string | undefined {
  if (op.id === "createPolicyDraft") return ids.submittedPolicyId;
  if (op.path.startsWith("/policies/") && name === "id") return ids.policyId;
  return ids[name];
}

function pathOf(op: Operation): string {
  return `/api/v1${op.path.replace(/\{(\w+)\}/g, (_, name: string) => idFor(op, name) ?? "00000000-0000-4000-8000-000000000000")}`;
}

const operations = () => registeredOperations().filter((op) => op.body);

describe("bad strings and wrong types in every operation's body", () => {
  it("covers the operations with a body, the proxies' included", () => {
    expect(operations().length).toBeGreaterThan(25);
    expect(operations().map((op) => op.id)).toEqual(
      expect.arrayContaining(["reportDeliveryStatus", "ingestSecurityEvents", "createDeliveryTarget", "updateDeliveryTarget"]),
    );
  });

  it("answers 422 naming the field, never 500", async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const op of operations()) {
      const auth = op.access === "delivery-target" ? { bearer: targetToken } : { cookie };
      for (const base of BASES[op.id] ?? [(): Record<string, unknown> => ({})]) {
        for (const key of fieldsOf(op.body!, base())) {
          for (const bad of BAD_VALUES) {
            const body = { ...base(), [key]: bad.value };
            const refused = bad.always || schemaRefuses(op.body!, body, key);
            const res = await callApi({ method: op.method, path: pathOf(op), ...auth, body, headers: { "if-match": '"1"' } });
            const problem = res.headers.get("content-type")?.includes("json") ? await json(res) : null;
            const where = `${op.id}${base().kind ? ` (${base().kind})` : ""} ${key} ← ${bad.name}: ${res.status} ${JSON.stringify(problem)?.slice(0, 200)}`;
            if (res.status >= 500) failures.push(where);
            else if (refused && (res.status !== 422 || !problem?.errors?.some((e: { path?: unknown }) => isUnder(e.path, key)))) failures.push(where);
            if (refused) checked++;
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(500);
  });

  it("finds a NUL deep inside a policy document and names its path", async () => {
    const content = applicationDocument(appSlug, { limits: { maxBodyBytes: 4096 } }, { description: "fine", labels: { "team\u0000": "x" } });
    const res = await callApi({ method: "POST", path: "/api/v1/policies", cookie, body: { content } });
    const problem = await json(res);
    expect(res.status, JSON.stringify(problem)).toBe(422);
    expect(problem.errors[0].path).toBe('body.content.metadata.labels."team\\u0000"');
    const yaml = await callApi({
      method: "POST",
      path: "/api/v1/policies",
      cookie,
      rawBody: `apiVersion: ${content.apiVersion}\nkind: ApplicationPolicy\nmetadata:\n  application: ${appSlug}\n  applicationVersion: "1.0.0"\n  description: "a\\0b"\n`,
      headers: { "content-type": "application/yaml" },
    });
    expect(yaml.status).toBe(422);
    expect((await json(yaml)).errors[0].path).toBe("body.content.metadata.description");
  });
});
