// The test API server behaves like kube-apiserver on the wire for what Rampart
// uses: status codes and Status bodies, discovery of CRD kinds, server-side
// apply ownership and conflicts, dry run, optimistic concurrency, schema
// validation, per-namespace grants, watches and fault injection. Raw HTTP
// here (exact bodies); the library tests drive it through client-node.

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { ADMIN_TOKEN, startKubeApiServer, type TestKubeApiServer } from "@/tests/kube-api-server/start-kube-api-server";
import { rampartPolicy, rampartPolicyCrd, widgetCrd } from "@/tests/kube-api-server/fixtures";

let kube: TestKubeApiServer;

beforeAll(async () => {
  kube = await startKubeApiServer({ tokens: { "team-token": { user: "system:serviceaccount:payments:deployer", namespaces: ["payments"] } } });
  await call("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "payments" } });
  await call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", widgetCrd());
});

afterAll(async () => {
  await kube.stop();
});

interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

async function call(method: string, path: string, body?: unknown, options: { token?: string | null; contentType?: string } = {}): Promise<Answer> {
  const token = options.token === undefined ? ADMIN_TOKEN : options.token;
  const response = await fetch(`${kube.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { "content-type": options.contentType ?? "application/json" } : {}),
    },
    ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
}

const widgets = "/apis/example.com/v1/namespaces/payments/widgets";
// Waits for an event (a watch event arrived, the server went down); the bound only names the failure.
const until = (predicate: () => boolean) => vi.waitFor(() => expect(predicate()).toBe(true), { timeout: 15_000, interval: 10 });
const apply = (path: string, object: unknown, manager: string, extra = "") =>
  call("PATCH", `${path}?fieldManager=${manager}${extra}`, stringify(object), { contentType: "application/apply-patch+yaml" });
const widget = (name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({
  apiVersion: "example.com/v1",
  kind: "Widget",
  metadata: { name, ...metadata },
  spec,
});

describe("authentication and authorisation", () => {
  it("answers 401 with an Unauthorized Status without a token or with an unknown one", async () => {
    for (const token of [null, "not-a-token"]) {
      const answer = await call("GET", "/api/v1/namespaces", undefined, { token });
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: "Unauthorized",
        reason: "Unauthorized",
        code: 401,
      });
    }
  });

  it("answers 403 naming user, verb, resource and namespace outside the token's namespaces", async () => {
    const answer = await call("GET", "/api/v1/namespaces/default/configmaps", undefined, { token: "team-token" });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({
      kind: "Status",
      reason: "Forbidden",
      code: 403,
      message:
        'configmaps is forbidden: User "system:serviceaccount:payments:deployer" cannot list resource "configmaps" in API group "" in the namespace "default"',
    });
    expect((await call("GET", "/api/v1/namespaces/payments/configmaps", undefined, { token: "team-token" })).status).toBe(200);
    // Cluster-scoped resources need a cluster-wide grant.
    expect((await call("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", undefined, { token: "team-token" })).status).toBe(403);
  });
});

describe("discovery", () => {
  it("serves the core version, the groups and each group version's resources", async () => {
    expect((await call("GET", "/api")).body).toMatchObject({ kind: "APIVersions", versions: ["v1"] });
    const groups = (await call("GET", "/apis")).body as { kind: string; groups: Array<{ name: string; preferredVersion: { groupVersion: string } }> };
    expect(groups.kind).toBe("APIGroupList");
    expect(groups.groups.map((g) => g.name)).toEqual(expect.arrayContaining(["rbac.authorization.k8s.io", "apiextensions.k8s.io", "example.com"]));
    const core = (await call("GET", "/api/v1")).body as { resources: Array<{ name: string; namespaced: boolean; kind: string }> };
    expect(core.resources).toEqual(expect.arrayContaining([expect.objectContaining({ name: "configmaps", namespaced: true, kind: "ConfigMap" })]));
  });

  it("registers a CRD's kind when it is created and forgets it when it is deleted", async () => {
    expect((await call("GET", "/apis/rampart.dev/v1alpha1")).status).toBe(404);
    const created = await call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", rampartPolicyCrd());
    expect(created.status).toBe(201);
    expect((created.body.status as { conditions: Array<{ type: string; status: string }> }).conditions).toContainEqual(
      expect.objectContaining({ type: "Established", status: "True" }),
    );
    const list = (await call("GET", "/apis/rampart.dev/v1alpha1")).body;
    expect(list).toMatchObject({ kind: "APIResourceList", groupVersion: "rampart.dev/v1alpha1" });
    expect(list.resources).toEqual([
      expect.objectContaining({ name: "rampartpolicies", singularName: "rampartpolicy", kind: "RampartPolicy", namespaced: true, shortNames: ["rpol"] }),
      expect.objectContaining({ name: "rampartpolicies/status" }),
    ]);
    expect((await apply("/apis/rampart.dev/v1alpha1/namespaces/payments/rampartpolicies/payments-api", rampartPolicy(), "rampart")).status).toBe(201);

    expect((await call("DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/rampartpolicies.rampart.dev")).status).toBe(200);
    expect((await call("GET", "/apis/rampart.dev/v1alpha1")).status).toBe(404);
    expect((await call("GET", "/apis")).body.groups).not.toContainEqual(expect.objectContaining({ name: "rampart.dev" }));
  });

  it("answers 404 NotFound for unknown groups, resources and objects, and for a missing namespace on create", async () => {
    const unknownGroup = await call("GET", "/apis/nope.example/v1/namespaces/payments/things");
    expect(unknownGroup.status).toBe(404);
    expect(unknownGroup.body).toMatchObject({ kind: "Status", reason: "NotFound", message: "the server could not find the requested resource" });
    expect((await call("GET", "/apis/example.com/v1/namespaces/payments/gadgets")).status).toBe(404);
    const missing = await call("GET", `${widgets}/nothing`);
    expect(missing.body).toMatchObject({
      reason: "NotFound",
      message: 'widgets.example.com "nothing" not found',
      details: { name: "nothing", group: "example.com", kind: "widgets" },
    });
    const noNamespace = await call("POST", "/apis/example.com/v1/namespaces/absent/widgets", widget("w", { size: 1 }));
    expect(noNamespace.status).toBe(404);
    expect(noNamespace.body.message).toBe('namespaces "absent" not found');
  });
});

describe("server-side apply", () => {
  it("creates (201), answers an identical re-apply without a new resourceVersion, and records the manager's fields", async () => {
    const first = await apply(`${widgets}/ssa`, widget("ssa", { size: 2, settings: { a: "1" } }, { labels: { team: "payments" } }), "rampart");
    expect(first.status).toBe(201);
    const metadata = first.body.metadata as Record<string, unknown>;
    expect(metadata).toMatchObject({ name: "ssa", namespace: "payments", generation: 1 });
    expect(metadata.managedFields).toEqual([
      {
        manager: "rampart",
        operation: "Apply",
        apiVersion: "example.com/v1",
        time: expect.any(String),
        fieldsType: "FieldsV1",
        fieldsV1: { "f:metadata": { "f:labels": { ".": {}, "f:team": {} } }, "f:spec": { "f:settings": { ".": {}, "f:a": {} }, "f:size": {} } },
      },
    ]);
    const again = await apply(`${widgets}/ssa`, widget("ssa", { size: 2, settings: { a: "1" } }, { labels: { team: "payments" } }), "rampart");
    expect(again.status).toBe(200);
    expect((again.body.metadata as { resourceVersion: string }).resourceVersion).toBe(metadata.resourceVersion);
  });

  it("refuses a change to a field another manager owns with 409 and FieldManagerConflict causes; force takes it over", async () => {
    await apply(`${widgets}/owned`, widget("owned", { size: 3, colour: "red" }), "rampart");
    const conflict = await apply(`${widgets}/owned`, widget("owned", { size: 4 }), "kubectl");
    expect(conflict.status).toBe(409);
    expect(conflict.body).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'Apply failed with 1 conflict: conflict with "rampart" using example.com/v1: .spec.size',
      reason: "Conflict",
      details: { causes: [{ reason: "FieldManagerConflict", message: 'conflict with "rampart" using example.com/v1', field: ".spec.size" }] },
      code: 409,
    });
    // The same value is shared ownership, not a conflict.
    expect((await apply(`${widgets}/owned`, widget("owned", { size: 3 }), "kubectl")).status).toBe(200);
    const forced = await apply(`${widgets}/owned`, widget("owned", { size: 5 }), "kubectl", "&force=true");
    expect(forced.status).toBe(200);
    expect((forced.body.spec as { size: number }).size).toBe(5);
    const managers = (forced.body.metadata as { managedFields: Array<{ manager: string; fieldsV1: Record<string, unknown> }> }).managedFields;
    expect(managers.find((m) => m.manager === "rampart")!.fieldsV1).toEqual({ "f:spec": { "f:colour": {} } });
    expect(managers.find((m) => m.manager === "kubectl")!.fieldsV1).toEqual({ "f:spec": { "f:size": {} } });
    expect((forced.body.metadata as { generation: number }).generation).toBe(2);
  });

  it("removes a field its manager stops applying when nobody else owns it", async () => {
    await apply(`${widgets}/shrink`, widget("shrink", { size: 1, colour: "green", tags: ["a"] }), "rampart");
    const after = await apply(`${widgets}/shrink`, widget("shrink", { size: 1 }), "rampart");
    expect(after.body.spec).toEqual({ size: 1 });
  });

  it("takes fields changed by an update (merge patch) away from the applier, so re-applying conflicts", async () => {
    await apply(`${widgets}/edited`, widget("edited", { size: 2 }), "rampart");
    const patched = await call("PATCH", `${widgets}/edited?fieldManager=kubectl-edit`, { spec: { size: 7 } }, { contentType: "application/merge-patch+json" });
    expect(patched.status).toBe(200);
    const managers = (patched.body.metadata as { managedFields: Array<{ manager: string; operation: string }> }).managedFields;
    expect(managers).toContainEqual(expect.objectContaining({ manager: "kubectl-edit", operation: "Update" }));
    const reapply = await apply(`${widgets}/edited`, widget("edited", { size: 2 }), "rampart");
    expect(reapply.status).toBe(409);
    expect((reapply.body.details as { causes: unknown[] }).causes).toEqual([
      { reason: "FieldManagerConflict", message: 'conflict with "kubectl-edit" using example.com/v1', field: ".spec.size" },
    ]);
  });

  it("requires fieldManager and matching apiVersion/kind/name (400 BadRequest)", async () => {
    const noManager = await call("PATCH", `${widgets}/x`, stringify(widget("x", { size: 1 })), { contentType: "application/apply-patch+yaml" });
    expect(noManager.status).toBe(400);
    expect(noManager.body).toMatchObject({ reason: "BadRequest" });
    expect((await apply(`${widgets}/x`, widget("y", { size: 1 }), "rampart")).status).toBe(400);
    expect((await apply(`${widgets}/x`, { ...widget("x", { size: 1 }), kind: "Gadget" }, "rampart")).status).toBe(400);
  });
});

describe("dry run", () => {
  it("validates and answers as if stored, and stores nothing (create, apply, delete)", async () => {
    const before = kube.server.objectCount;
    const rv = kube.server.resourceVersion;
    const created = await call("POST", `${widgets}?dryRun=All`, widget("dry", { size: 3 }));
    expect(created.status).toBe(201);
    expect(created.body.metadata).toMatchObject({ name: "dry", uid: expect.any(String) });
    const applied = await apply(`${widgets}/dry`, widget("dry", { size: 3 }), "rampart", "&dryRun=All");
    expect(applied.status).toBe(201);
    expect((await call("GET", `${widgets}/dry`)).status).toBe(404);
    expect(kube.server.objectCount).toBe(before);
    expect(kube.server.resourceVersion).toBe(rv);

    await apply(`${widgets}/kept`, widget("kept", { size: 3 }), "rampart");
    const changed = await apply(`${widgets}/kept`, widget("kept", { size: 9 }), "rampart", "&dryRun=All");
    expect((changed.body.spec as { size: number }).size).toBe(9);
    expect(((await call("GET", `${widgets}/kept`)).body.spec as { size: number }).size).toBe(3);
    expect((await call("DELETE", `${widgets}/kept?dryRun=All`)).status).toBe(200);
    expect((await call("GET", `${widgets}/kept`)).status).toBe(200);
    // Invalid objects are refused in a dry run too.
    expect((await apply(`${widgets}/kept`, widget("kept", { size: 99 }), "rampart", "&dryRun=All")).status).toBe(422);
  });
});

describe("validation against the CRD's OpenAPI v3 schema", () => {
  it("answers 422 Invalid with one cause per violation and its field path", async () => {
    const answer = await apply(`${widgets}/bad`, widget("bad", { size: 11, colour: "blue", tags: [1] }), "rampart");
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ kind: "Status", reason: "Invalid", code: 422, details: { name: "bad", group: "example.com", kind: "Widget" } });
    const causes = (answer.body.details as { causes: Array<{ field: string; reason: string }> }).causes;
    expect(causes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: "spec.size", reason: "FieldValueInvalid" }),
        expect.objectContaining({
          field: "spec.colour",
          reason: "FieldValueNotSupported",
          message: 'Unsupported value: "blue": supported values: "red", "green"',
        }),
        expect.objectContaining({ field: "spec.tags[0]", reason: "FieldValueTypeInvalid" }),
      ]),
    );
    expect(answer.body.message).toMatch(/^Widget\.example\.com "bad" is invalid: \[/);
    const missing = await apply(`${widgets}/bad`, widget("bad", { colour: "red" }), "rampart");
    expect((missing.body.details as { causes: unknown[] }).causes).toEqual([{ reason: "FieldValueRequired", message: "Required value", field: "spec.size" }]);
    expect((await call("GET", `${widgets}/bad`)).status).toBe(404);
  });

  it("prunes fields the schema does not know on create, unless x-kubernetes-preserve-unknown-fields; apply refuses them (500)", async () => {
    const created = await call("POST", widgets, widget("pruned", { size: 1, unknown: true, free: { anything: { goes: 1 } } }));
    expect(created.body.spec).toEqual({ size: 1, free: { anything: { goes: 1 } } });
    const applied = await apply(`${widgets}/pruned-apply`, widget("pruned-apply", { size: 1, unknown: true }), "rampart");
    expect(applied.status).toBe(500);
    expect(applied.body).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "failed to create typed patch object (payments/pruned-apply; example.com/v1, Kind=Widget): .spec.unknown: field not declared in schema",
      code: 500,
    });
  });

  it("validates the real RampartPolicy CRD's bundle schema (field paths into spec.bundle)", async () => {
    await call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", rampartPolicyCrd());
    const policy = rampartPolicy();
    const broken = {
      ...policy,
      spec: {
        ...(policy.spec as Record<string, unknown>),
        application: "Not A Slug",
        bundle: { ...(policy.spec as { bundle: object }).bundle, contentHash: 42 },
      },
    };
    const answer = await apply("/apis/rampart.dev/v1alpha1/namespaces/payments/rampartpolicies/payments-api", broken, "rampart");
    expect(answer.status).toBe(422);
    const fields = (answer.body.details as { causes: Array<{ field: string }> }).causes.map((c) => c.field);
    expect(fields).toEqual(expect.arrayContaining(["spec.application", "spec.bundle.contentHash"]));
  });

  it("refuses an invalid object name", async () => {
    const answer = await call("POST", widgets, widget("Bad_Name", { size: 1 }));
    expect(answer.status).toBe(422);
    expect((answer.body.details as { causes: Array<{ field: string }> }).causes[0]!.field).toBe("metadata.name");
  });
});

describe("resourceVersion and generation", () => {
  it("refuses an update with a stale resourceVersion (409 Conflict) and needs one for custom resources", async () => {
    const created = await call("POST", widgets, widget("occ", { size: 1 }));
    const rv = (created.body.metadata as { resourceVersion: string }).resourceVersion;
    const updated = await call("PUT", `${widgets}/occ`, { ...widget("occ", { size: 2 }), metadata: { name: "occ", resourceVersion: rv } });
    expect(updated.status).toBe(200);
    const stale = await call("PUT", `${widgets}/occ`, { ...widget("occ", { size: 3 }), metadata: { name: "occ", resourceVersion: rv } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({
      reason: "Conflict",
      message:
        'Operation cannot be fulfilled on widgets.example.com "occ": the object has been modified; please apply your changes to the latest version and try again',
    });
    const unconditional = await call("PUT", `${widgets}/occ`, widget("occ", { size: 3 }));
    expect(unconditional.status).toBe(422);
    const stalePatch = await call(
      "PATCH",
      `${widgets}/occ`,
      { metadata: { resourceVersion: rv }, spec: { size: 4 } },
      { contentType: "application/merge-patch+json" },
    );
    expect(stalePatch.status).toBe(409);
  });

  it("bumps generation on spec changes only; status is a subresource", async () => {
    const created = await call("POST", widgets, widget("gen", { size: 1 }));
    expect((created.body.metadata as { generation: number }).generation).toBe(1);
    const labelled = await call(
      "PATCH",
      `${widgets}/gen`,
      { metadata: { labels: { a: "b" } }, status: { ready: true } },
      { contentType: "application/merge-patch+json" },
    );
    expect((labelled.body.metadata as { generation: number }).generation).toBe(1);
    expect(labelled.body.status).toBeUndefined();
    const status = await call("PATCH", `${widgets}/gen/status`, { status: { ready: true } }, { contentType: "application/merge-patch+json" });
    expect(status.body.status).toEqual({ ready: true });
    const spec = await call("PATCH", `${widgets}/gen`, { spec: { size: 2 } }, { contentType: "application/merge-patch+json" });
    expect((spec.body.metadata as { generation: number }).generation).toBe(2);
    expect(spec.body.status).toEqual({ ready: true });
    expect((await call("PATCH", `${widgets}/gen`, { spec: { size: 3 } }, { contentType: "application/strategic-merge-patch+json" })).status).toBe(415);
  });
});

describe("watch", () => {
  async function openWatch(
    query: string,
  ): Promise<{ events: Array<{ type: string; object: Record<string, unknown> }>; close: () => void; ended: Promise<void> }> {
    const controller = new AbortController();
    const response = await fetch(`${kube.url}${widgets}?watch=true&${query}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
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
          let newline;
          while ((newline = buffer.indexOf("\n")) >= 0) {
            events.push(JSON.parse(buffer.slice(0, newline)) as { type: string; object: Record<string, unknown> });
            buffer = buffer.slice(newline + 1);
          }
        }
      } catch {
        // aborted
      }
    })();
    return { events, close: () => controller.abort(), ended };
  }

  it("streams ADDED (existing first), MODIFIED and DELETED with resourceVersions, filtered by fieldSelector", async () => {
    await call("POST", widgets, widget("watched", { size: 1 }));
    const watch = await openWatch("fieldSelector=metadata.name%3Dwatched");
    await until(() => watch.events.length === 1);
    expect(watch.events[0]).toMatchObject({ type: "ADDED", object: { metadata: { name: "watched" } } });
    await call("POST", widgets, widget("other", { size: 1 }));
    await call("PATCH", `${widgets}/watched`, { spec: { size: 2 } }, { contentType: "application/merge-patch+json" });
    await call("DELETE", `${widgets}/watched`);
    await until(() => watch.events.length === 3);
    expect(watch.events.map((e) => e.type)).toEqual(["ADDED", "MODIFIED", "DELETED"]);
    const versions = watch.events.map((e) => Number((e.object.metadata as { resourceVersion: string }).resourceVersion));
    expect(versions[1]!).toBeGreaterThan(versions[0]!);
    expect(versions[2]!).toBeGreaterThan(versions[1]!);
    watch.close();
  });

  it("resumes from a resourceVersion with the events after it, and answers 410 Expired once compacted", async () => {
    const created = await call("POST", widgets, widget("resume", { size: 1 }));
    const rv = (created.body.metadata as { resourceVersion: string }).resourceVersion;
    await call("PATCH", `${widgets}/resume`, { spec: { size: 5 } }, { contentType: "application/merge-patch+json" });
    const watch = await openWatch(`resourceVersion=${rv}&fieldSelector=metadata.name%3Dresume`);
    await until(() => watch.events.length === 1);
    expect(watch.events[0]).toMatchObject({ type: "MODIFIED", object: { spec: { size: 5 } } });
    watch.close();

    kube.server.compact();
    const expired = await openWatch(`resourceVersion=${rv}`);
    await expired.ended;
    expect(expired.events).toEqual([{ type: "ERROR", object: expect.objectContaining({ kind: "Status", code: 410, reason: "Expired" }) }]);
  });

  it("closes the stream after timeoutSeconds", async () => {
    // The same watch without timeoutSeconds is still open when the timed one ends: the
    // timeout ended it, not the server or the connection.
    const open = await openWatch("fieldSelector=metadata.name%3Dnobody");
    const watch = await openWatch("timeoutSeconds=1&fieldSelector=metadata.name%3Dnobody");
    let openEnded = false;
    void open.ended.then(() => (openEnded = true));
    await watch.ended;
    expect(watch.events).toEqual([]);
    expect(openEnded).toBe(false);
    open.close();
  });
});

describe("fault injection", () => {
  it("fails the next N requests with a Status (503 with Retry-After), then serves again", async () => {
    kube.server.failNext(2, 503);
    const first = await call("GET", "/api/v1/namespaces");
    expect(first.status).toBe(503);
    expect(first.headers.get("retry-after")).toBe("1");
    expect(first.body).toMatchObject({ kind: "Status", reason: "ServiceUnavailable", code: 503 });
    expect((await call("GET", "/api/v1/namespaces")).status).toBe(503);
    expect((await call("GET", "/api/v1/namespaces")).status).toBe(200);
  });

  it("drops connections and goes down after N matching requests; objects survive up()", async () => {
    kube.server.dropNext(1);
    await expect(call("GET", "/api/v1/namespaces")).rejects.toThrow();
    kube.server.downAfter(1, (r) => r.method === "POST");
    expect((await call("POST", widgets, widget("last", { size: 1 }))).status).toBe(201);
    await until(() => !kube.server.isUp);
    await expect(call("GET", `${widgets}/last`)).rejects.toThrow();
    await kube.server.up();
    // The client may still hold a pooled connection the outage closed (its close not yet
    // read): the first request after up() can fail on it, the next one is served.
    await vi.waitFor(async () => expect((await call("GET", `${widgets}/last`).catch(() => null))?.status).toBe(200), { timeout: 15_000, interval: 10 });
  });
});
