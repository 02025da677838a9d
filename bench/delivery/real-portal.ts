// The real portal for the propagation benchmark (`--real`): built and served
// exactly as the browser tests do (tests/e2e/global-setup.ts: build if stale,
// a freshly migrated and seeded database, lib/cli/serve.ts with a signing
// key), then prepared through its own API as people would: the security
// officers publish the standard baseline (four eyes), register a proxy target
// for payments-api and read the signing key; the project lead drafts two versions of payments-api's policy (one blocks
// /blocked-a, the other /blocked-b), each submitted, approved by the security
// officer and published. The benchmark then alternates rollbacks between them.
//
// Run it under the e2e lock (it may run `next build`):
//   flock /tmp/rampart-e2e.lock npm run bench:delivery -- --real

import { writeFileSync } from "node:fs";
import path from "node:path";
import { examplePolicy, portalApi, publishWithFourEyes, signInCookie } from "../../tests/e2e/support/portal-api";
import { prepareTestDatabases } from "../../tests/helpers/test-database";

export interface RealPortal {
  url: string;
  targetToken: string;
  portalKeyFile: string;
  /** An officer's session cookie: publishes (rollbacks) are made with it. */
  officerCookie: string;
  policyId: string;
  versions: [string, string];
  probe: Map<string, string>;
  close(): Promise<void>;
}

export async function startRealPortal(dir: string): Promise<RealPortal> {
  const databases = await prepareTestDatabases((line) => console.log(`[db] ${line}`));
  let url = "";
  const { default: setup } = await import("../../tests/e2e/global-setup");
  const teardown = await setup({ provide: (_key: string, value: string) => void (url = value) } as never);
  try {
    const officer = await signInCookie(url, "security@rampart.local");
    const security = portalApi(url, officer);
    const reviewer = portalApi(url, await signInCookie(url, "security2@rampart.local"));
    const lead = portalApi(url, await signInCookie(url, "lead@rampart.local"));

    // The e2e seed has users and applications but no policies: publish the standard baseline first.
    const baseline = await security<{ id: string; draft: { id: string } }>("POST", "/policies", { content: examplePolicy("baseline-standard.yaml") });
    await publishWithFourEyes(
      { author: security, reviewer, publisher: security },
      baseline.id,
      baseline.draft.id,
      "propagation benchmark: the standard baseline",
    );

    const apps = await security<{ items: Array<{ id: string; slug: string }> }>("GET", "/applications?q=payments-api");
    const app = apps.items.find((a) => a.slug === "payments-api");
    if (!app) throw new Error("the seeded payments-api application is missing");
    const target = await security<{ token: string }>("POST", "/delivery/targets", {
      kind: "proxy",
      name: "bench-proxies",
      mode: "microgateway",
      applicationIds: [app.id],
    });
    const key = await security<{ publicKeyPem: string }>("GET", "/delivery/signing-key");
    const portalKeyFile = path.join(dir, "portal-signing-key.pem");
    writeFileSync(portalKeyFile, key.publicKeyPem);

    const versions: string[] = [];
    const probe = new Map<string, string>();
    let policyId = "";
    for (const tag of ["a", "b"]) {
      // The benchmark's origin is plain HTTP on loopback, so this version does not require TLS to it.
      const content = { ...examplePolicy("app-payments-api.yaml"), upstreamTls: { enabled: false }, adminBlocking: { paths: [`/blocked-${tag}`] } };
      let draftId: string;
      if (policyId === "") {
        const created = await lead<{ id: string; draft: { id: string } }>("POST", "/policies", { content });
        policyId = created.id;
        draftId = created.draft.id;
      } else draftId = (await lead<{ id: string }>("POST", `/policies/${policyId}/versions`, { content })).id;
      const id = await publishWithFourEyes(
        { author: lead, reviewer: security, publisher: security },
        policyId,
        draftId,
        `propagation benchmark: block /blocked-${tag}`,
      );
      versions.push(id);
      probe.set(id, `/blocked-${tag}`);
    }
    return {
      url,
      targetToken: target.token,
      portalKeyFile,
      officerCookie: officer,
      policyId,
      versions: [versions[0]!, versions[1]!],
      probe,
      async close() {
        await teardown?.();
        await databases.teardown();
      },
    };
  } catch (error) {
    await teardown?.();
    await databases.teardown();
    throw error;
  }
}
