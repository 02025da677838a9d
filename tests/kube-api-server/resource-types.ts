// The kinds the test API server serves: the built-in ones Rampart touches and
// every kind registered by a CustomResourceDefinition. Discovery documents
// (/api, /apis, /apis/<group>/<version>) are rendered from this registry, so a
// CRD appears in discovery the moment it is created and vanishes when deleted.

import { compileCrdSchema, type CompiledCrdSchema } from "./crd-schema.js";
import { isPlainObject, type JsonObject } from "./json-object.js";
import type { StatusCause } from "./kube-status.js";

export interface ResourceType {
  group: string;
  version: string;
  /** Plural, lower-case: the path segment. */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  statusSubresource: boolean;
  /** metadata.generation is kept (custom resources and CRDs). */
  generation: boolean;
  /** Custom resources: prune and validate with the CRD's schema. */
  schema: CompiledCrdSchema | null;
  /** Built-in validation of the fields a real server would check. */
  validate?: (object: JsonObject) => StatusCause[];
  /** Built-in conversion on write (a Secret's stringData into data), in place. */
  prepare?: (object: JsonObject) => void;
  /** The CRD that registered this type. */
  crdName?: string;
}

export const apiVersionOf = (type: Pick<ResourceType, "group" | "version">) => (type.group ? `${type.group}/${type.version}` : type.version);

const VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

function stringMap(object: JsonObject, key: string): StatusCause[] {
  const value = object[key];
  if (value === undefined) return [];
  if (!isPlainObject(value)) return [{ reason: "FieldValueTypeInvalid", message: `Invalid value: must be a map of strings`, field: key }];
  return Object.entries(value)
    .filter(([, v]) => typeof v !== "string")
    .map(([k]) => ({ reason: "FieldValueTypeInvalid", message: `Invalid value: must be a string`, field: `${key}[${k}]` }));
}

function base64Values(object: JsonObject, key: string): StatusCause[] {
  const value = object[key];
  if (!isPlainObject(value)) return [];
  return Object.entries(value)
    .filter(([, v]) => typeof v === "string" && !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(v))
    .map(([k]) => ({ reason: "FieldValueInvalid", message: "Invalid value: illegal base64 data", field: `${key}[${k}]` }));
}

/**
 * A Secret's stringData is write-only: the API server merges it into data (base64, its
 * keys winning over data's) and never stores or returns it (core/v1 conversion).
 */
function mergeStringData(object: JsonObject): void {
  if (object.stringData === undefined) return;
  if (isPlainObject(object.stringData)) {
    const data = isPlainObject(object.data) ? object.data : {};
    for (const [key, value] of Object.entries(object.stringData)) if (typeof value === "string") data[key] = Buffer.from(value, "utf8").toString("base64");
    object.data = data;
  }
  delete object.stringData;
}

function listOfObjects(object: JsonObject, key: string, required: readonly string[]): StatusCause[] {
  const value = object[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) return [{ reason: "FieldValueTypeInvalid", message: "Invalid value: must be a list", field: key }];
  const causes: StatusCause[] = [];
  value.forEach((item, index) => {
    for (const field of required) {
      if (!isPlainObject(item) || item[field] === undefined)
        causes.push({ reason: "FieldValueRequired", message: "Required value", field: `${key}[${index}].${field}` });
    }
  });
  return causes;
}

function builtin(
  group: string,
  version: string,
  resource: string,
  singular: string,
  kind: string,
  namespaced: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return { group, version, resource, singular, kind, namespaced, shortNames: [], statusSubresource: false, generation: false, schema: null, ...extra };
}

export function builtinTypes(): ResourceType[] {
  return [
    builtin("", "v1", "namespaces", "namespace", "Namespace", false, { shortNames: ["ns"], statusSubresource: true }),
    builtin("", "v1", "configmaps", "configmap", "ConfigMap", true, {
      shortNames: ["cm"],
      validate: (o) => [...stringMap(o, "data"), ...stringMap(o, "binaryData")],
    }),
    builtin("", "v1", "secrets", "secret", "Secret", true, {
      validate: (o) => [...stringMap(o, "data"), ...base64Values(o, "data"), ...stringMap(o, "stringData")],
      prepare: mergeStringData,
    }),
    builtin("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true, { shortNames: ["sa"] }),
    builtin("rbac.authorization.k8s.io", "v1", "roles", "role", "Role", true, { validate: (o) => listOfObjects(o, "rules", ["verbs"]) }),
    builtin("rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding", "RoleBinding", true, {
      validate: (o) => [
        ...(isPlainObject(o.roleRef) ? [] : [{ reason: "FieldValueRequired", message: "Required value", field: "roleRef" }]),
        ...listOfObjects(o, "subjects", ["kind", "name"]),
      ],
    }),
    builtin("rbac.authorization.k8s.io", "v1", "clusterroles", "clusterrole", "ClusterRole", false, { validate: (o) => listOfObjects(o, "rules", ["verbs"]) }),
    builtin("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false, {
      validate: (o) => listOfObjects(o, "subjects", ["kind", "name"]),
    }),
    builtin("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition", false, {
      shortNames: ["crd", "crds"],
      statusSubresource: true,
      generation: true,
      validate: validateCrd,
    }),
  ];
}

/** The checks the real server makes before a CRD is accepted (the ones a generated CRD could get wrong). */
export function validateCrd(crd: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const spec = isPlainObject(crd.spec) ? crd.spec : null;
  if (!spec) return [{ reason: "FieldValueRequired", message: "Required value", field: "spec" }];
  const names = isPlainObject(spec.names) ? spec.names : {};
  const group = typeof spec.group === "string" ? spec.group : "";
  if (!group || !group.includes("."))
    causes.push({ reason: "FieldValueInvalid", message: `Invalid value: "${group}": should be a domain with at least one dot`, field: "spec.group" });
  for (const field of ["plural", "kind"]) {
    if (typeof names[field] !== "string" || names[field] === "")
      causes.push({ reason: "FieldValueRequired", message: "Required value", field: `spec.names.${field}` });
  }
  const metadata = isPlainObject(crd.metadata) ? crd.metadata : {};
  if (typeof names.plural === "string" && metadata.name !== `${names.plural}.${group}`) {
    causes.push({
      reason: "FieldValueInvalid",
      message: `Invalid value: "${String(metadata.name)}": must be spec.names.plural+"."+spec.group`,
      field: "metadata.name",
    });
  }
  if (spec.scope !== "Namespaced" && spec.scope !== "Cluster") {
    causes.push({
      reason: "FieldValueNotSupported",
      message: `Unsupported value: "${String(spec.scope)}": supported values: "Cluster", "Namespaced"`,
      field: "spec.scope",
    });
  }
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  if (versions.length === 0)
    causes.push({ reason: "FieldValueRequired", message: "must have exactly one version marked as storage version", field: "spec.versions" });
  if (versions.filter((v) => isPlainObject(v) && v.storage === true).length !== 1) {
    causes.push({ reason: "FieldValueInvalid", message: "must have exactly one version marked as storage version", field: "spec.versions" });
  }
  versions.forEach((version, index) => {
    const schema = isPlainObject(version) && isPlainObject(version.schema) ? version.schema.openAPIV3Schema : undefined;
    if (!isPlainObject(schema)) {
      causes.push({ reason: "FieldValueRequired", message: "Required value: schemas are required", field: `spec.versions[${index}].schema.openAPIV3Schema` });
      return;
    }
    if (schema.type !== "object")
      causes.push({
        reason: "FieldValueInvalid",
        message: 'Invalid value: must be "object" at the root',
        field: `spec.versions[${index}].schema.openAPIV3Schema.type`,
      });
    try {
      compileCrdSchema(schema);
    } catch (error) {
      causes.push({ reason: "FieldValueInvalid", message: (error as Error).message, field: `spec.versions[${index}].schema.openAPIV3Schema` });
    }
  });
  return causes;
}

/** The types a (valid) CRD registers: one per served version. */
export function typesFromCrd(crd: JsonObject): ResourceType[] {
  const spec = crd.spec as JsonObject;
  const names = spec.names as JsonObject;
  const metadata = crd.metadata as JsonObject;
  return (spec.versions as JsonObject[])
    .filter((v) => v.served !== false)
    .map((v) => ({
      group: spec.group as string,
      version: v.name as string,
      resource: names.plural as string,
      singular: (names.singular as string | undefined) ?? (names.kind as string).toLowerCase(),
      kind: names.kind as string,
      namespaced: spec.scope === "Namespaced",
      shortNames: Array.isArray(names.shortNames) ? (names.shortNames as string[]) : [],
      statusSubresource: isPlainObject(v.subresources) && v.subresources.status !== undefined,
      generation: true,
      schema: compileCrdSchema((v.schema as JsonObject).openAPIV3Schema as JsonObject),
      crdName: metadata.name as string,
    }));
}

export function discoveryResource(type: ResourceType): JsonObject[] {
  const main = {
    name: type.resource,
    singularName: type.singular,
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: VERBS,
    ...(type.shortNames.length > 0 ? { shortNames: type.shortNames } : {}),
    storageVersionHash: Buffer.from(`${type.group}/${type.version}/${type.kind}`).toString("base64").slice(0, 11),
  };
  const status = { name: `${type.resource}/status`, singularName: "", namespaced: type.namespaced, kind: type.kind, verbs: ["get", "patch", "update"] };
  return type.statusSubresource ? [main, status] : [main];
}
