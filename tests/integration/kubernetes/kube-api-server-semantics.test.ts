// What a real API server does to objects beyond storing them, and the test API
// server must too where Rampart depends on it: defaulting and dropping
// non-nullable nulls, server-side apply merging list-type map and set entries
// per manager, a Secret's stringData into data, CEL x-kubernetes-validations,
// admission webhooks (Kyverno's 400 and Gatekeeper's 403 shapes), RBAC by verb,
// resource and subresource, watch BOOKMARKs, the watch cache lost on restart,
// /openapi/v3, and a CRD that takes a moment to be served. Raw HTTP, exact bodies.

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { gatekeeperDenial, kyvernoDenial } from "@/tests/kube-api-server/admission-webhooks";
import { ADMIN_TOKEN, startKubeApiServer, type TestKubeApiServer } from "@/tests/kube-api-server/start-kube-api-server";

let kube: TestKubeApiServer;

const GADGETS = "/apis/example.com/v1/namespaces/payments/gadgets";

/** A CRD exercising defaults, nullable, list types and CEL rules. */
const gadgetCrd = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "gadgets.example.com" },
  spec: {
    group: "example.com",
    names: { kind: "Gadget", plural: "gadgets", singular: "gadget" },
    scope: "Namespaced",
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: {
                type: "object",
                properties: {
                  mode: { type: "string", default: "Block", enum: ["Block", "LogOnly"] },
                  note: { type: "string" },
                  comment: { type: "string", nullable: true },
                  replicas: {
                    type: "integer",
                    minimum: 1,
                    maximum: 10,
                    "x-kubernetes-validations": [{ rule: "self >= oldSelf", message: "replicas may only grow" }],
                  },
                  rules: {
                    type: "array",
                    "x-kubernetes-list-type": "map",
                    "x-kubernetes-list-map-keys": ["name"],
                    items: {
                      type: "object",
                      required: ["name"],
                      properties: { name: { type: "string" }, value: { type: "string" }, invert: { type: "boolean", default: false } },
                    },
                  },
                  tags: { type: "array", "x-kubernetes-list-type": "set", items: { type: "string" } },
                  targets: {
                    type: "array",
                    items: { type: "object", properties: { kind: { type: "string" } } },
                    "x-kubernetes-validations": [{ rule: "self.all(t, t.kind == 'HTTPRoute')", message: "TargetRef Kind must be: HTTPRoute" }],
                  },
                },
              },
            },
          },
        },
      },
    ],
  },
};

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function call(method: string, path: string, body?: unknown, options: { token?: string; contentType?: string } = {}): Promise<Answer> {
  const response = await fetch(`${kube.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${options.token ?? ADMIN_TOKEN}`,
      ...(body !== undefined ? { "content-type": options.contentType ?? "application/json" } : {}),
    },
    ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const apply = (path: string, object: unknown, manager: string, extra = "", token?: string) =>
  call("PATCH", `${path}?fieldManager=${manager}${extra}`, stringify(object), { contentType: "application/apply-patch+yaml", ...(token ? { token } : {}) });
const gadget = (name: string, spec: Record<string, unknown>) => ({ apiVersion: "example.com/v1", kind: "Gadget", metadata: { name }, spec });
const managedBy = (object: Record<string, unknown>, manager: string) =>
  (
    (object.metadata as { managedFields: Array<{ manager: string; fieldsV1: Record<string, unknown> }> }).managedFields.find((m) => m.manager === manager) ??
    null
  )?.fieldsV1;

beforeAll(async () => {
  kube = await startKubeApiServer({
    tokens: {
      "deployer-token": { user: "system:serviceaccount:rampart:deployer" },
      "proxy-token": { user: "system:serviceaccount:payments:payments-api" },
    },
  });
  expect((await call("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "payments" } })).status).toBe(201);
  expect((await call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", gadgetCrd)).status).toBe(201);
});

afterAll(async () => {
  await kube.stop();
});

describe("defaulting and nulls", () => {
  it("fills defaults (also inside list items), drops a non-nullable null and keeps a nullable one", async () => {
    const answer = await apply(`${GADGETS}/defaults`, gadget("defaults", { note: null, comment: null, rules: [{ name: "a" }] }), "rampart");
    expect(answer.status).toBe(201);
    expect(answer.body.spec).toEqual({ mode: "Block", comment: null, rules: [{ name: "a", invert: false }] });
  });
});

describe("server-side apply merges list-type map and set entries per manager", () => {
  it("keeps entries another manager added, owns them by key, removes only the manager's own dropped entries", async () => {
    await apply(`${GADGETS}/merge`, gadget("merge", { rules: [{ name: "a", value: "1" }], tags: ["x"] }), "rampart");
    const added = await apply(`${GADGETS}/merge`, gadget("merge", { rules: [{ name: "b", value: "2" }], tags: ["y"] }), "someone-else");
    expect(added.status).toBe(200);
    expect((added.body.spec as { rules: unknown[]; tags: string[] }).rules).toEqual([
      { name: "a", value: "1", invert: false },
      { name: "b", value: "2", invert: false },
    ]);
    expect((added.body.spec as { tags: string[] }).tags).toEqual(["x", "y"]);
    expect(managedBy(added.body, "someone-else")).toEqual({
      "f:spec": { "f:rules": { 'k:{"name":"b"}': { ".": {}, "f:name": {}, "f:value": {} } }, "f:tags": { 'v:"y"': {} } },
    });

    // A forced re-apply of Rampart's configuration leaves the other manager's entries alone.
    const reapplied = await apply(`${GADGETS}/merge`, gadget("merge", { rules: [{ name: "a", value: "1" }], tags: ["x"] }), "rampart", "&force=true");
    expect((reapplied.body.spec as { rules: Array<{ name: string }> }).rules.map((r) => r.name)).toEqual(["a", "b"]);

    // Rampart drops its entry: it goes; the other's stays; new entries come after the live ones.
    const dropped = await apply(`${GADGETS}/merge`, gadget("merge", { rules: [{ name: "c", value: "3" }] }), "rampart");
    expect((dropped.body.spec as { rules: Array<{ name: string }> }).rules.map((r) => r.name)).toEqual(["b", "c"]);
    expect((dropped.body.spec as { tags: string[] }).tags).toEqual(["y"]);
  });

  it("an entry's field another manager owns is a conflict (409) naming it by key", async () => {
    await apply(`${GADGETS}/conflict`, gadget("conflict", { rules: [{ name: "a", value: "1" }] }), "rampart");
    const taken = await apply(`${GADGETS}/conflict`, gadget("conflict", { rules: [{ name: "a", value: "other" }] }), "kubectl");
    expect(taken.status).toBe(409);
    expect(taken.body.message).toBe('Apply failed with 1 conflict: conflict with "rampart" using example.com/v1: .spec.rules[name="a"].value');
  });
});

describe("Secret stringData", () => {
  it("is merged into data (base64) and never stored or returned", async () => {
    const secret = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "keys" },
      type: "Opaque",
      data: { old: Buffer.from("x").toString("base64") },
      stringData: { "jwks.json": '{"keys":[]}' },
    };
    const answer = await apply("/api/v1/namespaces/payments/secrets/keys", secret, "rampart");
    expect(answer.status).toBe(201);
    expect(answer.body.stringData).toBeUndefined();
    expect(answer.body.data).toEqual({ old: "eA==", "jwks.json": Buffer.from('{"keys":[]}').toString("base64") });
    // The manager owns what it applied, stringData included, as on a real server.
    expect(managedBy(answer.body, "rampart")).toMatchObject({ "f:stringData": { "f:jwks.json": {} } });
    const bad = await call("POST", "/api/v1/namespaces/payments/secrets", {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "bad" },
      data: { k: "not base64!" },
    });
    expect(bad.status).toBe(422);
  });
});

describe("CEL x-kubernetes-validations", () => {
  it("refuses with the rule's message at the rule's field, and runs transition rules on update only", async () => {
    const refused = await apply(`${GADGETS}/cel`, gadget("cel", { targets: [{ kind: "Service" }] }), "rampart");
    expect(refused.status).toBe(422);
    expect(refused.body.message).toBe('Gadget.example.com "cel" is invalid: spec.targets: Invalid value: "array": TargetRef Kind must be: HTTPRoute');
    expect((refused.body.details as { causes: unknown[] }).causes).toEqual([
      { reason: "FieldValueInvalid", message: 'Invalid value: "array": TargetRef Kind must be: HTTPRoute', field: "spec.targets" },
    ]);

    expect((await apply(`${GADGETS}/cel`, gadget("cel", { replicas: 5, targets: [{ kind: "HTTPRoute" }] }), "rampart")).status).toBe(201);
    const shrunk = await apply(`${GADGETS}/cel`, gadget("cel", { replicas: 3, targets: [{ kind: "HTTPRoute" }] }), "rampart");
    expect(shrunk.status).toBe(422);
    expect(shrunk.body.message).toContain('spec.replicas: Invalid value: "integer": replicas may only grow');
  });
});

describe("admission webhooks", () => {
  it("answers a Kyverno denial as 400 and a Gatekeeper denial as 403 Forbidden, each prefixed with the webhook's name", async () => {
    const removeKyverno = kube.server.registerWebhook({
      name: "validate.kyverno.svc-fail",
      review: (request) =>
        (request.object.spec as { mode?: string }).mode === "LogOnly"
          ? kyvernoDenial(request, [{ policy: "rampart-baseline", rule: "mode", message: "validation error: mode must be Block" }])
          : null,
    });
    const kyverno = await apply(`${GADGETS}/weak`, gadget("weak", { mode: "LogOnly" }), "rampart");
    expect(kyverno.status).toBe(400);
    expect(kyverno.body).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message:
        "admission webhook \"validate.kyverno.svc-fail\" denied the request: \n\nresource Gadget/payments/weak was blocked due to the following policies \n\nrampart-baseline:\n  mode: 'validation error: mode must be Block'",
      code: 400,
    });
    removeKyverno();

    const removeGatekeeper = kube.server.registerWebhook({
      name: "validation.gatekeeper.sh",
      review: (request) =>
        request.dryRun ? gatekeeperDenial([{ constraint: "rampart-baseline", message: "mode LogOnly where the baseline says Block" }]) : null,
    });
    const gatekeeper = await apply(`${GADGETS}/weak`, gadget("weak", { mode: "LogOnly" }), "rampart", "&dryRun=All");
    expect(gatekeeper.status).toBe(403);
    expect(gatekeeper.body).toMatchObject({
      reason: "Forbidden",
      code: 403,
      message: 'admission webhook "validation.gatekeeper.sh" denied the request: [rampart-baseline] mode LogOnly where the baseline says Block',
    });
    removeGatekeeper();
  });
});

describe("RBAC from the stored roles and bindings", () => {
  it("allows by verb and resource, and needs the status subresource named explicitly", async () => {
    const reader = await call("GET", `${GADGETS}`, undefined, { token: "proxy-token" });
    expect(reader.status).toBe(403);
    await call("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/payments/roles", {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "gadget-reader" },
      rules: [{ apiGroups: ["example.com"], resources: ["gadgets"], verbs: ["get", "list", "watch"] }],
    });
    await call("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/payments/rolebindings", {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "gadget-reader" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "gadget-reader" },
      subjects: [{ kind: "ServiceAccount", name: "payments-api", namespace: "payments" }],
    });
    expect((await call("GET", `${GADGETS}`, undefined, { token: "proxy-token" })).status).toBe(200);
    const status = await call("PATCH", `${GADGETS}/defaults/status`, { status: {} }, { token: "proxy-token", contentType: "application/merge-patch+json" });
    expect(status.status).toBe(403);
    expect(status.body.message).toBe(
      'gadgets.example.com "defaults" is forbidden: User "system:serviceaccount:payments:payments-api" cannot patch resource "gadgets/status" in API group "example.com" in the namespace "payments"',
    );
    // Another namespace, and cluster-scoped kinds, stay closed.
    expect((await call("GET", "/apis/example.com/v1/namespaces/default/gadgets", undefined, { token: "proxy-token" })).status).toBe(403);
  });

  it("aggregates ClusterRoles by label, as the aggregation controller does", async () => {
    await call("POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles", {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "deployer" },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "example.com/aggregate-to-deployer": "true" } }] },
      rules: [],
    });
    await call("POST", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "deployer" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "deployer" },
      subjects: [{ kind: "ServiceAccount", name: "deployer", namespace: "rampart" }],
    });
    expect((await call("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", undefined, { token: "deployer-token" })).status).toBe(403);
    await call("POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles", {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "crd-reader", labels: { "example.com/aggregate-to-deployer": "true" } },
      rules: [{ apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: ["list"] }],
    });
    expect((await call("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", undefined, { token: "deployer-token" })).status).toBe(200);
  });
});

describe("watch bookmarks and the watch cache", () => {
  async function openWatch(query: string) {
    const controller = new AbortController();
    const response = await fetch(`${kube.url}${GADGETS}?watch=true&${query}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      signal: controller.signal,
    });
    const events: Array<{ type: string; object: Record<string, unknown> }> = [];
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    const ended = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          for (let newline = buffer.indexOf("\n"); newline >= 0; newline = buffer.indexOf("\n")) {
            events.push(JSON.parse(buffer.slice(0, newline)));
            buffer = buffer.slice(newline + 1);
          }
        }
      } catch {
        // aborted
      }
    })();
    return { events, close: () => controller.abort(), ended };
  }
  // Waits for the events to arrive; the bound only names the failure.
  const until = (predicate: () => boolean) => vi.waitFor(() => expect(predicate()).toBe(true), { timeout: 15_000, interval: 10 });

  it("sends BOOKMARK events with the current resourceVersion only to watches that asked", async () => {
    const rv = kube.server.resourceVersion;
    const asked = await openWatch(`resourceVersion=${rv}&allowWatchBookmarks=true`);
    const plain = await openWatch(`resourceVersion=${rv}`);
    await call("POST", "/api/v1/namespaces/payments/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "elsewhere" } });
    kube.server.bookmark();
    await until(() => asked.events.length === 1);
    expect(asked.events[0]).toEqual({
      type: "BOOKMARK",
      object: { apiVersion: "example.com/v1", kind: "Gadget", metadata: { resourceVersion: kube.server.resourceVersion } },
    });
    expect(plain.events).toEqual([]);
    asked.close();
    plain.close();
  });

  it("loses the watch cache on restart: resuming from before it is 410 Expired", async () => {
    const rv = kube.server.resourceVersion;
    await call("POST", "/api/v1/namespaces/payments/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "before-restart" } });
    await kube.restart();
    // The client's pooled connection died with the server; a real client reconnects.
    await call("GET", "/version").catch(() => undefined);
    const resumed = await openWatch(`resourceVersion=${rv}`);
    await resumed.ended;
    expect(resumed.events).toEqual([{ type: "ERROR", object: expect.objectContaining({ kind: "Status", code: 410, reason: "Expired" }) }]);
  });
});

describe("/openapi/v3", () => {
  it("lists a document per group version and publishes a CRD's schema under its reversed-group name", async () => {
    const discovery = (await call("GET", "/openapi/v3")).body as { paths: Record<string, { serverRelativeURL: string }> };
    expect(discovery.paths["apis/example.com/v1"]!.serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/example\.com\/v1\?hash=[0-9A-F]+$/);
    expect(discovery.paths["api/v1"]).toBeDefined();
    const document = (await call("GET", discovery.paths["apis/example.com/v1"]!.serverRelativeURL)).body as {
      openapi: string;
      components: { schemas: Record<string, Record<string, unknown>> };
    };
    expect(document.openapi).toBe("3.0.0");
    const schema = document.components.schemas["com.example.v1.Gadget"]!;
    expect(schema["x-kubernetes-group-version-kind"]).toEqual([{ group: "example.com", version: "v1", kind: "Gadget" }]);
    expect((schema.properties as Record<string, unknown>).spec).toEqual(gadgetCrd.spec.versions[0]!.schema.openAPIV3Schema.properties.spec);
    expect((await call("GET", "/openapi/v3/apis/nothing.example/v1")).status).toBe(404);
  });
});

describe("a CRD that takes a moment to be established", () => {
  it("serves its kinds only after the delay", async () => {
    const slow = await startKubeApiServer({ crdEstablishDelayMs: 300 });
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const crd = { ...gadgetCrd, metadata: { name: "gadgets.example.com" } };
      const created = await fetch(`${slow.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify(crd),
      });
      expect(created.status).toBe(201);
      const discovery = () => fetch(`${slow.url}/apis/example.com/v1`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }).then((r) => r.status);
      // The server's clock is held (Date faked) and moved by the test: "after the delay" is
      // decided by the clock, however slow the machine.
      expect(await discovery()).toBe(404);
      vi.setSystemTime(Date.now() + 299);
      expect(await discovery()).toBe(404);
      vi.setSystemTime(Date.now() + 1);
      expect(await discovery()).toBe(200);
    } finally {
      vi.useRealTimers();
      await slow.stop();
    }
  });
});
