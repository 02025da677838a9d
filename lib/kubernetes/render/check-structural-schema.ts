// Checks an OpenAPI v3 schema against Kubernetes' structural-schema rules, so a
// CRD that the API server would refuse fails a unit test instead of an apply.
// Returns every violation with its JSON path; an empty list means structural.

type Schema = Record<string, unknown>;

const TYPES = new Set(["object", "array", "string", "integer", "number", "boolean"]);
const FORBIDDEN_IN_JUNCTORS = ["type", "description", "default", "additionalProperties", "nullable"];
const JUNCTORS = ["allOf", "anyOf", "oneOf", "not"] as const;

export function structuralSchemaViolations(schema: Schema): string[] {
  const violations: string[] = [];
  visit(schema, "#", violations);
  return violations;
}

function isObject(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function visit(node: Schema, path: string, violations: string[]) {
  const preserve = node["x-kubernetes-preserve-unknown-fields"] === true;
  const intOrString = node["x-kubernetes-int-or-string"] === true;
  if (!preserve && !intOrString && typeof node.type !== "string") violations.push(`${path}: no type`);
  if (typeof node.type === "string" && !TYPES.has(node.type)) violations.push(`${path}: type ${node.type}`);
  if (Array.isArray(node.type)) violations.push(`${path}: type is a list`);
  for (const keyword of ["$ref", "$defs", "const", "prefixItems", "$schema"]) {
    if (keyword in node) violations.push(`${path}: ${keyword} is not allowed`);
  }
  if (node.uniqueItems === true) violations.push(`${path}: uniqueItems true is not allowed`);
  if (node.additionalProperties === false) violations.push(`${path}: additionalProperties false is not allowed`);
  if (isObject(node.properties) && node.additionalProperties !== undefined) violations.push(`${path}: properties and additionalProperties together`);
  if (node.type === "array" && !isObject(node.items)) violations.push(`${path}: array without items`);
  if (isObject(node.properties)) {
    for (const [name, child] of Object.entries(node.properties)) {
      if (isObject(child)) visit(child, `${path}/properties/${name}`, violations);
      else violations.push(`${path}/properties/${name}: not a schema`);
    }
  }
  if (isObject(node.items)) visit(node.items, `${path}/items`, violations);
  if (isObject(node.additionalProperties)) visit(node.additionalProperties, `${path}/additionalProperties`, violations);
  for (const junctor of JUNCTORS) {
    const branches = junctor === "not" ? (isObject(node.not) ? [node.not] : []) : ((node[junctor] as Schema[] | undefined) ?? []);
    branches.forEach((branch, index) => checkJunctorBranch(branch, node, `${path}/${junctor}/${index}`, violations));
  }
}

/** Inside allOf/anyOf/oneOf/not only value validations of fields the outer node declares are allowed. */
function checkJunctorBranch(branch: Schema, outer: Schema, path: string, violations: string[]) {
  for (const keyword of FORBIDDEN_IN_JUNCTORS) if (keyword in branch) violations.push(`${path}: ${keyword} inside a junctor`);
  if (isObject(branch.properties)) {
    const declared = isObject(outer.properties) ? outer.properties : {};
    for (const [name, child] of Object.entries(branch.properties)) {
      if (!(name in declared)) violations.push(`${path}/properties/${name}: not declared in the outer schema`);
      else if (isObject(child)) checkJunctorBranch(child, declared[name] as Schema, `${path}/properties/${name}`, violations);
    }
  }
}
