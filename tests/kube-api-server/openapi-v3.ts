// /openapi/v3 as kube-apiserver serves it: a discovery document naming one
// OpenAPI 3.0 document per group version (with a content hash in the URL, so
// clients can cache), and each document with the kinds' schemas under
// components.schemas, named by the reversed group ("dev.rampart.v1alpha1.
// RampartPolicy") and tagged with x-kubernetes-group-version-kind. A CRD's
// published schema is its openAPIV3Schema with metadata pointing at ObjectMeta.
// Built-in kinds get a schema that declares only what the test server checks.

import { createHash } from "node:crypto";
import type { JsonObject } from "./json-object.js";
import type { ResourceType } from "./resource-types.js";

const OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

const pathOf = (type: Pick<ResourceType, "group" | "version">) => (type.group ? `apis/${type.group}/${type.version}` : `api/${type.version}`);

function schemaName(type: ResourceType): string {
  if (!type.crdName) return `io.k8s.api.${type.group === "" ? "core" : type.group.split(".")[0]}.${type.version}.${type.kind}`;
  return `${type.group.split(".").reverse().join(".")}.${type.version}.${type.kind}`;
}

function kindSchema(type: ResourceType): JsonObject {
  const gvk = { "x-kubernetes-group-version-kind": [{ group: type.group, version: type.version, kind: type.kind }] };
  const metadata = { $ref: `#/components/schemas/${OBJECT_META}` };
  if (type.schema) {
    const schema = structuredClone(type.schema.schema);
    schema.properties = { ...((schema.properties as JsonObject | undefined) ?? {}), metadata };
    return { ...schema, ...gvk };
  }
  return {
    type: "object",
    properties: { apiVersion: { type: "string" }, kind: { type: "string" }, metadata },
    "x-kubernetes-preserve-unknown-fields": true,
    ...gvk,
  };
}

export function openApiDocument(types: readonly ResourceType[], groupVersionPath: string): JsonObject | null {
  const inVersion = types.filter((type) => pathOf(type) === groupVersionPath.replace(/\/+$/, ""));
  if (inVersion.length === 0) return null;
  const schemas: JsonObject = {
    [OBJECT_META]: {
      type: "object",
      properties: {
        name: { type: "string" },
        namespace: { type: "string" },
        labels: { type: "object", additionalProperties: { type: "string" } },
        annotations: { type: "object", additionalProperties: { type: "string" } },
        resourceVersion: { type: "string" },
        generation: { type: "integer", format: "int64" },
        uid: { type: "string" },
        managedFields: { type: "array", items: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
      },
    },
  };
  const paths: JsonObject = {};
  for (const type of inVersion) {
    schemas[schemaName(type)] = kindSchema(type);
    const prefix = `/${pathOf(type)}${type.namespaced ? "/namespaces/{namespace}" : ""}/${type.resource}`;
    const response = { "200": { description: "OK", content: { "application/json": { schema: { $ref: `#/components/schemas/${schemaName(type)}` } } } } };
    paths[prefix] = { get: { operationId: `list${type.kind}`, responses: { "200": { description: "OK" } } } };
    paths[`${prefix}/{name}`] = {
      get: { operationId: `read${type.kind}`, responses: response },
      patch: { operationId: `patch${type.kind}`, responses: response },
    };
  }
  return { openapi: "3.0.0", info: { title: "Kubernetes", version: "v1.31.0" }, paths, components: { schemas } };
}

export function openApiDiscovery(types: readonly ResourceType[]): JsonObject {
  const paths: JsonObject = {};
  for (const groupVersion of new Set(types.map((type) => pathOf(type)))) {
    const hash = createHash("sha512")
      .update(JSON.stringify(openApiDocument(types, groupVersion)))
      .digest("hex")
      .slice(0, 128)
      .toUpperCase();
    paths[groupVersion] = { serverRelativeURL: `/openapi/v3/${groupVersion}?hash=${hash}` };
  }
  return { paths };
}
