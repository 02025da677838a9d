// A test Kubernetes API server: node:http(s), JSON, the REST layout, status
// codes and Status bodies of kube-apiserver for what Rampart uses (discovery,
// /openapi/v3, CRDs, namespaces, ConfigMaps, Secrets, RBAC, custom resources;
// create, get, list, watch with BOOKMARKs, update, merge/JSON patch,
// server-side apply with managedFields and list-type map/set merging,
// dryRun=All, resourceVersion preconditions; CRD structural pruning,
// defaulting, OpenAPI and CEL validation; a Secret's stringData into data;
// validating admission webhooks; bearer tokens authorised by the RBAC objects
// stored here, or by a per-namespace shortcut grant). Objects live in memory
// and survive restart(), the way etcd outlives an API server process; the
// watch cache does not (a watch resumed from before the restart gets 410).
// Fault hooks fail, drop or take the server down for the next matching requests.
//
// It is driven only through @kubernetes/client-node by the code under test;
// tests/integration/kubernetes/kube-api-server.test.ts proves each behaviour
// against the wire.

import { randomUUID } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { isDeepStrictEqual } from "node:util";
import { parse as parseYaml } from "yaml";
import { denialStatus, type AdmissionRequest, type AdmissionWebhook } from "./admission-webhooks.js";
import { getAt, recordUpdate, renderManagedFields, serverSideApply, type ManagerEntry } from "./field-ownership.js";
import { isPlainObject, type JsonObject } from "./json-object.js";
import { KubeHttpError, statusErrors, successStatus, type StatusCause } from "./kube-status.js";
import { openApiDiscovery, openApiDocument } from "./openapi-v3.js";
import { groupsOf, isAllowed, type RbacObjects } from "./rbac-authorizer.js";
import { apiVersionOf, builtinTypes, discoveryResource, typesFromCrd, type ResourceType } from "./resource-types.js";
import type { SchemaNode } from "./structural-schema.js";

export interface TokenGrant {
  /** Shown in 403 messages, like "system:serviceaccount:rampart:deployer"; RBAC subjects match it. */
  user: string;
  /** Groups besides system:authenticated (and a service account's own groups, added from its name). */
  groups?: readonly string[];
  /**
   * A shortcut for tests that are not about RBAC: every verb in these namespaces ("*" also
   * grants cluster-scoped resources). Without it (or beyond it) the stored RBAC objects decide.
   */
  namespaces?: "*" | readonly string[];
}

export interface RequestInfo {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType: string;
  /** The status answered (set when the answer is sent; absent for dropped connections and open watches). */
  status?: number;
}

export type RequestMatch = (request: RequestInfo) => boolean;

export interface KubeApiServerOptions {
  tokens: Record<string, TokenGrant>;
  tls?: { cert: string; key: string } | null;
  /** Watch events kept for resuming a watch from a resourceVersion (older → 410 Expired). */
  historySize?: number;
  /** A new CRD's kinds are served only this long after it is created (Established), as on a busy real server. */
  crdEstablishDelayMs?: number;
}

/** What a controller watching the server (tests/kube-api-server/gatekeeper-controller.ts) is told of each stored change. */
export interface CommitEvent {
  type: "ADDED" | "MODIFIED" | "DELETED";
  apiVersion: string;
  kind: string;
  object: JsonObject;
}

interface Stored {
  object: JsonObject;
  managers: ManagerEntry[];
}

interface WatchEvent {
  rv: number;
  type: "ADDED" | "MODIFIED" | "DELETED";
  typeKey: string;
  namespace: string | null;
  object: JsonObject;
}

interface Watcher {
  typeKey: string;
  namespace: string | null;
  matches: (object: JsonObject) => boolean;
  response: http.ServerResponse;
  /** allowWatchBookmarks=true: BOOKMARK events carry the current resourceVersion (apiVersion/kind of the type). */
  bookmarks: { apiVersion: string; kind: string } | null;
}

interface Fault {
  remaining: number;
  match: RequestMatch;
  action: { kind: "status"; status: number } | { kind: "drop" } | { kind: "down-after" };
}

const MAX_BODY_BYTES = 3 * 1024 * 1024;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const typeKeyOf = (type: Pick<ResourceType, "group" | "resource">) => `${type.group}|${type.resource}`;
const objectKey = (type: ResourceType, namespace: string | null, name: string) => `${typeKeyOf(type)}|${namespace ?? ""}|${name}`;
const timestamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

export class KubeApiServer {
  readonly server: http.Server;
  /** Every request received, in order (tests assert on what the client sent). */
  readonly requests: RequestInfo[] = [];
  private types: ResourceType[] = builtinTypes();
  private readonly objects = new Map<string, Stored>();
  private readonly history: WatchEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  private readonly sockets = new Set<Socket>();
  private readonly faults: Fault[] = [];
  private readonly webhooks: AdmissionWebhook[] = [];
  private readonly commitListeners = new Set<(event: CommitEvent) => void>();
  /** CRD name → when its kinds start being served (crdEstablishDelayMs). */
  private readonly establishing = new Map<string, number>();
  private revision = 1;
  /** Watches cannot resume from before this revision (etcd compaction): 410 Expired. */
  private compactedRevision = 0;
  private port = 0;
  private listening = false;

  constructor(private readonly options: KubeApiServerOptions) {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => void this.handle(req, res);
    this.server = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, handler) : http.createServer(handler);
    this.server.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    for (const name of ["default", "kube-system"]) this.seedNamespace(name);
  }

  // ---- lifecycle and fault injection -------------------------------------------------------

  async listen(port = 0): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.listening = true;
    return this.port;
  }

  /** Stops listening and drops every connection (watches end as on a crashed API server); the objects stay. */
  async down(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const watcher of this.watchers) watcher.response.destroy();
    this.watchers.clear();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** Listens again on the same port. */
  async up(): Promise<void> {
    if (this.listening) return;
    await this.listen(this.port);
  }

  get isUp(): boolean {
    return this.listening;
  }

  /** The next `count` matching requests are answered with `status` (a Status body; Retry-After for 429/503). */
  failNext(count: number, status = 503, match: RequestMatch = () => true): void {
    this.faults.push({ remaining: count, match, action: { kind: "status", status } });
  }

  /** The next `count` matching requests get their connection closed without an answer. */
  dropNext(count: number, match: RequestMatch = () => true): void {
    this.faults.push({ remaining: count, match, action: { kind: "drop" } });
  }

  /** After `count` more matching requests are served, the server goes down (until up()). */
  downAfter(count: number, match: RequestMatch = () => true): void {
    this.faults.push({ remaining: count, match, action: { kind: "down-after" } });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /**
   * Forgets the watch history, so resuming from any older resourceVersion gets 410 Expired:
   * etcd compaction, or a restarted API server whose watch cache starts at the current revision.
   */
  compact(): void {
    this.history.length = 0;
    this.compactedRevision = this.revision;
  }

  /** Sends a BOOKMARK (the current resourceVersion) on every open watch that asked for bookmarks. */
  bookmark(): void {
    for (const watcher of this.watchers) {
      if (!watcher.bookmarks) continue;
      watcher.response.write(
        `${JSON.stringify({ type: "BOOKMARK", object: { ...watcher.bookmarks, metadata: { resourceVersion: String(this.revision) } } })}\n`,
      );
    }
  }

  /** A validating admission webhook, called for create, update and patch (dry runs too); returns its removal. */
  registerWebhook(webhook: AdmissionWebhook): () => void {
    this.webhooks.push(webhook);
    return () => void this.webhooks.splice(this.webhooks.indexOf(webhook), 1);
  }

  /** Called after every stored change (not for dry runs); returns its removal. */
  onCommit(listener: (event: CommitEvent) => void): () => void {
    this.commitListeners.add(listener);
    return () => void this.commitListeners.delete(listener);
  }

  /** Stores an object as a controller would (status included, no admission), e.g. a ConstraintTemplate's status. */
  store(apiVersion: string, kind: string, object: JsonObject): JsonObject {
    const type = this.types.find((t) => apiVersionOf(t) === apiVersion && t.kind === kind);
    if (!type) throw new Error(`no type ${apiVersion} ${kind}`);
    const metadata = object.metadata as JsonObject;
    const namespace = type.namespaced ? ((metadata.namespace as string | undefined) ?? null) : null;
    const live = this.objects.get(objectKey(type, namespace, metadata.name as string)) ?? null;
    const ctx: Ctx = {
      type,
      namespace,
      dryRun: false,
      info: { method: "PUT", path: "", query: new URLSearchParams(), contentType: "" },
      req: null,
      principal: null,
    };
    const next = structuredClone(object);
    next.metadata = {
      ...metadata,
      ...(live ? serverMetadata(live.object) : { uid: randomUUID(), creationTimestamp: timestamp(), ...(type.generation ? { generation: 1 } : {}) }),
    };
    delete (next.metadata as JsonObject).managedFields;
    return this.commit(ctx, live, { object: next, managers: live?.managers ?? [] }, live ? "MODIFIED" : "ADDED");
  }

  get resourceVersion(): string {
    return String(this.revision);
  }

  /** The stored object as a client would read it, or null. */
  peek(apiVersion: string, kind: string, namespace: string | null, name: string): JsonObject | null {
    const type = this.types.find((t) => apiVersionOf(t) === apiVersion && t.kind === kind);
    if (!type) return null;
    const stored = this.objects.get(objectKey(type, type.namespaced ? namespace : null, name));
    return stored ? this.render(stored) : null;
  }

  /** How many objects are stored (dry-run tests prove nothing was). */
  get objectCount(): number {
    return this.objects.size;
  }

  // ---- request handling --------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://kube.invalid");
    const info: RequestInfo = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      contentType: (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase(),
    };
    this.requests.push(info);
    res.on("finish", () => (info.status = res.statusCode));
    const fault = this.faults.find((f) => f.remaining > 0 && f.match(info));
    if (fault) {
      fault.remaining--;
      if (fault.action.kind === "drop") {
        req.socket.destroy();
        return;
      }
      if (fault.action.kind === "status") {
        const status = fault.action.status;
        const error =
          status === 429
            ? statusErrors.tooManyRequests()
            : status === 503
              ? statusErrors.unavailable("the server is currently unable to handle the request")
              : statusErrors.internal("injected failure");
        this.writeStatus(res, new KubeHttpError(status, error.reason, error.message, error.details, error.headers));
        return;
      }
      if (fault.remaining === 0) res.on("finish", () => void this.down());
    }
    try {
      const body = await readBody(req);
      await this.route(req, res, info, body);
    } catch (error) {
      if (error instanceof KubeHttpError) this.writeStatus(res, error);
      else this.writeStatus(res, statusErrors.internal((error as Error).message));
    }
  }

  private writeJson(res: http.ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.headersSent) return;
    const text = JSON.stringify(body);
    res.writeHead(code, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  private writeStatus(res: http.ServerResponse, error: KubeHttpError): void {
    this.writeJson(res, error.code, error.toStatus(), error.headers);
  }

  private authenticate(req: http.IncomingMessage): TokenGrant {
    const header = req.headers.authorization ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const grant = match ? this.options.tokens[match[1]!] : undefined;
    if (!grant) throw statusErrors.unauthorized();
    return grant;
  }

  private rbacObjects(): RbacObjects {
    const ofKind = (resource: string, namespace: string | null) => {
      const type = this.types.find((t) => t.group === "rbac.authorization.k8s.io" && t.resource === resource)!;
      return this.storedOf(type, namespace).map((stored) => stored.object);
    };
    return {
      roles: (namespace) => ofKind("roles", namespace),
      roleBindings: (namespace) => ofKind("rolebindings", namespace),
      clusterRoles: () => ofKind("clusterroles", null),
      clusterRoleBindings: () => ofKind("clusterrolebindings", null),
    };
  }

  private authorize(
    grant: TokenGrant,
    verb: string,
    type: ResourceType,
    namespace: string | null,
    name: string | undefined,
    subresource: string | undefined,
  ): void {
    const shortcut = grant.namespaces === "*" || (grant.namespaces !== undefined && namespace !== null && grant.namespaces.includes(namespace));
    const resource = subresource ? `${type.resource}/${subresource}` : type.resource;
    if (
      shortcut ||
      isAllowed(
        this.rbacObjects(),
        { user: grant.user, groups: groupsOf(grant.user, grant.groups) },
        { verb, group: type.group, resource, namespace, name: name ?? null },
      )
    )
      return;
    throw statusErrors.forbidden(
      grant.user,
      verb,
      { group: type.group, resource: type.resource, ...(subresource ? { subresource } : {}), ...(name ? { name } : {}) },
      namespace,
    );
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse, info: RequestInfo, body: Buffer): Promise<void> {
    const path = info.path.replace(/\/+$/, "");
    if (path === "/healthz" || path === "/readyz" || path === "/livez") {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      return;
    }
    const grant = this.authenticate(req);
    if (path === "/version") {
      this.writeJson(res, 200, { major: "1", minor: "31", gitVersion: "v1.31.0-rampart-test", platform: "linux/amd64" });
      return;
    }
    if (path === "/api") {
      this.writeJson(res, 200, {
        kind: "APIVersions",
        versions: ["v1"],
        serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: `127.0.0.1:${this.port}` }],
      });
      return;
    }
    if (path === "/apis") {
      this.writeJson(res, 200, this.groupList());
      return;
    }
    if (path === "/openapi/v3") {
      this.writeJson(res, 200, openApiDiscovery(this.servedTypes()));
      return;
    }
    if (path.startsWith("/openapi/v3/")) {
      const document = openApiDocument(this.servedTypes(), path.slice("/openapi/v3/".length));
      if (!document) throw statusErrors.noSuchResource();
      this.writeJson(res, 200, document);
      return;
    }
    const segments = path.split("/").slice(1).map(decodeURIComponent);
    let group: string;
    let version: string;
    let rest: string[];
    if (segments[0] === "api" && segments.length >= 2) {
      group = "";
      version = segments[1]!;
      rest = segments.slice(2);
    } else if (segments[0] === "apis" && segments.length >= 3) {
      group = segments[1]!;
      version = segments[2]!;
      rest = segments.slice(3);
    } else if (segments[0] === "apis" && segments.length === 2) {
      const entry = this.groupList().groups.find((g) => g.name === segments[1]);
      if (!entry) throw statusErrors.noSuchResource();
      this.writeJson(res, 200, { kind: "APIGroup", apiVersion: "v1", ...entry });
      return;
    } else throw statusErrors.noSuchResource();

    const inVersion = this.servedTypes().filter((t) => t.group === group && t.version === version);
    if (inVersion.length === 0) throw statusErrors.noSuchResource();
    if (rest.length === 0) {
      if (info.method !== "GET") throw statusErrors.methodNotAllowed(`the server does not allow this method on the requested resource`);
      this.writeJson(res, 200, {
        kind: "APIResourceList",
        apiVersion: "v1",
        groupVersion: apiVersionOf({ group, version }),
        resources: inVersion.flatMap(discoveryResource),
      });
      return;
    }

    let namespace: string | null = null;
    if (rest[0] === "namespaces" && rest.length >= 3) {
      namespace = rest[1]!;
      rest = rest.slice(2);
    }
    const [resource, name, subresource, ...extra] = rest;
    const type = inVersion.find((t) => t.resource === resource);
    if (!type || extra.length > 0 || (subresource !== undefined && (subresource !== "status" || !type.statusSubresource))) throw statusErrors.noSuchResource();
    if (namespace !== null && !type.namespaced) throw statusErrors.noSuchResource();
    if (type.namespaced && namespace === null && name !== undefined) throw statusErrors.noSuchResource();

    const verb = verbOf(info, name !== undefined);
    this.authorize(grant, verb, type, namespace, name, subresource);

    const dryRun = info.query.getAll("dryRun");
    if (dryRun.some((d) => d !== "All")) throw statusErrors.badRequest(`Invalid dry run value: ${dryRun.join(",")}; only "All" is supported`);
    const ctx: Ctx = { type, namespace, dryRun: dryRun.length > 0, info, req, principal: { username: grant.user, groups: groupsOf(grant.user, grant.groups) } };

    switch (verb) {
      case "list":
        return this.writeJson(res, 200, this.list(ctx));
      case "watch":
        return this.watch(ctx, res);
      case "create":
        return this.writeJson(res, 201, this.create(ctx, parseJsonBody(body)));
      case "get":
        return this.writeJson(res, 200, this.render(this.mustGet(ctx, name!)));
      case "update":
        return this.writeJson(res, 200, this.update(ctx, name!, parseJsonBody(body), subresource));
      case "patch": {
        const { code, object } = this.patch(ctx, name!, body, subresource);
        return this.writeJson(res, code, object);
      }
      case "delete":
        return this.writeJson(res, 200, this.delete(ctx, name!));
      default:
        throw statusErrors.methodNotAllowed(`the server does not allow this method on the requested resource`);
    }
  }

  /** The types served now: a CRD's kinds only once it is established. */
  private servedTypes(): ResourceType[] {
    const now = Date.now();
    return this.types.filter((t) => !t.crdName || (this.establishing.get(t.crdName) ?? 0) <= now);
  }

  private groupList() {
    const groups = new Map<string, string[]>();
    for (const type of this.servedTypes()) {
      if (type.group === "") continue;
      const versions = groups.get(type.group) ?? [];
      if (!versions.includes(type.version)) versions.push(type.version);
      groups.set(type.group, versions);
    }
    return {
      kind: "APIGroupList",
      apiVersion: "v1",
      groups: [...groups].map(([name, versions]) => ({
        name,
        versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
        preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
      })),
    };
  }

  // ---- verbs -------------------------------------------------------------------------------

  private list(ctx: Ctx): JsonObject {
    const matches = selectorOf(ctx.info.query);
    const items = this.storedOf(ctx.type, ctx.namespace)
      .map((s) => this.render(s))
      .filter(matches);
    return { apiVersion: apiVersionOf(ctx.type), kind: `${ctx.type.kind}List`, metadata: { resourceVersion: String(this.revision) }, items };
  }

  private watch(ctx: Ctx, res: http.ServerResponse): void {
    const matches = selectorOf(ctx.info.query);
    const from = ctx.info.query.get("resourceVersion");
    const timeoutSeconds = Number(ctx.info.query.get("timeoutSeconds") ?? "0");
    res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked", "cache-control": "no-cache" });
    res.flushHeaders();
    const send = (type: string, object: unknown) => res.write(`${JSON.stringify({ type, object })}\n`);
    const typeKey = typeKeyOf(ctx.type);
    const inScope = (namespace: string | null) => ctx.namespace === null || namespace === ctx.namespace;
    if (from === null || from === "" || from === "0") {
      // "Get state and start at most recent": synthetic ADDED events for what exists now.
      for (const stored of this.storedOf(ctx.type, ctx.namespace)) {
        const object = this.render(stored);
        if (matches(object)) send("ADDED", object);
      }
    } else {
      const rv = Number(from);
      if (!Number.isInteger(rv) || rv < this.compactedRevision) {
        send("ERROR", new KubeHttpError(410, "Expired", `too old resource version: ${from} (${this.compactedRevision})`).toStatus());
        res.end();
        return;
      }
      for (const event of this.history) {
        if (event.rv > rv && event.typeKey === typeKey && inScope(event.namespace) && matches(event.object)) send(event.type, event.object);
      }
    }
    const bookmarks = ctx.info.query.get("allowWatchBookmarks") === "true" ? { apiVersion: apiVersionOf(ctx.type), kind: ctx.type.kind } : null;
    const watcher: Watcher = { typeKey, namespace: ctx.namespace, matches, response: res, bookmarks };
    this.watchers.add(watcher);
    const timer = timeoutSeconds > 0 ? setTimeout(() => res.end(), timeoutSeconds * 1000) : null;
    res.on("close", () => {
      this.watchers.delete(watcher);
      if (timer) clearTimeout(timer);
    });
  }

  private create(ctx: Ctx, body: JsonObject): JsonObject {
    const { type } = ctx;
    checkKind(type, body);
    const metadata = isPlainObject(body.metadata) ? body.metadata : {};
    let name = typeof metadata.name === "string" ? metadata.name : "";
    if (!name && typeof metadata.generateName === "string") name = `${metadata.generateName}${randomUUID().slice(0, 5)}`;
    if (!name)
      throw statusErrors.invalid(type.kind, type.group, "", [
        { reason: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name" },
      ]);
    const namespace = this.namespaceFor(ctx, metadata);
    const ref = { group: type.group, resource: type.resource, name };
    if (this.objects.has(objectKey(type, namespace, name))) throw statusErrors.alreadyExists(ref);
    const object = structuredClone(body);
    object.metadata = { ...metadata, name, ...(namespace ? { namespace } : {}) };
    delete (object.metadata as JsonObject).managedFields;
    if (type.statusSubresource && type.schema) delete object.status;
    const prepared = this.admit(ctx, name, object, null);
    const now = timestamp();
    const managers = recordUpdate({
      before: null,
      after: prepared,
      managers: [],
      schema: schemaOf(type),
      manager: managerOf(ctx),
      apiVersion: apiVersionOf(type),
      now,
      excludeStatus: type.statusSubresource,
    });
    Object.assign(prepared.metadata as JsonObject, { uid: randomUUID(), creationTimestamp: now, ...(type.generation ? { generation: 1 } : {}) });
    return this.commit(ctx, null, { object: prepared, managers }, "ADDED");
  }

  private update(ctx: Ctx, name: string, body: JsonObject, subresource: string | undefined): JsonObject {
    const { type } = ctx;
    checkKind(type, body);
    const live = this.mustGet(ctx, name);
    const metadata = isPlainObject(body.metadata) ? body.metadata : {};
    if (metadata.name !== undefined && metadata.name !== name)
      throw statusErrors.badRequest(`the name of the object (${String(metadata.name)}) does not match the name on the URL (${name})`);
    const rv = metadata.resourceVersion;
    if (rv === undefined || rv === "") {
      if (type.schema || type.group === "apiextensions.k8s.io") {
        throw statusErrors.invalid(type.kind, type.group, name, [
          { reason: "FieldValueInvalid", message: "Invalid value: 0x0: must be specified for an update", field: "metadata.resourceVersion" },
        ]);
      }
    } else if (rv !== (live.object.metadata as JsonObject).resourceVersion)
      throw statusErrors.staleResourceVersion({ group: type.group, resource: type.resource, name });
    let next: JsonObject;
    if (subresource === "status") next = { ...structuredClone(live.object), status: structuredClone(body.status) };
    else {
      next = structuredClone(body);
      next.metadata = { ...metadata, ...serverMetadata(live.object) };
      delete (next.metadata as JsonObject).managedFields;
      if (type.statusSubresource) next.status = structuredClone(live.object.status);
      if (next.status === undefined) delete next.status;
    }
    return this.commitUpdate(ctx, live, next, subresource);
  }

  private patch(ctx: Ctx, name: string, body: Buffer, subresource: string | undefined): { code: number; object: JsonObject } {
    const { type, info } = ctx;
    const force = info.query.get("force");
    if (info.contentType === "application/apply-patch+yaml" || info.contentType === "application/apply-patch+cbor") {
      return this.apply(ctx, name, body, subresource, force === "true");
    }
    if (force !== null) throw statusErrors.badRequest("force parameter is only allowed for apply patches");
    const live = this.mustGet(ctx, name);
    let next: JsonObject;
    if (info.contentType === "application/merge-patch+json" || (info.contentType === "application/strategic-merge-patch+json" && !type.schema)) {
      const patch = parseJsonBody(body);
      const patchRv = getAt(patch, ["metadata", "resourceVersion"]);
      if (typeof patchRv === "string" && patchRv !== (live.object.metadata as JsonObject).resourceVersion) {
        throw statusErrors.staleResourceVersion({ group: type.group, resource: type.resource, name });
      }
      next = mergePatch(structuredClone(live.object), patch) as JsonObject;
    } else if (info.contentType === "application/json-patch+json") {
      next = jsonPatch(structuredClone(live.object), parseJson(body));
    } else throw statusErrors.unsupportedMediaType(info.contentType || "none");
    if (subresource === "status") next = { ...structuredClone(live.object), status: next.status };
    else {
      next.metadata = { ...(isPlainObject(next.metadata) ? next.metadata : {}), ...serverMetadata(live.object) };
      if (type.statusSubresource) {
        if (live.object.status === undefined) delete next.status;
        else next.status = structuredClone(live.object.status);
      }
    }
    return { code: 200, object: this.commitUpdate(ctx, live, next, subresource) };
  }

  private apply(ctx: Ctx, name: string, body: Buffer, subresource: string | undefined, force: boolean): { code: number; object: JsonObject } {
    const { type, info } = ctx;
    const manager = info.query.get("fieldManager");
    if (!manager) throw statusErrors.badRequest("PATCH, application/apply-patch+yaml: fieldManager must be set for apply patches");
    if (manager.length > 128) throw statusErrors.badRequest("fieldManager: Too long: must have at most 128 bytes");
    let applied: unknown;
    try {
      applied = parseYaml(body.toString("utf8"));
    } catch (error) {
      throw statusErrors.badRequest(`error decoding YAML: ${(error as Error).message}`);
    }
    if (!isPlainObject(applied)) throw statusErrors.badRequest("error decoding YAML: the apply configuration must be an object");
    checkKind(type, applied, true);
    const metadata = isPlainObject(applied.metadata) ? applied.metadata : {};
    if (metadata.name !== undefined && metadata.name !== name)
      throw statusErrors.badRequest(`the name of the object (${String(metadata.name)}) does not match the name on the URL (${name})`);
    if (metadata.managedFields !== undefined) throw statusErrors.badRequest("metadata.managedFields must be nil");
    const key = objectKey(type, type.namespaced ? ctx.namespace : null, name);
    const live = this.objects.get(key) ?? null;
    const ref = { group: type.group, resource: type.resource, name };
    if (!live && subresource === "status") throw statusErrors.notFound(ref);
    if (live && typeof metadata.resourceVersion === "string" && metadata.resourceVersion !== (live.object.metadata as JsonObject).resourceVersion) {
      throw statusErrors.staleResourceVersion(ref);
    }
    const config: JsonObject =
      subresource === "status" ? { apiVersion: applied.apiVersion, kind: applied.kind, metadata: { name }, status: applied.status } : structuredClone(applied);
    if (isPlainObject(config.metadata)) {
      delete config.metadata.resourceVersion;
      delete config.metadata.name;
      delete config.metadata.namespace;
    }
    // The applied configuration is typed with the schema first: a field it does not declare is
    // refused (a plain error, so HTTP 500, on every release up to 1.35), never pruned silently.
    const undeclared = type.schema?.undeclared(config) ?? [];
    if (undeclared.length > 0) {
      const gvk = `${apiVersionOf(type)}, Kind=${type.kind}`;
      throw statusErrors.internalPlain(
        `failed to create typed patch object (${ctx.namespace ? `${ctx.namespace}/` : ""}${name}; ${gvk}): ${undeclared[0]}: field not declared in schema`,
      );
    }
    const now = timestamp();
    const result = serverSideApply({
      live: live?.object ?? null,
      managers: live?.managers ?? [],
      applied: config,
      schema: schemaOf(type),
      manager,
      force,
      apiVersion: apiVersionOf(type),
      now,
      excludeStatus: type.statusSubresource && subresource !== "status",
      ...(subresource ? { subresource } : {}),
    });
    if (result.conflicts.length > 0 && !force) throw statusErrors.applyConflicts(result.conflicts);

    if (!live) {
      const namespace = this.namespaceFor(ctx, metadata);
      const object = result.object;
      object.apiVersion = applied.apiVersion;
      object.kind = applied.kind;
      object.metadata = { ...(isPlainObject(object.metadata) ? object.metadata : {}), name, ...(namespace ? { namespace } : {}) };
      if (type.statusSubresource && type.schema) delete object.status;
      const prepared = this.admit(ctx, name, object, null);
      Object.assign(prepared.metadata as JsonObject, { uid: randomUUID(), creationTimestamp: now, ...(type.generation ? { generation: 1 } : {}) });
      return { code: 201, object: this.commit(ctx, null, { object: prepared, managers: result.managers }, "ADDED") };
    }
    const next = result.object;
    next.metadata = { ...(isPlainObject(next.metadata) ? next.metadata : {}), ...serverMetadata(live.object) };
    return { code: 200, object: this.commitChange(ctx, live, next, result.managers) };
  }

  private delete(ctx: Ctx, name: string): object {
    const live = this.mustGet(ctx, name);
    const { type } = ctx;
    if (ctx.dryRun) return type.schema ? this.render(live) : successStatus({ name, group: type.group, kind: type.resource });
    const key = objectKey(type, type.namespaced ? ctx.namespace : null, name);
    this.objects.delete(key);
    const rv = ++this.revision;
    const gone = this.render({
      object: { ...live.object, metadata: { ...(live.object.metadata as JsonObject), resourceVersion: String(rv) } },
      managers: live.managers,
    });
    this.emit(rv, "DELETED", type, ctx.namespace, gone);
    if (type.resource === "customresourcedefinitions") this.unregisterCrd(name);
    if (type.resource === "namespaces") {
      for (const [otherKey, stored] of [...this.objects]) {
        if ((stored.object.metadata as JsonObject).namespace !== name) continue;
        this.objects.delete(otherKey);
        const owner = this.typeOfStored(otherKey);
        if (owner) this.emit(++this.revision, "DELETED", owner, name, this.render(stored));
      }
    }
    return type.schema ? gone : successStatus({ name, group: type.group, kind: type.resource });
  }

  // ---- shared steps ------------------------------------------------------------------------

  private commitUpdate(ctx: Ctx, live: Stored, next: JsonObject, subresource: string | undefined): JsonObject {
    const { type } = ctx;
    const managers = recordUpdate({
      before: live.object,
      after: next,
      managers: live.managers,
      schema: schemaOf(type),
      manager: managerOf(ctx),
      apiVersion: apiVersionOf(type),
      now: timestamp(),
      excludeStatus: type.statusSubresource && subresource !== "status",
      ...(subresource ? { subresource } : {}),
    });
    return this.commitChange(ctx, live, next, managers);
  }

  /** Validates, skips a no-op (same object, same owners: no new resourceVersion, no event), bumps generation on spec changes. */
  private commitChange(ctx: Ctx, live: Stored, next: JsonObject, managers: ManagerEntry[]): JsonObject {
    const { type } = ctx;
    const name = (live.object.metadata as JsonObject).name as string;
    const prepared = this.admit(ctx, name, next, live.object);
    const sameOwners = isDeepStrictEqual(
      managers.map((m) => [m.manager, m.operation, m.subresource, [...m.fields].sort()]),
      live.managers.map((m) => [m.manager, m.operation, m.subresource, [...m.fields].sort()]),
    );
    if (isDeepStrictEqual(prepared, live.object) && sameOwners) return this.render(live);
    if (type.generation && !isDeepStrictEqual(withoutMetaAndStatus(prepared), withoutMetaAndStatus(live.object))) {
      (prepared.metadata as JsonObject).generation = (((live.object.metadata as JsonObject).generation as number | undefined) ?? 1) + 1;
    }
    return this.commit(ctx, live, { object: prepared, managers }, "MODIFIED");
  }

  private commit(ctx: Ctx, live: Stored | null, next: Stored, event: "ADDED" | "MODIFIED"): JsonObject {
    const { type } = ctx;
    const metadata = next.object.metadata as JsonObject;
    const namespace = (metadata.namespace as string | undefined) ?? null;
    if (ctx.dryRun) {
      // Answer as if stored: the live resourceVersion for an update, none for a create.
      if (!live) delete metadata.resourceVersion;
      return this.render(next);
    }
    if (type.resource === "customresourcedefinitions") this.registerCrd(next.object);
    const rv = ++this.revision;
    metadata.resourceVersion = String(rv);
    this.objects.set(objectKey(type, type.namespaced ? namespace : null, metadata.name as string), next);
    const rendered = this.render(next);
    this.emit(rv, event, type, namespace, rendered);
    for (const listener of this.commitListeners) listener({ type: event, apiVersion: apiVersionOf(type), kind: type.kind, object: structuredClone(rendered) });
    return rendered;
  }

  /**
   * Admission, in the real server's order: built-in validation and conversion (a Secret's
   * stringData), structural pruning and defaulting, OpenAPI and CEL validation → 422 with
   * causes; then the validating webhooks (`old`: the stored object of an update).
   */
  private admit(ctx: Ctx, name: string, object: JsonObject, old: JsonObject | null): JsonObject {
    const { type } = ctx;
    const causes: StatusCause[] = [];
    if (type.group === "rbac.authorization.k8s.io") {
      // RBAC names are path segments ("system:controller:…" is valid): no "/" or "%", not "." or "..".
      if (name === "." || name === ".." || /[/%]/.test(name)) {
        causes.push({
          reason: "FieldValueInvalid",
          message: `Invalid value: "${name}": may not contain '/' or '%', and may not be '.' or '..'`,
          field: "metadata.name",
        });
      }
    } else {
      const pattern = type.resource === "namespaces" ? DNS_LABEL : DNS_SUBDOMAIN;
      const limit = type.resource === "namespaces" ? 63 : 253;
      if (!pattern.test(name) || name.length > limit) {
        causes.push({
          reason: "FieldValueInvalid",
          message: `Invalid value: "${name}": a lowercase RFC 1123 ${type.resource === "namespaces" ? "label" : "subdomain"} must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
          field: "metadata.name",
        });
      }
    }
    const metadata = isPlainObject(object.metadata) ? object.metadata : {};
    for (const field of ["labels", "annotations"]) {
      const map = metadata[field];
      if (map === undefined) continue;
      // ObjectMeta's maps are omitempty: an empty one is not stored.
      if (isPlainObject(map) && Object.keys(map).length === 0) {
        delete metadata[field];
        continue;
      }
      if (!isPlainObject(map) || Object.values(map).some((v) => typeof v !== "string")) {
        causes.push({ reason: "FieldValueTypeInvalid", message: "Invalid value: must be a map of strings", field: `metadata.${field}` });
      }
    }
    if (type.validate) causes.push(...type.validate(object));
    let result = object;
    type.prepare?.(result);
    if (type.schema) {
      result = type.schema.normalise(object);
      causes.push(...type.schema.validate(result, old));
    }
    if (causes.length > 0) throw statusErrors.invalid(type.kind, type.group, name, causes);
    this.callWebhooks(ctx, name, result, old);
    return result;
  }

  private callWebhooks(ctx: Ctx, name: string, object: JsonObject, old: JsonObject | null): void {
    if (!ctx.principal || ctx.info.path.endsWith("/status")) return;
    const { type } = ctx;
    const request: AdmissionRequest = {
      operation: old ? "UPDATE" : "CREATE",
      kind: { group: type.group, version: type.version, kind: type.kind },
      resource: { group: type.group, version: type.version, resource: type.resource },
      name,
      namespace: type.namespaced ? ctx.namespace : null,
      object: structuredClone(object),
      oldObject: old ? structuredClone(old) : null,
      dryRun: ctx.dryRun,
      userInfo: { username: ctx.principal.username, groups: [...ctx.principal.groups] },
    };
    for (const webhook of this.webhooks) {
      const denial = webhook.review(request);
      if (!denial) continue;
      const status = denialStatus(webhook.name, denial);
      throw new KubeHttpError(status.code, status.reason, status.message);
    }
  }

  private namespaceFor(ctx: Ctx, metadata: JsonObject): string | null {
    if (!ctx.type.namespaced) return null;
    const namespace = ctx.namespace!;
    if (metadata.namespace !== undefined && metadata.namespace !== namespace) {
      throw statusErrors.badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
    const nsType = this.types.find((t) => t.resource === "namespaces")!;
    if (!this.objects.has(objectKey(nsType, null, namespace))) throw statusErrors.notFound({ group: "", resource: "namespaces", name: namespace });
    return namespace;
  }

  private mustGet(ctx: Ctx, name: string): Stored {
    const stored = this.objects.get(objectKey(ctx.type, ctx.type.namespaced ? ctx.namespace : null, name));
    if (!stored) throw statusErrors.notFound({ group: ctx.type.group, resource: ctx.type.resource, name });
    return stored;
  }

  private storedOf(type: ResourceType, namespace: string | null): Stored[] {
    const prefix = `${typeKeyOf(type)}|${type.namespaced && namespace !== null ? namespace : ""}|`;
    const all = type.namespaced && namespace === null;
    return [...this.objects].filter(([key]) => (all ? key.startsWith(`${typeKeyOf(type)}|`) : key.startsWith(prefix))).map(([, stored]) => stored);
  }

  private typeOfStored(key: string): ResourceType | undefined {
    const [group, resource] = key.split("|");
    return this.types.find((t) => t.group === group && t.resource === resource);
  }

  private render(stored: Stored): JsonObject {
    const object = structuredClone(stored.object);
    const metadata = isPlainObject(object.metadata) ? object.metadata : {};
    if (stored.managers.length > 0) metadata.managedFields = renderManagedFields(stored.managers);
    object.metadata = metadata;
    return object;
  }

  private emit(rv: number, type: WatchEvent["type"], resourceType: ResourceType, namespace: string | null, object: JsonObject): void {
    const event: WatchEvent = { rv, type, typeKey: typeKeyOf(resourceType), namespace, object };
    this.history.push(event);
    if (this.history.length > (this.options.historySize ?? 1000)) this.compactedRevision = this.history.shift()!.rv;
    for (const watcher of this.watchers) {
      if (watcher.typeKey !== event.typeKey) continue;
      if (watcher.namespace !== null && watcher.namespace !== namespace) continue;
      if (!watcher.matches(object)) continue;
      watcher.response.write(`${JSON.stringify({ type, object })}\n`);
    }
  }

  private registerCrd(crd: JsonObject): void {
    const name = (crd.metadata as JsonObject).name as string;
    const added = typesFromCrd(crd);
    if (this.options.crdEstablishDelayMs && !this.types.some((t) => t.crdName === name))
      this.establishing.set(name, Date.now() + this.options.crdEstablishDelayMs);
    this.types = [...this.types.filter((t) => t.crdName !== name), ...added];
    const names = (crd.spec as JsonObject).names as JsonObject;
    crd.status = {
      conditions: [
        { type: "NamesAccepted", status: "True", reason: "NoConflicts", message: "no conflicts found", lastTransitionTime: timestamp() },
        {
          type: "Established",
          status: "True",
          reason: "InitialNamesAccepted",
          message: "the initial names have been accepted",
          lastTransitionTime: timestamp(),
        },
      ],
      acceptedNames: {
        plural: names.plural,
        singular: names.singular ?? String(names.kind).toLowerCase(),
        kind: names.kind,
        ...(names.shortNames ? { shortNames: names.shortNames } : {}),
      },
      storedVersions: ((crd.spec as JsonObject).versions as JsonObject[]).filter((v) => v.storage === true).map((v) => v.name),
    };
  }

  private unregisterCrd(name: string): void {
    const removed = this.types.filter((t) => t.crdName === name);
    this.types = this.types.filter((t) => t.crdName !== name);
    for (const type of removed) {
      for (const [key, stored] of [...this.objects]) {
        if (!key.startsWith(`${typeKeyOf(type)}|`)) continue;
        this.objects.delete(key);
        this.emit(++this.revision, "DELETED", type, ((stored.object.metadata as JsonObject).namespace as string | undefined) ?? null, this.render(stored));
      }
    }
  }

  private seedNamespace(name: string): void {
    const now = timestamp();
    const object: JsonObject = {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name, uid: randomUUID(), creationTimestamp: now, resourceVersion: String(++this.revision), labels: { "kubernetes.io/metadata.name": name } },
      spec: { finalizers: ["kubernetes"] },
      status: { phase: "Active" },
    };
    this.objects.set(
      objectKey(
        this.types.find((t) => t.resource === "namespaces")!,
        null,
        name,
      ),
      { object, managers: [] },
    );
  }
}

interface Ctx {
  type: ResourceType;
  namespace: string | null;
  dryRun: boolean;
  info: RequestInfo;
  /** null: a write by the test itself (store()), outside any request. */
  req: http.IncomingMessage | null;
  principal: { username: string; groups: string[] } | null;
}

const schemaOf = (type: ResourceType): SchemaNode => type.schema?.schema ?? null;

function verbOf(info: RequestInfo, item: boolean): string {
  const watch = info.query.get("watch");
  switch (info.method) {
    case "GET":
      return item ? "get" : watch === "true" || watch === "1" ? "watch" : "list";
    case "POST":
      return item ? "unsupported" : "create";
    case "PUT":
      return item ? "update" : "unsupported";
    case "PATCH":
      return item ? "patch" : "unsupported";
    case "DELETE":
      return item ? "delete" : "deletecollection";
    default:
      return "unsupported";
  }
}

/** Without ?fieldManager, an update is owned by the client's user agent (its first word), as on the real server. */
function managerOf(ctx: Ctx): string {
  const explicit = ctx.info.query.get("fieldManager");
  if (explicit) return explicit;
  const agent = ctx.req?.headers["user-agent"] ?? "unknown";
  return agent.split("/")[0]!.trim() || "unknown";
}

function serverMetadata(object: JsonObject): JsonObject {
  const metadata = object.metadata as JsonObject;
  const keep: JsonObject = {};
  for (const key of ["name", "namespace", "uid", "creationTimestamp", "resourceVersion", "generation"])
    if (metadata[key] !== undefined) keep[key] = metadata[key];
  return keep;
}

function withoutMetaAndStatus(object: JsonObject): JsonObject {
  const rest = { ...object };
  delete rest.metadata;
  delete rest.status;
  return rest;
}

function checkKind(type: ResourceType, body: JsonObject, required = false): void {
  const expected = apiVersionOf(type);
  if ((required || body.apiVersion !== undefined) && body.apiVersion !== expected) {
    throw statusErrors.badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${expected})`);
  }
  if ((required || body.kind !== undefined) && body.kind !== type.kind) {
    throw statusErrors.badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${type.kind})`);
  }
}

function selectorOf(query: URLSearchParams): (object: JsonObject) => boolean {
  const fields = parseSelector(query.get("fieldSelector"));
  const labels = parseSelector(query.get("labelSelector"));
  return (object) => {
    const metadata = (object.metadata ?? {}) as JsonObject;
    const objectLabels = (metadata.labels ?? {}) as Record<string, string>;
    for (const { key, value, negate } of fields) {
      const actual = key === "metadata.name" ? metadata.name : key === "metadata.namespace" ? metadata.namespace : undefined;
      if ((actual === value) === negate) return false;
    }
    for (const { key, value, negate } of labels) {
      if (value === null) {
        if (key in objectLabels === negate) return false;
      } else if ((objectLabels[key] === value) === negate) return false;
    }
    return true;
  };
}

function parseSelector(text: string | null): Array<{ key: string; value: string | null; negate: boolean }> {
  if (!text) return [];
  return text.split(",").map((term) => {
    const m = /^\s*(!?)([^!=\s]+)\s*(?:(==|=|!=)\s*(\S*))?\s*$/.exec(term);
    if (!m) throw statusErrors.badRequest(`unable to parse requirement: ${term}`);
    if (m[3] === undefined) return { key: m[2]!, value: null, negate: m[1] === "!" };
    return { key: m[2]!, value: m[4] ?? "", negate: m[3] === "!=" };
  });
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new KubeHttpError(413, "RequestEntityTooLarge", `Request entity too large: limit is ${MAX_BODY_BYTES}`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw statusErrors.badRequest(`couldn't get version/kind; json parse error: ${(error as Error).message}`);
  }
}

function parseJsonBody(body: Buffer): JsonObject {
  const value = parseJson(body);
  if (!isPlainObject(value)) throw statusErrors.badRequest("the body of the request must be a JSON object");
  return value;
}

/** RFC 7386. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const result: JsonObject = isPlainObject(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** RFC 6902 (add, remove, replace, test) — enough for kubectl-style edits in tests. */
function jsonPatch(target: JsonObject, operations: unknown): JsonObject {
  if (!Array.isArray(operations)) throw statusErrors.badRequest("the JSON patch must be a list of operations");
  for (const op of operations as JsonObject[]) {
    const pointer = String(op.path ?? "")
      .split("/")
      .slice(1)
      .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
    if (pointer.length === 0) throw statusErrors.badRequest("JSON patch paths must not be empty");
    let parent: unknown = target;
    for (const key of pointer.slice(0, -1)) parent = Array.isArray(parent) ? parent[Number(key)] : isPlainObject(parent) ? parent[key] : undefined;
    const last = pointer[pointer.length - 1]!;
    if (!isPlainObject(parent) && !Array.isArray(parent))
      throw new KubeHttpError(422, "Invalid", `the server rejected our request due to an error in our request: path ${String(op.path)} does not exist`);
    const list = Array.isArray(parent) ? (parent as unknown[]) : null;
    const map = list ? null : (parent as JsonObject);
    const index = last === "-" && list ? list.length : Number(last);
    const current = list ? list[index] : map![last];
    switch (op.op) {
      case "add":
        if (list) list.splice(index, 0, op.value);
        else map![last] = op.value;
        break;
      case "replace":
        if (list) list[index] = op.value;
        else map![last] = op.value;
        break;
      case "remove":
        if (list) list.splice(index, 1);
        else delete map![last];
        break;
      case "test":
        if (!isDeepStrictEqual(current, op.value))
          throw new KubeHttpError(
            422,
            "Invalid",
            `the server rejected our request due to an error in our request: test operation failed at ${String(op.path)}`,
          );
        break;
      default:
        throw statusErrors.badRequest(`unsupported JSON patch operation ${String(op.op)}`);
    }
  }
  return target;
}
