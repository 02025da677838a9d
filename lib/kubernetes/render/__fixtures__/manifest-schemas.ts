// Validates a rendered resource against its published schema: built-in kinds
// with kubernetes-models, CRD-defined kinds with ajv against the vendored
// upstream CRDs (tests/fixtures/kubernetes-schemas/), RampartPolicy against the
// CRD Rampart generates. An unknown kind is an error, so nothing Rampart
// renders can escape validation.

import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { CustomResourceDefinition } from "kubernetes-models/apiextensions.k8s.io/v1";
import { Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { Job } from "kubernetes-models/batch/v1";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from "kubernetes-models/v1";
import YAML from "yaml";
import { crdSchemaToJsonSchema, crdVersionSchema, type OpenApiSchema } from "../crd-schema-to-json-schema";
import { rampartPolicyCrd } from "../render-crd";
import { CONSTRAINT_PARAMETERS_SCHEMA, GATEKEEPER_CONSTRAINT_KIND } from "../render-gatekeeper";

export const SCHEMA_DIR = path.resolve(import.meta.dirname, "../../../../tests/fixtures/kubernetes-schemas");

const BUILT_IN: Record<string, new (data: never) => { validate(): void }> = {
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "v1/Service": Service,
  "v1/ServiceAccount": ServiceAccount,
  "v1/Namespace": Namespace,
  "apps/v1/Deployment": Deployment,
  "batch/v1/Job": Job,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "rbac.authorization.k8s.io/v1/Role": Role,
  "rbac.authorization.k8s.io/v1/RoleBinding": RoleBinding,
  "rbac.authorization.k8s.io/v1/ClusterRole": ClusterRole,
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": ClusterRoleBinding,
  "apiextensions.k8s.io/v1/CustomResourceDefinition": CustomResourceDefinition,
};

const AIRLOCK_FILES: Record<string, string> = {
  DenyRules: "denyrules",
  Limits: "limits",
  Parser: "parsers",
  HeaderRewrites: "headerrewrites",
  ContentSecurityPolicy: "contentsecuritypolicies",
  APIProtection: "apiprotections",
  OpenAPI: "openapis",
  JWT: "jwts",
  JWKS: "jwks",
  AccessControlPolicy: "accesscontrolpolicies",
};

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

function compileOnce(key: string, make: () => OpenApiSchema): ValidateFunction {
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(crdSchemaToJsonSchema(make(), { rejectUnknownFields: true }));
    compiled.set(key, validate);
  }
  return validate;
}

/** The documents of a YAML file; `version: "1.1"` reads it as kubectl and client-go do. */
export function loadYamlDocuments(file: string, options: { version?: "1.1" | "1.2" } = {}): Record<string, unknown>[] {
  return YAML.parseAllDocuments(readFileSync(file, "utf8"), { version: options.version ?? "1.2" })
    .map((document) => document.toJS() as Record<string, unknown> | null)
    .filter((document): document is Record<string, unknown> => document !== null);
}

function vendoredCrd(relative: string): object {
  const [crd] = loadYamlDocuments(path.join(SCHEMA_DIR, relative));
  if (!crd) throw new Error(`no CRD in ${relative}`);
  return crd;
}

function constraintSchema(): OpenApiSchema {
  const base = YAML.parse(readFileSync(path.join(SCHEMA_DIR, "gatekeeper/constraint-base-schema.yaml"), "utf8")) as OpenApiSchema;
  const spec = (base.properties as Record<string, OpenApiSchema>).spec!;
  (spec.properties as Record<string, OpenApiSchema>).parameters = CONSTRAINT_PARAMETERS_SCHEMA;
  return base;
}

function validatorFor(apiVersion: string, kind: string): ValidateFunction | undefined {
  if (apiVersion === "rampart.dev/v1alpha1" && kind === "RampartPolicy") {
    return compileOnce("rampart", () => crdVersionSchema(rampartPolicyCrd(), "v1alpha1"));
  }
  if (apiVersion === "microgateway.airlock.com/v1alpha1" && AIRLOCK_FILES[kind]) {
    return compileOnce(`airlock/${kind}`, () => crdVersionSchema(vendoredCrd(`airlock/${AIRLOCK_FILES[kind]}.microgateway.airlock.com.yaml`), "v1alpha1"));
  }
  if (apiVersion === "kyverno.io/v1" && kind === "ClusterPolicy") {
    return compileOnce("kyverno", () => crdVersionSchema(vendoredCrd("kyverno/kyverno.io_clusterpolicies.yaml"), "v1"));
  }
  if (apiVersion === "templates.gatekeeper.sh/v1" && kind === "ConstraintTemplate") {
    return compileOnce("gatekeeper-template", () => crdVersionSchema(vendoredCrd("gatekeeper/constrainttemplate-customresourcedefinition.yaml"), "v1"));
  }
  if (apiVersion === "constraints.gatekeeper.sh/v1beta1" && kind === GATEKEEPER_CONSTRAINT_KIND) {
    return compileOnce("gatekeeper-constraint", constraintSchema);
  }
  return undefined;
}

/** Schema errors of one resource; an empty list means valid. */
export function manifestSchemaErrors(resource: Record<string, unknown>): string[] {
  const apiVersion = String(resource.apiVersion);
  const kind = String(resource.kind);
  const BuiltIn = BUILT_IN[`${apiVersion}/${kind}`];
  if (BuiltIn) {
    try {
      new BuiltIn(resource as never).validate();
      return [];
    } catch (error) {
      return [`${kind}: ${(error as Error).message}`];
    }
  }
  const validate = validatorFor(apiVersion, kind);
  if (!validate) return [`no published schema known for ${apiVersion} ${kind}`];
  if (validate(resource)) return [];
  return (validate.errors ?? []).map((error) => `${kind} ${error.instancePath || "/"} ${error.message}${error.params ? ` ${JSON.stringify(error.params)}` : ""}`);
}
