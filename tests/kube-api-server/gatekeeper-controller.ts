// What OPA Gatekeeper's controller does that Rampart's delivery depends on: a
// ConstraintTemplate (templates.gatekeeper.sh/v1) makes Gatekeeper create a
// CustomResourceDefinition for its constraint kind (constraints.gatekeeper.sh,
// cluster-scoped, versions v1beta1 stored, v1alpha1 and v1 served) some time
// later, then report status.created. Until then a Constraint of that kind is
// "no matches for kind" — which is why a fresh cluster needs two waves.
//
// The constraint CRD's schema is the fixed part Gatekeeper generates
// (tests/fixtures/kubernetes-schemas/gatekeeper/constraint-base-schema.yaml)
// with the template's parameters schema under spec.parameters.

import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { isPlainObject, type JsonObject } from "./json-object.js";
import type { KubeApiServer } from "./kube-api-server.js";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/kubernetes-schemas/gatekeeper");

export function constraintTemplateCrd(): JsonObject {
  return parse(readFileSync(path.join(FIXTURES, "constrainttemplate-customresourcedefinition.yaml"), "utf8")) as JsonObject;
}

export function constraintCrdOf(template: JsonObject): JsonObject {
  const crd = ((template.spec as JsonObject).crd as JsonObject).spec as JsonObject;
  const kind = (crd.names as JsonObject).kind as string;
  const parameters =
    isPlainObject(crd.validation) && isPlainObject(crd.validation.openAPIV3Schema)
      ? crd.validation.openAPIV3Schema
      : { "x-kubernetes-preserve-unknown-fields": true };
  const schema = parse(readFileSync(path.join(FIXTURES, "constraint-base-schema.yaml"), "utf8")) as JsonObject;
  const spec = (schema.properties as JsonObject).spec as JsonObject;
  (spec.properties as JsonObject).parameters = { type: "object", ...structuredClone(parameters) };
  schema.properties = { ...(schema.properties as JsonObject), status: { type: "object", "x-kubernetes-preserve-unknown-fields": true } };
  const plural = kind.toLowerCase();
  const version = (name: string, storage: boolean) => ({
    name,
    served: true,
    storage,
    subresources: { status: {} },
    schema: { openAPIV3Schema: structuredClone(schema) },
  });
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${plural}.constraints.gatekeeper.sh`, labels: { "gatekeeper.sh/constraint": "yes" } },
    spec: {
      group: "constraints.gatekeeper.sh",
      names: { kind, plural, singular: plural, listKind: `${kind}List`, categories: ["constraint", "constraints"] },
      scope: "Cluster",
      versions: [version("v1beta1", true), version("v1alpha1", false), version("v1", false)],
    },
  };
}

/** Runs the controller until the returned function is called; `delayMs`: how long after a template its constraint kind appears. */
export function runGatekeeperController(server: KubeApiServer, options: { delayMs?: number } = {}): () => void {
  const timers = new Set<NodeJS.Timeout>();
  const stop = server.onCommit((event) => {
    if (event.apiVersion !== "templates.gatekeeper.sh/v1" || event.kind !== "ConstraintTemplate" || event.type === "DELETED") return;
    const template = event.object;
    const generation = (template.metadata as JsonObject).generation;
    const observed = (((template.status as JsonObject | undefined)?.byPod as JsonObject[] | undefined) ?? [])[0]?.observedGeneration;
    if (observed === generation) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      server.store("apiextensions.k8s.io/v1", "CustomResourceDefinition", constraintCrdOf(template));
      const current = server.peek("templates.gatekeeper.sh/v1", "ConstraintTemplate", null, (template.metadata as JsonObject).name as string);
      if (!current) return;
      delete (current.metadata as JsonObject).managedFields;
      server.store("templates.gatekeeper.sh/v1", "ConstraintTemplate", {
        ...current,
        status: { created: true, byPod: [{ id: "gatekeeper-audit", observedGeneration: generation, operations: ["audit", "status"] }] },
      });
    }, options.delayMs ?? 100);
    timers.add(timer);
  });
  return () => {
    stop();
    for (const timer of timers) clearTimeout(timer);
  };
}
