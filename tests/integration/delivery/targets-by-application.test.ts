// The targets list filtered by application (a policy page's Delivery section asks it):
// only targets delivering that application, still within the caller's read scope, and a
// malformed id is a problem+json naming the query parameter.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stopDeliveryListener } from "@/lib/delivery/delivery-listener";
import { call, createCast, paymentsApp, type Cast } from "../policies/policy-test-kit";

let cast: Cast;

beforeAll(async () => {
  cast = await createCast();
});
afterAll(async () => {
  await stopDeliveryListener();
});

const create = (body: unknown) => call({ method: "POST", path: "/api/v1/delivery/targets", cookie: cast.cookies.officer, body });
const names = (body: { items: { name: string }[] }) => body.items.map((t) => t.name).sort();

describe("GET /api/v1/delivery/targets?applicationId=", () => {
  it("lists only the targets that deliver the application, within the caller's scope", async () => {
    const worker = await paymentsApp(cast);
    const other = await paymentsApp(cast);
    const theirs = await paymentsApp(cast, { teamId: cast.storefront.id });
    for (const body of [
      { kind: "proxy", name: "worker-gw", mode: "gateway", applicationIds: [worker.id] },
      { kind: "proxy", name: "both-gw", mode: "microgateway", applicationIds: [other.id, worker.id] },
      { kind: "proxy", name: "other-gw", mode: "gateway", applicationIds: [other.id] },
      { kind: "git", name: "storefront-git", repository: "https://git.example.com/storefront.git", branch: "main", applicationIds: [theirs.id] },
    ]) {
      const created = await create(body);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }

    const forWorker = await call({ method: "GET", path: `/api/v1/delivery/targets?applicationId=${worker.id}`, cookie: cast.cookies.auditor });
    expect(forWorker.status).toBe(200);
    expect(names(forWorker.body)).toEqual(["both-gw", "worker-gw"]);
    expect(names((await call({ method: "GET", path: "/api/v1/delivery/targets", cookie: cast.cookies.auditor })).body)).toEqual([
      "both-gw",
      "other-gw",
      "storefront-git",
      "worker-gw",
    ]);

    // A team reader asking for another team's application sees nothing of it.
    const foreign = await call({ method: "GET", path: `/api/v1/delivery/targets?applicationId=${theirs.id}`, cookie: cast.cookies.developer });
    expect(foreign.status).toBe(200);
    expect(foreign.body.items).toEqual([]);
    const own = await call({ method: "GET", path: `/api/v1/delivery/targets?applicationId=${worker.id}&kind=proxy`, cookie: cast.cookies.developer });
    expect(names(own.body)).toEqual(["both-gw", "worker-gw"]);
  });

  it("refuses an id that is not a UUID, naming the parameter", async () => {
    const bad = await call({ method: "GET", path: "/api/v1/delivery/targets?applicationId=payments-worker", cookie: cast.cookies.officer });
    expect(bad.status).toBe(422);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(["query.applicationId"]);
  });
});
