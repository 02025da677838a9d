// What a stored kubeconfig may contain, judged on its text before @kubernetes/client-node
// ever sees it. client-node runs a user's `exec` plugin with the portal's environment,
// reads `token-file` while merely loading the text, and reads every other *-file path
// (client-certificate, client-key, certificate-authority, an auth-provider's tokenFile)
// and sends it to the server the kubeconfig names. So only inline credentials pass:
// token, client-certificate-data + client-key-data, certificate-authority-data and basic
// auth. Every key is on an allow-list (fail closed: a key client-node learns later is
// refused until someone decides it is safe). proxy-url would route the portal's requests
// through a host of the author's choosing; insecure-skip-tls-verify turns off the server's
// authentication and passes only where the operator allows it
// (RAMPART_KUBECONFIG_ALLOW_INSECURE_TLS). The same check runs at registration (422 with
// the field path) and before every use of a stored kubeconfig (kube-client.ts).
// No "server-only": the request schema (lib/delivery/delivery-schemas.ts) runs it.

import { parse as parseYaml } from "yaml";
import type { FieldError } from "@/lib/errors/app-error";
import { knowsOperatorSettings } from "@/lib/outbound/egress-rules";
import { urlTextProblem } from "@/lib/outbound/url-text-problem";

const TOP_LEVEL = new Set(["apiVersion", "kind", "clusters", "contexts", "users", "current-context", "preferences"]);
const CLUSTER_ENTRY = new Set(["name", "cluster"]);
const CLUSTER = new Set(["server", "certificate-authority-data", "tls-server-name", "insecure-skip-tls-verify"]);
const USER_ENTRY = new Set(["name", "user"]);
const USER = new Set(["token", "client-certificate-data", "client-key-data", "username", "password"]);
const CONTEXT_ENTRY = new Set(["name", "context"]);
const CONTEXT = new Set(["cluster", "user", "namespace"]);

/** Why a key is refused, where it is known to be dangerous (the rest: "is not supported"). */
const REFUSED_WHY: Record<string, string> = {
  exec: "runs a command on the portal's host: give a token or a client certificate inline instead",
  "auth-provider": "runs or reads files on the portal's host: give a token or a client certificate inline instead",
  "token-file": "reads a file on the portal's host: put the token itself in `token`",
  tokenFile: "reads a file on the portal's host: put the token itself in `token`",
  "client-certificate": "reads a file on the portal's host: use client-certificate-data",
  "client-key": "reads a file on the portal's host: use client-key-data",
  "certificate-authority": "reads a file on the portal's host: use certificate-authority-data",
  "proxy-url": "sends the portal's requests through another host: the portal connects to the API server itself",
  "insecure-skip-tls-verify":
    "turns off verification of the API server's certificate: give certificate-authority-data (an operator may allow it with RAMPART_KUBECONFIG_ALLOW_INSECURE_TLS=true)",
};

export type KubeconfigCheckOptions = {
  /** RAMPART_KUBECONFIG_ALLOW_INSECURE_TLS: let insecure-skip-tls-verify through. */
  allowInsecureTls?: boolean;
};

/** The operator's setting, read each time (tests and the request schema share it). */
export function kubeconfigCheckOptionsFromEnv(): KubeconfigCheckOptions {
  const value = process.env.RAMPART_KUBECONFIG_ALLOW_INSECURE_TLS;
  // A browser cannot know the setting; the server judges the request again.
  return { allowInsecureTls: !knowsOperatorSettings() || value === "true" || value === "1" };
}

type Issue = { path: (string | number)[]; message: string };

/**
 * Every problem of a kubeconfig's text, each with its path inside the document
 * (`users.0.user.exec`); none means client-node may load it.
 */
export function kubeconfigProblems(text: string, options: KubeconfigCheckOptions = kubeconfigCheckOptionsFromEnv()): Issue[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch {
    return [{ path: [], message: "is not valid YAML" }];
  }
  if (!isObject(doc)) return [{ path: [], message: "must be a kubeconfig (a YAML mapping)" }];
  if (!Array.isArray(doc.clusters) || doc.clusters.length === 0) return [{ path: [], message: "must be a kubeconfig (YAML with at least one cluster)" }];
  const issues: Issue[] = [];
  onlyKeys(doc, TOP_LEVEL, [], issues);

  const names = { clusters: new Set<string>(), users: new Set<string>(), contexts: new Map<string, { cluster: unknown; user: unknown }>() };
  eachEntry(doc, "clusters", CLUSTER_ENTRY, "cluster", issues, (name, cluster, path) => {
    names.clusters.add(name);
    onlyKeys(cluster, CLUSTER, path, issues, (key) => key === "insecure-skip-tls-verify" && (options.allowInsecureTls || cluster[key] === false));
    const server = cluster.server;
    if (typeof server !== "string" || server === "") {
      issues.push({ path: [...path, "server"], message: "is required" });
    } else {
      const problem = urlTextProblem(server, { schemes: ["https:"] });
      if (problem) issues.push({ path: [...path, "server"], message: problem });
    }
    stringOrAbsent(cluster, ["certificate-authority-data", "tls-server-name"], path, issues);
  });
  eachEntry(doc, "users", USER_ENTRY, "user", issues, (name, user, path) => {
    names.users.add(name);
    onlyKeys(user, USER, path, issues);
    stringOrAbsent(user, ["token", "client-certificate-data", "client-key-data", "username", "password"], path, issues);
    if (!!user["client-certificate-data"] !== !!user["client-key-data"]) {
      issues.push({
        path: [...path, user["client-certificate-data"] ? "client-key-data" : "client-certificate-data"],
        message: "a client certificate needs both client-certificate-data and client-key-data",
      });
    }
  });
  eachEntry(doc, "contexts", CONTEXT_ENTRY, "context", issues, (name, context, path) => {
    names.contexts.set(name, { cluster: context.cluster, user: context.user });
    onlyKeys(context, CONTEXT, path, issues);
  });

  const current = doc["current-context"];
  if (typeof current !== "string" || !names.contexts.has(current)) {
    issues.push({ path: ["current-context"], message: "must name one of the contexts" });
  } else {
    const context = names.contexts.get(current)!;
    if (typeof context.cluster !== "string" || !names.clusters.has(context.cluster))
      issues.push({ path: ["current-context"], message: "names a context whose cluster is not in clusters" });
    if (context.user !== undefined && (typeof context.user !== "string" || !names.users.has(context.user))) {
      issues.push({ path: ["current-context"], message: "names a context whose user is not in users" });
    }
  }
  return issues;
}

/** The same problems as field errors under `root` (e.g. `kubeconfig`). */
export function kubeconfigFieldErrors(text: string, root: string, options?: KubeconfigCheckOptions): FieldError[] {
  return kubeconfigProblems(text, options).map((issue) => ({ path: [root, ...issue.path.map(String)].join("."), message: issue.message }));
}

function eachEntry(
  doc: Record<string, unknown>,
  list: "clusters" | "users" | "contexts",
  entryKeys: Set<string>,
  inner: string,
  issues: Issue[],
  visit: (name: string, value: Record<string, unknown>, path: (string | number)[]) => void,
) {
  const entries = doc[list];
  if (entries === undefined || entries === null) return;
  if (!Array.isArray(entries)) {
    issues.push({ path: [list], message: "must be a list" });
    return;
  }
  entries.forEach((entry, index) => {
    if (!isObject(entry)) return void issues.push({ path: [list, index], message: "must be a mapping" });
    onlyKeys(entry, entryKeys, [list, index], issues);
    if (typeof entry.name !== "string" || entry.name === "") issues.push({ path: [list, index, "name"], message: "is required" });
    const value = entry[inner];
    if (!isObject(value)) return void issues.push({ path: [list, index, inner], message: "must be a mapping" });
    visit(String(entry.name), value, [list, index, inner]);
  });
}

function onlyKeys(
  value: Record<string, unknown>,
  allowed: Set<string>,
  path: (string | number)[],
  issues: Issue[],
  pass: (key: string) => boolean = () => false,
) {
  for (const key of Object.keys(value)) {
    if (allowed.has(key) && !(key in REFUSED_WHY)) continue;
    if (pass(key)) continue;
    issues.push({
      path: [...path, key],
      message: `is refused: ${REFUSED_WHY[key] ?? "is not supported (only inline credentials: token, client-certificate-data + client-key-data, certificate-authority-data, username + password)"}`,
    });
  }
}

function stringOrAbsent(value: Record<string, unknown>, keys: string[], path: (string | number)[], issues: Issue[]) {
  for (const key of keys) {
    if (value[key] !== undefined && typeof value[key] !== "string") issues.push({ path: [...path, key], message: "must be a string" });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
