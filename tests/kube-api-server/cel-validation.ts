// x-kubernetes-validations: the CEL rules of a CRD's schema, evaluated the way
// kube-apiserver does after defaulting: `self` is the value at the rule's node
// (typed by the schema: integers are CEL ints, objects maps), `oldSelf` the
// value before an update; a rule that mentions oldSelf is a transition rule
// and is skipped on create or where the old value cannot be correlated (inside
// atomic lists). A failed rule is a 422 cause at the node's field path with the
// rule's message (or messageExpression, reason, fieldPath), "Invalid value:
// \"<type>\": <message>" as the real server writes it.
//
// The evaluator is @bufbuild/cel (a conformance-tested CEL implementation) with
// the strings extension; Kubernetes' own libraries (lists, regex, url,
// quantity, ...) are not there, and a rule using them fails evaluation, loudly.

import { isCelError, run, type CelInput } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
import { isPlainObject, type JsonObject } from "./json-object.js";
import type { StatusCause } from "./kube-status.js";
import { itemSchema, listTypeOf, propertySchema, type SchemaNode } from "./structural-schema.js";

interface Rule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
}

const REASONS: Record<string, { reason: string; prefix: string }> = {
  FieldValueInvalid: { reason: "FieldValueInvalid", prefix: "Invalid value" },
  FieldValueForbidden: { reason: "FieldValueForbidden", prefix: "Forbidden" },
  FieldValueRequired: { reason: "FieldValueRequired", prefix: "Required value" },
  FieldValueDuplicate: { reason: "FieldValueDuplicate", prefix: "Duplicate value" },
};

/** A JSON value as CEL sees it under `schema`. */
export function toCel(value: unknown, schema: SchemaNode): CelInput {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") {
    const integral = schema?.type === "integer" || (schema?.type !== "number" && Number.isInteger(value));
    return integral && Number.isInteger(value) ? BigInt(value) : value;
  }
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.map((item) => toCel(item, itemSchema(schema)));
  if (isPlainObject(value)) return new Map(Object.entries(value).map(([key, child]) => [key, toCel(child, propertySchema(schema, key))]));
  return null;
}

function typeName(value: unknown, schema: SchemaNode): string {
  if (typeof schema?.type === "string") return schema.type;
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function join(path: string, key: string): string {
  return /^\d+$/.test(key) ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`;
}

/** Causes for every failed rule in `object` (old: the stored object on update, for transition rules). */
export function celViolations(object: JsonObject, schema: SchemaNode, old: JsonObject | null): StatusCause[] {
  const causes: StatusCause[] = [];
  const visit = (value: unknown, node: SchemaNode, path: string, oldValue: unknown, root: boolean) => {
    if (!node || value === undefined) return;
    const rules = Array.isArray(node["x-kubernetes-validations"]) ? (node["x-kubernetes-validations"] as Rule[]) : [];
    for (const rule of rules) {
      const transition = /\boldSelf\b/.test(rule.rule);
      if (transition && oldValue === undefined) continue;
      const bindings: Record<string, CelInput> = { self: toCel(value, node), ...(transition ? { oldSelf: toCel(oldValue, node) } : {}) };
      const result = run(rule.rule, bindings, { funcs: strings });
      if (result === true) continue;
      const kind = REASONS[rule.reason ?? "FieldValueInvalid"] ?? REASONS.FieldValueInvalid!;
      const field = rule.fieldPath ? `${path}${rule.fieldPath}` : path;
      let message: string;
      if (isCelError(result)) message = `${kind.prefix}: "${typeName(value, node)}": evaluation error: ${result.message}`;
      else if (result !== false) message = `${kind.prefix}: "${typeName(value, node)}": rule did not evaluate to a bool: ${rule.rule}`;
      else {
        const custom = rule.messageExpression ? run(rule.messageExpression, bindings, { funcs: strings }) : null;
        const text = typeof custom === "string" && custom !== "" ? custom : (rule.message ?? `failed rule: ${rule.rule}`);
        message = kind.prefix === "Invalid value" ? `Invalid value: "${typeName(value, node)}": ${text}` : `${kind.prefix}: ${text}`;
      }
      causes.push({ reason: kind.reason, message, field: field.replace(/^\./, "") });
    }
    if (Array.isArray(value)) {
      const items = itemSchema(node);
      const listType = listTypeOf(node);
      value.forEach((item, index) => {
        // Only entries of a list-type map are correlated with the old list (by key).
        const previous =
          listType.kind === "map" && Array.isArray(oldValue)
            ? oldValue.find((candidate) => isPlainObject(candidate) && isPlainObject(item) && listType.keys.every((k) => candidate[k] === item[k]))
            : undefined;
        visit(item, items, join(path, String(index)), previous, false);
      });
      return;
    }
    if (!isPlainObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if (root && (key === "apiVersion" || key === "kind" || key === "metadata")) continue;
      visit(child, propertySchema(node, key), join(path, key), isPlainObject(oldValue) ? oldValue[key] : undefined, false);
    }
  };
  visit(object, schema, "", old ?? undefined, true);
  return causes;
}
