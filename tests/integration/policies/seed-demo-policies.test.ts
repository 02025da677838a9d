// The demo organisation's policies (lib/policies/seed-demo-policies.ts), on a database of
// this file's own: the standard baseline and the payments API's policy are published, the
// payments API gets a bundle, and the internet-facing shop without a policy does not.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { seedDemoPolicies } from "@/lib/policies/seed-demo-policies";
import { seedDemoOrganisation } from "@/prisma/seed";
import { call } from "./policy-test-kit";
import { sessionCookieFor } from "../../helpers/sign-in-as";

let lead: string;
let officer: string;

beforeAll(async () => {
  await seedDemoOrganisation(db);
  lead = await sessionCookieFor((await db.user.findUniqueOrThrow({ where: { email: "lead@rampart.local" } })).id);
  officer = await sessionCookieFor((await db.user.findUniqueOrThrow({ where: { email: "security@rampart.local" } })).id);
});

describe("seedDemoPolicies", () => {
  it("publishes the standard baseline and the payments API's policy, and does nothing the second time", async () => {
    const result = await seedDemoPolicies(db);
    expect(result).toMatchObject({ created: true, baselinePolicyId: expect.any(String), applicationPolicyId: expect.any(String) });
    expect(await seedDemoPolicies(db)).toEqual({ created: false });

    const policies = await db.policy.findMany({ include: { publishedVersion: true }, orderBy: { kind: "asc" } });
    expect(policies.map((p) => [p.kind, p.name, p.publishedVersion?.state])).toEqual([
      ["baseline", "standard", "published"],
      ["application", "payments-api", "published"],
    ]);
  });

  it("gives the payments API an effective policy and a bundle, and refuses one to the shop without fine-grained policy", async () => {
    const payments = await db.application.findUniqueOrThrow({ where: { slug: "payments-api" } });
    const effective = await call({ method: "GET", path: `/api/v1/applications/${payments.id}/policy/effective`, cookie: lead });
    expect(effective.status, JSON.stringify(effective.body)).toBe(200);
    expect(effective.body.requirement).toMatchObject({ required: true, satisfied: true, met: true });
    expect(effective.body.effective.openapi).not.toBeNull();
    expect((await call({ method: "GET", path: `/api/v1/applications/${payments.id}/policy/bundle`, cookie: lead })).status).toBe(200);

    const shop = await db.application.findUniqueOrThrow({ where: { slug: "storefront-web" } });
    const refused = await call({ method: "GET", path: `/api/v1/applications/${shop.id}/policy/bundle`, cookie: officer });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/storefront-web is exposed to the internet and has no fine-grained policy/);
  });
});
