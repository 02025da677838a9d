// RBAC as kube-apiserver's authorizer decides it, from the Role, ClusterRole,
// RoleBinding and ClusterRoleBinding objects stored in the test server: a
// request (user and groups, verb, API group, resource or resource/subresource,
// namespace, name) is allowed when a binding in its namespace or a cluster
// binding names the user, one of its groups or its service account, and the
// bound role has a rule covering it. ClusterRoles with an aggregationRule take
// the rules of every ClusterRole whose labels match, as the aggregation
// controller would have written them. Non-resource URLs are not modelled.

import { isPlainObject, type JsonObject } from "./json-object.js";

export interface Principal {
  user: string;
  groups: readonly string[];
}

export interface ResourceAttributes {
  verb: string;
  group: string;
  /** "rampartpolicies" or "rampartpolicies/status". */
  resource: string;
  namespace: string | null;
  name: string | null;
}

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
}

export interface RbacObjects {
  roles(namespace: string): JsonObject[];
  roleBindings(namespace: string): JsonObject[];
  clusterRoles(): JsonObject[];
  clusterRoleBindings(): JsonObject[];
}

/** The groups Kubernetes gives every authenticated user, and service accounts in particular. */
export function groupsOf(user: string, extra: readonly string[] = []): string[] {
  const groups = new Set([...extra, "system:authenticated"]);
  const serviceAccount = /^system:serviceaccount:([^:]+):[^:]+$/.exec(user);
  if (serviceAccount) {
    groups.add("system:serviceaccounts");
    groups.add(`system:serviceaccounts:${serviceAccount[1]}`);
  }
  return [...groups];
}

function subjectMatches(subject: unknown, principal: Principal, bindingNamespace: string | null): boolean {
  if (!isPlainObject(subject)) return false;
  switch (subject.kind) {
    case "User":
      return subject.name === principal.user;
    case "Group":
      return typeof subject.name === "string" && principal.groups.includes(subject.name);
    case "ServiceAccount": {
      const namespace = (subject.namespace as string | undefined) ?? bindingNamespace;
      return principal.user === `system:serviceaccount:${namespace}:${String(subject.name)}`;
    }
    default:
      return false;
  }
}

function ruleMatches(rule: PolicyRule, request: ResourceAttributes): boolean {
  const covers = (list: string[] | undefined, value: string) => (list ?? []).some((entry) => entry === "*" || entry === value);
  if (!covers(rule.verbs, request.verb)) return false;
  if (!covers(rule.apiGroups, request.group)) return false;
  // rbac's ResourceMatches: "*", the exact "resource" or "resource/subresource", or "*/subresource".
  const subresource = request.resource.split("/")[1];
  const resourceMatch = (rule.resources ?? []).some(
    (entry) => entry === "*" || entry === request.resource || (subresource !== undefined && entry === `*/${subresource}`),
  );
  if (!resourceMatch) return false;
  if (rule.resourceNames && rule.resourceNames.length > 0) return request.name !== null && rule.resourceNames.includes(request.name);
  return true;
}

function labelsMatch(selector: unknown, labels: Record<string, string>): boolean {
  if (!isPlainObject(selector)) return false;
  const matchLabels = isPlainObject(selector.matchLabels) ? (selector.matchLabels as Record<string, string>) : {};
  return Object.entries(matchLabels).every(([key, value]) => labels[key] === value);
}

function rulesOf(role: JsonObject | undefined, clusterRoles: JsonObject[]): PolicyRule[] {
  if (!role) return [];
  const own = Array.isArray(role.rules) ? (role.rules as PolicyRule[]) : [];
  const aggregation = isPlainObject(role.aggregationRule) ? role.aggregationRule : null;
  if (!aggregation || !Array.isArray(aggregation.clusterRoleSelectors)) return own;
  const aggregated = clusterRoles.filter(
    (candidate) =>
      candidate !== role &&
      (aggregation.clusterRoleSelectors as unknown[]).some((selector) =>
        labelsMatch(selector, ((candidate.metadata as JsonObject).labels ?? {}) as Record<string, string>),
      ),
  );
  return [...own, ...aggregated.flatMap((candidate) => (Array.isArray(candidate.rules) ? (candidate.rules as PolicyRule[]) : []))];
}

export function isAllowed(objects: RbacObjects, principal: Principal, request: ResourceAttributes): boolean {
  const clusterRoles = objects.clusterRoles();
  const clusterRole = (name: unknown) => clusterRoles.find((role) => (role.metadata as JsonObject).name === name);
  for (const binding of objects.clusterRoleBindings()) {
    if (!(binding.subjects as unknown[] | undefined)?.some((subject) => subjectMatches(subject, principal, null))) continue;
    if (rulesOf(clusterRole((binding.roleRef as JsonObject).name), clusterRoles).some((rule) => ruleMatches(rule, request))) return true;
  }
  if (request.namespace === null) return false;
  const roles = objects.roles(request.namespace);
  for (const binding of objects.roleBindings(request.namespace)) {
    if (!(binding.subjects as unknown[] | undefined)?.some((subject) => subjectMatches(subject, principal, request.namespace))) continue;
    const ref = binding.roleRef as JsonObject;
    const role = ref.kind === "ClusterRole" ? clusterRole(ref.name) : roles.find((candidate) => (candidate.metadata as JsonObject).name === ref.name);
    if (rulesOf(role, clusterRoles).some((rule) => ruleMatches(rule, request))) return true;
  }
  return false;
}
