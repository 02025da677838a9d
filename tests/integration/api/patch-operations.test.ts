// Every PATCH in the operation registry changes exactly the fields it names (issue 12):
// `.partial()` over a create schema kept its defaults, so PATCH { name } emptied the
// description. Each PATCH operation needs a fixture here (the first test fails otherwise);
// each of its fields is sent alone, and every other field of the resource must stay.
import { beforeAll, describe, expect, it } from "vitest";
import "@/lib/api/operations";
import { registeredOperations } from "@/lib/api/operation";
import { db } from "@/lib/db/client";
import { createApplication, createTeam, createUser } from "@/prisma/factories";
import { callApi, json } from "../../helpers/call-api";
import { sessionCookieFor } from "../../helpers/sign-in-as";

type Created = { path: string; version: number };
type Fixture = {
  cookie: () => string;
  create: () => Promise<Created>;
  /** A new value per field, and (if not the field itself) the keys of the view it shows in. */
  fields: Record<string, { value: unknown; shows?: string[] }>;
};

const cookies: Record<"admin" | "lead" | "officer", string> = { admin: "", lead: "", officer: "" };
let teamId: string;
let applicationId: string;
let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}-${Math.random().toString(36).slice(2, 6)}`;

beforeAll(async () => {
  teamId = (await createTeam(db, { slug: unique("patch-team"), description: "the team's own words" })).id;
  applicationId = (await createApplication(db, { teamId, slug: unique("patch-app") })).id;
  cookies.admin = await sessionCookieFor((await createUser(db, { memberships: [{ teamId, role: "admin" }] })).id);
  cookies.lead = await sessionCookieFor((await createUser(db, { memberships: [{ teamId, role: "project-lead" }] })).id);
  cookies.officer = await sessionCookieFor((await createUser(db, { memberships: [{ teamId, role: "security-officer" }] })).id);
});

async function post(cookie: string, path: string, body: unknown): Promise<any> {
  const res = await callApi({ method: "POST", path, cookie, body });
  const payload = await json(res);
  expect(res.status, JSON.stringify(payload)).toBe(201);
  return payload;
}

const FIXTURES: Record<string, Fixture> = {
  updateApplication: {
    cookie: () => cookies.lead,
    create: async () => {
      const app = await post(cookies.lead, "/api/v1/applications", {
        teamId,
        slug: unique("app"),
        name: "Before",
        description: "kept unless named",
        exposure: "internal",
        upstreamUrl: "http://app.internal:8080",
      });
      return { path: `/api/v1/applications/${app.id}`, version: app.version };
    },
    fields: {
      name: { value: "After" },
      description: { value: "changed" },
      exposure: { value: "internet" },
      upstreamUrl: { value: "https://app.example.com" },
    },
  },
  updateTeam: {
    cookie: () => cookies.admin,
    create: async () => {
      const team = await post(cookies.admin, "/api/v1/teams", { slug: unique("team"), name: "Before", description: "kept unless named" });
      return { path: `/api/v1/teams/${team.id}`, version: team.version };
    },
    fields: {
      name: { value: "After" },
      description: { value: "changed" },
      webhookUrl: { value: "https://hooks.example.com/rampart", shows: ["webhookUrl", "webhookConfigured"] },
    },
  },
  updateUser: {
    cookie: () => cookies.admin,
    create: async () => {
      const user = await createUser(db, { name: "Before", memberships: [{ teamId, role: "developer" }] });
      return { path: `/api/v1/users/${user.id}`, version: user.version };
    },
    fields: { name: { value: "After" }, disabled: { value: true }, password: { value: "an-administrator-reset-it", shows: [] } },
  },
  updateDeliveryTarget: {
    cookie: () => cookies.officer,
    create: async () => {
      const created = await post(cookies.officer, "/api/v1/delivery/targets", {
        kind: "proxy",
        name: unique("target"),
        description: "kept unless named",
        environment: "production",
        applicationIds: [applicationId],
        mode: "microgateway",
      });
      const target = created.target ?? created;
      return { path: `/api/v1/delivery/targets/${target.id}`, version: target.version };
    },
    fields: {
      name: { value: "after-target" },
      description: { value: "changed" },
      environment: { value: "staging" },
      applicationIds: { value: [], shows: ["applications"] },
      mode: { value: "gateway" },
    },
  },
  updateArchitectureDraft: {
    cookie: () => cookies.admin,
    create: async () => {
      const draft = await post(cookies.admin, "/api/v1/architecture/drafts", { answers: { classicWorkloads: true, zeroTrust: false }, step: 3 });
      return { path: `/api/v1/architecture/drafts/${draft.id}`, version: draft.version };
    },
    fields: { answers: { value: { classicWorkloads: false } }, step: { value: 2 } },
  },
};

// What changes with any write, whatever it names.
const ALWAYS_CHANGES = new Set(["version", "updatedAt", "evaluation", "recommendation"]);

describe("PATCH operations", () => {
  it("has a fixture for every PATCH operation in the registry", () => {
    const patches = registeredOperations()
      .filter((op) => op.method === "PATCH")
      .map((op) => op.id);
    expect(Object.keys(FIXTURES).sort()).toEqual(patches.sort());
  });

  for (const [operationId, fixture] of Object.entries(FIXTURES)) {
    for (const [field, { value, shows = [field] }] of Object.entries(fixture.fields)) {
      it(`${operationId}: sending only ${field} changes ${shows.join(", ")} and nothing else`, async () => {
        const { path } = await fixture.create();
        const read = await callApi({ method: "GET", path, cookie: fixture.cookie() });
        const before = await json(read);
        expect(read.status, JSON.stringify(before)).toBe(200);
        const res = await callApi({
          method: "PATCH",
          path,
          cookie: fixture.cookie(),
          body: { [field]: value },
          headers: { "if-match": `"${before.version}"` },
        });
        const patched = await json(res);
        expect(res.status, JSON.stringify(patched)).toBe(200);
        const after = await json(await callApi({ method: "GET", path, cookie: fixture.cookie() }));
        for (const key of Object.keys(before)) {
          if (shows.includes(key) || ALWAYS_CHANGES.has(key)) continue;
          expect(after[key], `${key} after PATCH { ${field} }`).toEqual(before[key]);
        }
        for (const key of shows) expect(after[key], `${key} after PATCH { ${field} }`).not.toEqual(before[key]);
      });
    }
  }
});
