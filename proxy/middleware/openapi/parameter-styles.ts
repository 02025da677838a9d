// OpenAPI parameter serialisation (style × explode) read back into values the
// schema can validate, with strings coerced to the schema's type. The bundle
// carries each parameter's style and explode with OpenAPI's defaults filled in
// (lib/policy-spec compile-openapi.ts).

import type { ParameterLocation, ParameterStyle } from "@/lib/policy-spec";

export type ValueKind = "string" | "number" | "integer" | "boolean" | "array" | "object" | "null" | "any";

export interface ParameterShape {
  name: string;
  in: ParameterLocation;
  style: ParameterStyle;
  explode: boolean;
  kind: ValueKind;
  /** Kind of array items, or of object property values by name (for coercion). */
  itemKind: ValueKind;
  propertyKinds: ReadonlyMap<string, ValueKind>;
}

/** The schema's primary type, after following $ref in `resolve`. */
export function kindOf(schema: unknown, resolve: (schema: unknown) => Record<string, unknown> | null): ValueKind {
  const s = resolve(schema);
  if (!s) return "any";
  const t = s.type;
  const list = Array.isArray(t) ? t : t === undefined ? [] : [t];
  const primary = list.find((x) => x !== "null");
  if (typeof primary === "string") return primary as ValueKind;
  if (s.properties) return "object";
  if (s.items) return "array";
  for (const key of ["allOf", "oneOf", "anyOf"]) {
    const options = s[key];
    if (Array.isArray(options)) {
      for (const option of options) {
        const kind = kindOf(option, resolve);
        if (kind !== "any") return kind;
      }
    }
  }
  return "any";
}

/** "3" → 3 for number/integer, "true" → true for boolean; anything else stays a string (and fails validation with a clear message). */
export function coerce(value: string, kind: ValueKind): unknown {
  if (kind === "number" || kind === "integer") {
    if (/^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(value) && value.length <= 40) return Number(value);
    return value;
  }
  if (kind === "boolean") return value === "true" ? true : value === "false" ? false : value;
  if (kind === "null") return value === "" ? null : value;
  return value;
}

function coerceAll(values: string[], kind: ValueKind): unknown[] {
  return values.map((v) => coerce(v, kind));
}

function pairsToObject(values: string[], shape: ParameterShape): Record<string, unknown> | string {
  if (values.length % 2 !== 0) return values.join(",");
  const out: Record<string, unknown> = {};
  for (let i = 0; i < values.length; i += 2) out[values[i]!] = coerce(values[i + 1]!, shape.propertyKinds.get(values[i]!) ?? "any");
  return out;
}

function assignmentsToObject(items: string[], shape: ParameterShape): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of items) {
    const eq = item.indexOf("=");
    const key = eq < 0 ? item : item.slice(0, eq);
    out[key] = coerce(eq < 0 ? "" : item.slice(eq + 1), shape.propertyKinds.get(key) ?? "any");
  }
  return out;
}

/** A path segment value or header value ("simple"), or a path segment in "label"/"matrix" style. */
export function readScalarStyle(raw: string, shape: ParameterShape): unknown {
  let text = raw;
  let separator = ",";
  if (shape.style === "label") {
    if (!text.startsWith(".")) return raw;
    text = text.slice(1);
    if (shape.explode) separator = ".";
  } else if (shape.style === "matrix") {
    const prefix = `;${shape.name}`;
    if (shape.kind === "object" && shape.explode) {
      return assignmentsToObject(
        text.split(";").filter((p) => p.length > 0),
        shape,
      );
    }
    if (!text.startsWith(prefix)) return raw;
    if (shape.kind === "array" && shape.explode) {
      return coerceAll(
        text
          .split(";")
          .filter((p) => p.length > 0)
          .map((p) => p.slice(p.indexOf("=") + 1)),
        shape.itemKind,
      );
    }
    text = text.slice(prefix.length + 1);
  }
  if (shape.kind === "array") return coerceAll(text === "" ? [] : text.split(separator), shape.itemKind);
  if (shape.kind === "object") return shape.explode ? assignmentsToObject(text.split(separator), shape) : pairsToObject(text.split(separator), shape);
  return coerce(text, shape.kind);
}

/**
 * Query parameters for one declared parameter. `all` holds every decoded
 * (name, value) pair of the query; returns the value (undefined when absent)
 * and the names it consumed, so undeclared names can be refused.
 */
export function readQueryParameter(all: ReadonlyArray<readonly [string, string]>, shape: ParameterShape): { value: unknown; consumed: string[] } {
  const name = shape.name;
  if (shape.kind === "object" && shape.style === "deepObject") {
    const out: Record<string, unknown> = {};
    const consumed: string[] = [];
    const prefix = `${name}[`;
    for (const [n, v] of all) {
      if (!n.startsWith(prefix) || !n.endsWith("]")) continue;
      const key = n.slice(prefix.length, -1);
      out[key] = coerce(v, shape.propertyKinds.get(key) ?? "any");
      consumed.push(n);
    }
    return { value: consumed.length > 0 ? out : undefined, consumed };
  }
  if (shape.kind === "object" && shape.explode && shape.style === "form") {
    // Exploded form objects spread their properties as top-level parameters.
    const out: Record<string, unknown> = {};
    const consumed: string[] = [];
    for (const [n, v] of all) {
      const kind = shape.propertyKinds.get(n);
      if (kind === undefined) continue;
      out[n] = coerce(v, kind);
      consumed.push(n);
    }
    return { value: consumed.length > 0 ? out : undefined, consumed };
  }
  const values: string[] = [];
  for (const [n, v] of all) if (n === name) values.push(v);
  if (values.length === 0) return { value: undefined, consumed: [] };
  if (shape.kind === "array") {
    if (shape.explode && shape.style === "form") return { value: coerceAll(values, shape.itemKind), consumed: [name] };
    const separator = shape.style === "spaceDelimited" ? " " : shape.style === "pipeDelimited" ? "|" : ",";
    return {
      value: coerceAll(
        values.flatMap((v) => (v === "" ? [] : v.split(separator))),
        shape.itemKind,
      ),
      consumed: [name],
    };
  }
  if (shape.kind === "object") return { value: pairsToObject(values[values.length - 1]!.split(","), shape), consumed: [name] };
  // A scalar given several times is ambiguous (which one does the application read?): refuse by handing over the list.
  return { value: values.length === 1 ? coerce(values[0]!, shape.kind) : values, consumed: [name] };
}

/** name=value pairs of a query string or form body, decoded ("+" is a space). */
export function decodeFormPairs(text: string, max: number): Array<[string, string]> | null {
  const out: Array<[string, string]> = [];
  if (text.length === 0) return out;
  for (const piece of text.split("&")) {
    if (piece.length === 0) continue;
    if (out.length >= max) return null;
    const eq = piece.indexOf("=");
    const name = formDecode(eq < 0 ? piece : piece.slice(0, eq));
    const value = formDecode(eq < 0 ? "" : piece.slice(eq + 1));
    if (name === null || value === null) return null;
    out.push([name, value]);
  }
  return out;
}

function formDecode(text: string): string | null {
  const plus = text.indexOf("+") >= 0 ? text.replace(/\+/g, " ") : text;
  if (plus.indexOf("%") < 0) return plus;
  try {
    return decodeURIComponent(plus);
  } catch {
    return null;
  }
}
