// How many statements the policy reads the portal serves most send to PostgreSQL. Under
// load every round trip costs a pooled connection and a database process's CPU on the
// same cores as the portal (issue 19): Prisma reads each relation of a nested select with
// a query of its own, so these reads build their relations in SQL instead. The budgets
// below are per request, and they must not grow with the number of rows on the page.
import { beforeAll, describe, expect, it } from "vitest";
import { recordQueries } from "../../helpers/count-queries";
import { applicationDocument, baselineDocument } from "./policy-fixtures";
import { api, call, createCast, paymentsApp, publish, type Cast } from "./policy-test-kit";

let cast: Cast;

/** A published application policy with a submitted second version (a queue entry) by the lead, edited by the developer too. */
async function submittedChange() {
  const app = await paymentsApp(cast);
  const created = await api.createPolicy(cast.cookies.lead, applicationDocument(app.slug, { limits: { maxBodyBytes: 4096 } }));
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await publish(cast, created.body.id, { id: created.body.draft.id, version: 1 }, cast.cookies.lead);
  const draft = await api.newDraft(cast.cookies.lead, created.body.id);
  const edited = await api.updateDraft(cast.cookies.developer, created.body.id, draft.body.id, draft.body.version, applicationDocument(app.slug, {}));
  expect(edited.status, JSON.stringify(edited.body)).toBe(200);
  const submitted = await api.transition(cast.cookies.lead, created.body.id, draft.body.id, "submit", edited.body.version, { summary: "smaller limit" });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
  return created.body.id as string;
}

/** The statements one GET sends once its memos are warm (the first call may read documents to parse). */
async function statementsOf(path: string) {
  const get = () => call({ method: "GET", path, cookie: cast.cookies.officer });
  expect((await get()).status).toBe(200);
  const { result, queries } = await recordQueries(get);
  expect(result.status).toBe(200);
  return { body: result.body, queries };
}

beforeAll(async () => {
  cast = await createCast();
  const baseline = await api.createPolicy(cast.cookies.officer, baselineDocument());
  await publish(cast, baseline.body.id, { id: baseline.body.draft.id, version: 1 });
});

describe("statements per read", () => {
  it("the approval queue: the page, its count, the baselines in force and every entry's people, policy and application in one (four, plus authentication), at any page size", async () => {
    await submittedChange();
    const one = await statementsOf("/api/v1/approvals");
    expect(one.body.items).toHaveLength(1);
    await submittedChange();
    await submittedChange();
    const three = await statementsOf("/api/v1/approvals");
    expect(three.body.items).toHaveLength(3);
    expect(three.body.items[0].editors.map((e: { id: string }) => e.id)).toEqual([cast.ids.lead, cast.ids.developer]);
    expect(one.queries, one.queries.join("\n")).toHaveLength(5);
    expect(three.queries, three.queries.join("\n")).toHaveLength(5);
  });

  it("a policy with its history and abilities: the policy, its relations, every version with its people, and the architecture in force (four, plus authentication)", async () => {
    const policyId = await submittedChange();
    const { body, queries } = await statementsOf(`/api/v1/policies/${policyId}`);
    expect(body.versions).toHaveLength(2);
    expect(body.versions[0]).toMatchObject({ number: 2, state: "submitted", editors: [{ id: cast.ids.lead }, { id: cast.ids.developer }], parentNumber: 1 });
    expect(queries, queries.join("\n")).toHaveLength(5);
  });

  it("the policy list: the page, its count and every policy's relations and draft in one (three, plus authentication)", async () => {
    const { body, queries } = await statementsOf("/api/v1/policies");
    expect(body.items.length).toBeGreaterThan(1);
    expect(queries, queries.join("\n")).toHaveLength(4);
  });
});
