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

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { prepareTestDatabases } from "../../tests/helpers/test-database";

const PASSWORD = "rampart-demo-password";
const REPO = path.resolve(import.meta.dirname, "../..");

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
    const officer = await login(url, "security@rampart.local");
    const lead = await login(url, "lead@rampart.local");
    const api = async <T>(cookie: string, method: string, route: string, body?: unknown, ifMatch?: number): Promise<T> => {
      const response = await fetch(new URL(`/api/v1${route}`, url), {
        method,
        headers: { cookie, ...(body !== undefined ? { "content-type": "application/json" } : {}), ...(ifMatch !== undefined ? { "if-match": `"${ifMatch}"` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
      return (text ? JSON.parse(text) : null) as T;
    };

    const officer2 = await login(url, "security2@rampart.local");
    type Version = { id: string; version: number };
    // submit → approve (another person: four eyes) → publish, each with If-Match on the version.
    const publish = async (policyId: string, versionId: string, author: string, reviewer: string, what: string): Promise<string> => {
      let version = await api<Version>(author, "GET", `/policies/${policyId}/versions/${versionId}`);
      version = await api<Version>(author, "POST", `/policies/${policyId}/versions/${version.id}/submit`, { summary: `propagation benchmark: ${what}` }, version.version);
      version = await api<Version>(reviewer, "POST", `/policies/${policyId}/versions/${version.id}/approve`, { note: "benchmark version" }, version.version);
      version = await api<Version>(officer, "POST", `/policies/${policyId}/versions/${version.id}/publish`, { note: "benchmark version" }, version.version);
      return version.id;
    };
    const example = (file: string) => parseYaml(readFileSync(path.join(REPO, "examples/policies", file), "utf8")) as Record<string, unknown>;

    // The e2e seed has users and applications but no policies: publish the standard baseline first.
    const baseline = await api<{ id: string; draft: { id: string } }>(officer, "POST", "/policies", { content: example("baseline-standard.yaml") });
    await publish(baseline.id, baseline.draft.id, officer, officer2, "the standard baseline");

    const apps = await api<{ items: Array<{ id: string; slug: string }> }>(officer, "GET", "/applications?q=payments-api");
    const app = apps.items.find((a) => a.slug === "payments-api");
    if (!app) throw new Error("the seeded payments-api application is missing");
    const target = await api<{ token: string }>(officer, "POST", "/delivery/targets", { kind: "proxy", name: "bench-proxies", mode: "microgateway", applicationIds: [app.id] });
    const key = await api<{ publicKeyPem: string }>(officer, "GET", "/delivery/signing-key");
    const portalKeyFile = path.join(dir, "portal-signing-key.pem");
    writeFileSync(portalKeyFile, key.publicKeyPem);

    const versions: string[] = [];
    const probe = new Map<string, string>();
    let policyId = "";
    for (const tag of ["a", "b"]) {
      // The benchmark's origin is plain HTTP on loopback, so this version does not require TLS to it.
      const content = { ...example("app-payments-api.yaml"), upstreamTls: { enabled: false }, adminBlocking: { paths: [`/blocked-${tag}`] } };
      let draftId: string;
      if (policyId === "") {
        const created = await api<{ id: string; draft: { id: string } }>(lead, "POST", "/policies", { content });
        policyId = created.id;
        draftId = created.draft.id;
      } else draftId = (await api<Version>(lead, "POST", `/policies/${policyId}/versions`, { content })).id;
      const id = await publish(policyId, draftId, lead, officer, `block /blocked-${tag}`);
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

async function login(url: string, email: string): Promise<string> {
  const response = await fetch(new URL("/api/v1/auth/login", url), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password: PASSWORD }) });
  if (!response.ok) throw new Error(`login ${email}: ${response.status} ${await response.text()}`);
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
}
