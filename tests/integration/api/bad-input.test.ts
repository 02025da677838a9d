// Input PostgreSQL cannot store, or that no field accepts, never reaches the database
// as a 500 (issue 12): every operation with a body gets a NUL character, a lone UTF-16
// surrogate, an over-long string and wrong types in each of its fields, and must answer
// 4xx — a 422 naming the field for text that cannot be stored.
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import "@/lib/api/operations";
import { registeredOperations, type Operation } from "@/lib/api/operation";
import { db } from "@/lib/db/client";
import { createApplication, createTeam, createUser } from "@/prisma/factories";
import { callApi, json } from "../../helpers/call-api";
import { sessionCookieFor } from "../../helpers/sign-in-as";
import { applicationDocument } from "../policies/policy-fixtures";

let cookie: string;
let teamId: string;
let appSlug: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  const [a, b, c] = await Promise.all(["bad-input-a", "bad-input-b", "bad-input-c"].map((slug) => createTeam(db, { slug })));
  teamId = a!.id;
  const app = await createApplication(db, { teamId, slug: "bad-input-app" });
  appSlug = app.slug;
  ids.id = app.id;
  // Every role at once, so each operation gets past authorization to its input.
  const user = await createUser(db, {
    memberships: [
      { teamId: a!.id, role: "project-lead" },
      { teamId: b!.id, role: "admin" },
      { teamId: c!.id, role: "security-officer" },
    ],
  });
  cookie = await sessionCookieFor(user.id);
});

/** Valid bodies for the operations that create or change something, so the bad field is the only fault. */
const BASE: Record<string, () => Record<string, unknown>> = {
  createApplication: () => ({
    teamId,
    slug: `bad-${Math.random().toString(36).slice(2, 8)}`,
    name: "Name",
    description: "",
    exposure: "internal",
    upstreamUrl: "http://a.internal",
  }),
  updateApplication: () => ({ name: "Name" }),
  createTeam: () => ({ slug: `bad-${Math.random().toString(36).slice(2, 8)}`, name: "Name", description: "" }),
  updateTeam: () => ({ name: "Name" }),
  createUser: () => ({ email: `bad-${Math.random().toString(36).slice(2, 8)}@bad.test`, name: "Name", password: "a-long-enough-password" }),
  updateUser: () => ({ name: "Name" }),
  createToken: () => ({ name: "token", role: "auditor" }),
  createPolicy: () => ({ content: applicationDocument(appSlug) }),
  createDeliveryTarget: () => ({ kind: "proxy", name: "target", mode: "microgateway" }),
  createArchitectureDraft: () => ({ answers: {}, step: 0 }),
};

const BAD_VALUES: { name: string; value: unknown; unstorable?: boolean }[] = [
  { name: "a NUL character", value: "before\u0000after", unstorable: true },
  { name: "a lone surrogate", value: "before\ud800after", unstorable: true },
  { name: "an over-long string", value: "x".repeat(200_000) },
  { name: "a number", value: 12345 },
  { name: "an object", value: { nested: true } },
  { name: "an array", value: ["a", 1, null] },
];

function topLevelKeys(schema: z.ZodType, base: Record<string, unknown>): string[] {
  const keys = new Set(Object.keys(base));
  if (schema instanceof z.ZodObject) for (const key of Object.keys(schema.shape)) keys.add(key);
  if (keys.size === 0) keys.add("anything");
  return [...keys];
}

function pathOf(op: Operation): string {
  return `/api/v1${op.path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? "00000000-0000-4000-8000-000000000000")}`;
}

const operations = () => registeredOperations().filter((op) => op.body && op.access !== "delivery-target");

describe("bad strings and wrong types in every operation's body", () => {
  it("covers the operations with a body", () => {
    expect(operations().length).toBeGreaterThan(25);
  });

  it("answers 4xx, never 500, and names the field of text that cannot be stored", async () => {
    const failures: string[] = [];
    for (const op of operations()) {
      const base = BASE[op.id]?.() ?? {};
      for (const key of topLevelKeys(op.body!, base)) {
        for (const bad of BAD_VALUES) {
          const body = { ...(BASE[op.id]?.() ?? base), [key]: bad.value };
          const res = await callApi({ method: op.method, path: pathOf(op), cookie, body, headers: { "if-match": '"1"' } });
          const problem = res.headers.get("content-type")?.includes("json") ? await json(res) : null;
          const where = `${op.id} ${key} ← ${bad.name}: ${res.status}`;
          if (res.status >= 500) failures.push(`${where} ${JSON.stringify(problem)?.slice(0, 200)}`);
          else if (bad.unstorable && (res.status !== 422 || problem?.errors?.[0]?.path !== `body.${key}`))
            failures.push(`${where} ${JSON.stringify(problem)?.slice(0, 200)}`);
        }
      }
    }
    expect(failures).toEqual([]);
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
