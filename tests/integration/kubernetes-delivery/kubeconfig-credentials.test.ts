// A kubeconfig is text from a person, and @kubernetes/client-node acts on it: it runs a
// user's exec plugin with the portal's environment and reads the files it names. Only
// inline credentials pass (lib/kubernetes/cluster/check-kubeconfig.ts): at registration a
// refused key is a 422 naming its path, and a kubeconfig stored before the rule (or written
// around it) is refused before every use, never loaded — the exec plugin's marker file
// proves it never ran, and no request reaching the API server (or the proxy named) proves
// no file it names was read and sent.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import net, { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import "@/lib/policy-spec/node20-compat";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { db } from "@/lib/db/client";
import { stopDeliveryListener } from "@/lib/delivery/delivery-listener";
import { sealTargetSecret } from "@/lib/delivery/target-secret";
import { ClusterError } from "@/lib/kubernetes/cluster/cluster-error";
import { createKubeClient } from "@/lib/kubernetes/cluster/kube-client";
import { ADMIN_TOKEN, startKubeApiServer, type TestKubeApiServer } from "../../kube-api-server/start-kube-api-server";
import { allowLoopbackEgress, disallowLoopbackEgress } from "../../helpers/allow-loopback-egress";
import { createPolicyFixture } from "../policies/policy-fixtures";
import { call, createCast, paymentsApp, type Cast } from "../policies/policy-test-kit";

let cast: Cast;
let kube: TestKubeApiServer;
let app: { id: string; slug: string };
let scratch: string;
let ca: string;

beforeAll(async () => {
  kube = await startKubeApiServer({ tls: true });
  ca = (parse(kube.kubeconfig) as { clusters: [{ cluster: Record<string, string> }] }).clusters[0].cluster["certificate-authority-data"]!;
  scratch = mkdtempSync(path.join(tmpdir(), "rampart-kubeconfig-"));
  cast = await createCast();
  await createPolicyFixture(db, { kind: "baseline", authorId: cast.ids.officer, versions: [{ state: "published" }] });
  app = await paymentsApp(cast);
});
afterAll(async () => {
  await kube?.stop();
  await stopDeliveryListener();
  rmSync(scratch, { recursive: true, force: true });
});

/** A kubeconfig for the test cluster with the given user and cluster fields. */
function kubeconfigWith({ user = { token: ADMIN_TOKEN }, cluster = {} }: { user?: Record<string, unknown>; cluster?: Record<string, unknown> } = {}) {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "test", cluster: { server: kube.url, "certificate-authority-data": ca, ...cluster } }],
    users: [{ name: "test-user", user }],
    contexts: [{ name: "test", context: { cluster: "test", user: "test-user", namespace: "default" } }],
    "current-context": "test",
  });
}

/** An exec plugin that leaves a marker file and hands client-node a valid token. */
function execUser(marker: string) {
  const credential = JSON.stringify({ apiVersion: "client.authentication.k8s.io/v1beta1", kind: "ExecCredential", status: { token: ADMIN_TOKEN } });
  return {
    exec: {
      apiVersion: "client.authentication.k8s.io/v1beta1",
      command: "/bin/sh",
      args: ["-c", `touch '${marker}'; printf '%s' '${credential}'`],
      interactiveMode: "Never",
    },
  };
}

/** A target registered with a clean kubeconfig, then given `kubeconfig` in the database, as a row stored before the rule would hold it. */
async function storedTarget(kubeconfig: string): Promise<string> {
  const created = await register(kubeconfigWith());
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const targetId = created.body.id as string;
  await db.deliveryTarget.update({ where: { id: targetId }, data: sealTargetSecret(targetId, "kubeconfig", kubeconfig) });
  return targetId;
}

const register = (kubeconfig: string) =>
  call({
    method: "POST",
    path: "/api/v1/delivery/targets",
    cookie: cast.cookies.officer,
    body: {
      kind: "kubernetes",
      name: `cluster-${Math.random().toString(36).slice(2, 8)}`,
      kubeconfig,
      namespaces: ["payments"],
      renders: ["rampart"],
      applicationIds: [app.id],
    },
  });

describe("the exec plugin of a kubeconfig", () => {
  it("really runs when client-node is handed the kubeconfig directly (the danger this guards against)", async () => {
    const marker = path.join(scratch, "control-ran");
    const config = new KubeConfig();
    config.loadFromString(kubeconfigWith({ user: execUser(marker) }));
    await config.makeApiClient(CoreV1Api).listNamespace();
    expect(existsSync(marker)).toBe(true);
  });

  it("is refused at registration with the field path, and never run", async () => {
    const marker = path.join(scratch, "registered");
    const response = await register(kubeconfigWith({ user: execUser(marker) }));
    expect(response.status).toBe(422);
    expect(response.body.errors).toContainEqual(expect.objectContaining({ path: "body.kubeconfig.users.0.user.exec" }));
    expect(existsSync(marker)).toBe(false);
  });

  it("stored anyway (written around the API) is refused before every use, reported as invalid-kubeconfig, and never run", async () => {
    const marker = path.join(scratch, "stored");
    const targetId = await storedTarget(kubeconfigWith({ user: execUser(marker) }));

    const planned = await call({ method: "POST", path: `/api/v1/delivery/targets/${targetId}/kubernetes/plans`, cookie: cast.cookies.officer });
    expect(planned.status).toBe(422);
    expect(planned.body.reason).toBe("cluster-invalid-kubeconfig");
    expect(planned.body.detail).toContain("kubeconfig.users.0.user.exec");
    expect(await db.kubernetesPlan.count({ where: { targetId } })).toBe(0);

    expect(() => createKubeClient(kubeconfigWith({ user: execUser(marker) }))).toThrow(ClusterError);
    expect(existsSync(marker)).toBe(false);
  });
});

describe("file paths, auth providers, a proxy and skipped TLS verification in a stored kubeconfig", () => {
  // Files holding what would work: were client-node handed the kubeconfig, it would read
  // them and reach the API server with them.
  const files = () => {
    const token = path.join(scratch, "token");
    const caFile = path.join(scratch, "ca.pem");
    writeFileSync(token, ADMIN_TOKEN);
    writeFileSync(caFile, Buffer.from(ca, "base64"));
    const TESTDATA = path.resolve(import.meta.dirname, "../../../proxy/testdata");
    return { token, caFile, cert: path.join(TESTDATA, "server.pem"), key: path.join(TESTDATA, "server-key.pem") };
  };

  it("client-node handed a token file or a tokenFile auth provider directly reads the file and sends what it holds (the danger)", async () => {
    const { token } = files();
    for (const user of [{ "token-file": token }, { "auth-provider": { name: "tokenFile", config: { tokenFile: token } } }]) {
      const before = kube.server.requests.length;
      const config = new KubeConfig();
      config.loadFromString(kubeconfigWith({ user }));
      await config.makeApiClient(CoreV1Api).listNamespace();
      expect(kube.server.requests.length, JSON.stringify(user)).toBeGreaterThan(before);
    }
  });

  const cases: Array<[string, (f: ReturnType<typeof files>, proxy: string) => { user?: Record<string, unknown>; cluster?: Record<string, unknown> }, string]> =
    [
      ["a token file", (f) => ({ user: { "token-file": f.token } }), "kubeconfig.users.0.user.token-file"],
      [
        "an auth provider reading a tokenFile",
        (f) => ({ user: { "auth-provider": { name: "tokenFile", config: { tokenFile: f.token } } } }),
        "kubeconfig.users.0.user.auth-provider",
      ],
      [
        "a client certificate file",
        (f) => ({ user: { token: ADMIN_TOKEN, "client-certificate": f.cert, "client-key-data": "eA==" } }),
        "kubeconfig.users.0.user.client-certificate",
      ],
      [
        "a client key file",
        (f) => ({ user: { token: ADMIN_TOKEN, "client-certificate-data": "eA==", "client-key": f.key } }),
        "kubeconfig.users.0.user.client-key",
      ],
      [
        "a certificate authority file",
        (f) => ({ cluster: { "certificate-authority-data": undefined, "certificate-authority": f.caFile } }),
        "kubeconfig.clusters.0.cluster.certificate-authority",
      ],
      ["a proxy", (_f, proxy) => ({ cluster: { "proxy-url": proxy } }), "kubeconfig.clusters.0.cluster.proxy-url"],
      [
        "skipping TLS verification",
        () => ({ cluster: { "certificate-authority-data": undefined, "insecure-skip-tls-verify": true } }),
        "kubeconfig.clusters.0.cluster.insecure-skip-tls-verify",
      ],
    ];

  it.each(cases)("%s is refused before use, reported with its path, and nothing is read or sent", async (_what, fieldsOf, fieldPath) => {
    // A proxy of the kubeconfig's choosing, on loopback: it must never be connected to.
    const proxied: net.Socket[] = [];
    const proxy = net.createServer((socket) => void proxied.push(socket.destroy()));
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    try {
      const kubeconfig = kubeconfigWith(fieldsOf(files(), `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`));
      const targetId = await storedTarget(kubeconfig);
      const before = kube.server.requests.length;

      const planned = await call({ method: "POST", path: `/api/v1/delivery/targets/${targetId}/kubernetes/plans`, cookie: cast.cookies.officer });
      expect(planned.status, JSON.stringify(planned.body)).toBe(422);
      expect(planned.body.reason).toBe("cluster-invalid-kubeconfig");
      expect(planned.body.detail).toContain(fieldPath);
      expect(await db.kubernetesPlan.count({ where: { targetId } })).toBe(0);
      expect(() => createKubeClient(kubeconfig)).toThrow(ClusterError);

      expect(kube.server.requests.length).toBe(before);
      expect(proxied).toHaveLength(0);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});

describe("only inline credentials pass", () => {
  const refused: Array<[string, { user?: Record<string, unknown>; cluster?: Record<string, unknown> }, string]> = [
    ["an auth-provider", { user: { "auth-provider": { name: "oidc", config: { "id-token": "x" } } } }, "body.kubeconfig.users.0.user.auth-provider"],
    ["a token file", { user: { "token-file": "/etc/hostname" } }, "body.kubeconfig.users.0.user.token-file"],
    [
      "a client certificate file",
      { user: { "client-certificate": "/etc/hostname", "client-key": "/etc/hostname" } },
      "body.kubeconfig.users.0.user.client-certificate",
    ],
    ["a client key file", { user: { "client-certificate-data": "eA==", "client-key": "/etc/hostname" } }, "body.kubeconfig.users.0.user.client-key"],
    ["a certificate authority file", { cluster: { "certificate-authority": "/etc/hostname" } }, "body.kubeconfig.clusters.0.cluster.certificate-authority"],
    ["a proxy", { cluster: { "proxy-url": "http://proxy.example:3128" } }, "body.kubeconfig.clusters.0.cluster.proxy-url"],
    ["skipping TLS verification", { cluster: { "insecure-skip-tls-verify": true } }, "body.kubeconfig.clusters.0.cluster.insecure-skip-tls-verify"],
    ["an unknown key", { user: { as: "system:admin" } }, "body.kubeconfig.users.0.user.as"],
    ["a plain-http server", { cluster: { server: "http://kube.example:6443" } }, "body.kubeconfig.clusters.0.cluster.server"],
    ["a server on a metadata address", { cluster: { server: "https://169.254.169.254" } }, "body.kubeconfig.clusters.0.cluster.server"],
  ];
  it.each(refused)("%s is refused with its path", async (_what, fields, fieldPath) => {
    const response = await register(kubeconfigWith(fields));
    expect(response.status).toBe(422);
    expect(response.body.errors.map((e: { path: string }) => e.path)).toContain(fieldPath);
  });

  it("skipping TLS verification passes where the operator allows it", async () => {
    process.env.RAMPART_KUBECONFIG_ALLOW_INSECURE_TLS = "true";
    try {
      const response = await register(kubeconfigWith({ cluster: { "insecure-skip-tls-verify": true } }));
      expect(response.status, JSON.stringify(response.body)).toBe(201);
    } finally {
      delete process.env.RAMPART_KUBECONFIG_ALLOW_INSECURE_TLS;
    }
  });

  it("a token, a client certificate and basic auth pass", async () => {
    for (const user of [{ token: ADMIN_TOKEN }, { "client-certificate-data": "eA==", "client-key-data": "eA==" }, { username: "u", password: "p" }]) {
      const response = await register(kubeconfigWith({ user }));
      expect(response.status, JSON.stringify(response.body)).toBe(201);
    }
  });
});

describe("the API server's address is checked at every call (lib/outbound)", () => {
  it("a target registered while loopback was allowed is refused once it is not, before any request reaches the server", async () => {
    const created = await register(kubeconfigWith());
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    disallowLoopbackEgress();
    const before = kube.server.requests.length;
    try {
      const planned = await call({ method: "POST", path: `/api/v1/delivery/targets/${created.body.id}/kubernetes/plans`, cookie: cast.cookies.officer });
      expect(planned.status).toBe(422);
      expect(planned.body.reason).toBe("cluster-invalid-kubeconfig");
      expect(planned.body.detail).toMatch(/127\.0\.0\.1 \(loopback\)/);
      expect(kube.server.requests.length).toBe(before);
    } finally {
      allowLoopbackEgress();
    }
  });

  it("client-node's requests go through the guard: an API server answering with a redirect fails, refused", async () => {
    const created = await register(kubeconfigWith());
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    kube.server.failNext(100, 302);
    try {
      const planned = await call({ method: "POST", path: `/api/v1/delivery/targets/${created.body.id}/kubernetes/plans`, cookie: cast.cookies.officer });
      expect(planned.status).toBe(409);
      expect(planned.body.reason).toBe("cluster-egress-refused");
      expect(planned.body.detail).toMatch(/redirect/);
    } finally {
      kube.server.clearFaults();
    }
  });
});

describe("a remote's answer is never repeated", () => {
  it("a server that is not an API server answers with its own text: the plan's problem, the audit trail and the stored records hold the status code only", async () => {
    const TESTDATA = path.resolve(import.meta.dirname, "../../../proxy/testdata");
    const SECRET = "DISTINCTIVE-BODY-7f3a-metadata-token";
    const impostor = https.createServer(
      { cert: readFileSync(path.join(TESTDATA, "server.pem")), key: readFileSync(path.join(TESTDATA, "server-key.pem")) },
      (_req, res) => {
        res.writeHead(500, { "content-type": "text/plain" }).end(`${SECRET}\n`);
      },
    );
    await new Promise<void>((resolve) => impostor.listen(0, "127.0.0.1", resolve));
    try {
      const server = `https://127.0.0.1:${(impostor.address() as AddressInfo).port}`;
      const created = await register(kubeconfigWith({ cluster: { server } }));
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const planned = await call({ method: "POST", path: `/api/v1/delivery/targets/${created.body.id}/kubernetes/plans`, cookie: cast.cookies.officer });
      expect(planned.status).toBeGreaterThanOrEqual(400);
      expect(JSON.stringify(planned.body)).not.toContain("DISTINCTIVE");
      expect(JSON.stringify(planned.body)).toContain("500");
      const stored = await db.$queryRawUnsafe<{ n: bigint }[]>(
        `SELECT (SELECT count(*) FROM audit_events WHERE summary::text LIKE '%DISTINCTIVE%') + (SELECT count(*) FROM kubernetes_plans WHERE changes::text LIKE '%DISTINCTIVE%' OR notes::text LIKE '%DISTINCTIVE%') AS n`,
      );
      expect(Number(stored[0]!.n)).toBe(0);
    } finally {
      await new Promise((resolve) => impostor.close(resolve));
    }
  });
});
