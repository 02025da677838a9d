import { z } from "zod";
import { PERMISSIONS } from "@/lib/auth/permissions";
import "./operations";
import { registeredOperations, type Operation } from "./operation";

const problemSchema = {
  type: "object",
  required: ["type", "title", "status", "code", "detail"],
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    code: { type: "string" },
    detail: { type: "string" },
    errors: {
      type: "array",
      items: {
        type: "object",
        required: ["path", "message"],
        properties: {
          path: { type: "string" },
          message: { type: "string" },
          line: { type: "integer", description: "1-based, for fields of a text document such as YAML" },
          column: { type: "integer" },
        },
      },
    },
  },
} as const;

function jsonSchema(schema: z.ZodType, io: "input" | "output") {
  const js = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<string, unknown>;
  delete js.$schema; // the document's own dialect applies
  return js;
}

function parameters(op: Operation) {
  const out: unknown[] = [];
  for (const [location, schema] of [
    ["path", op.params],
    ["query", op.query],
  ] as const) {
    if (!schema) continue;
    const js = jsonSchema(schema, "input") as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, prop] of Object.entries(js.properties ?? {})) {
      out.push({ name, in: location, required: location === "path" || (js.required ?? []).includes(name), schema: prop });
    }
  }
  if (op.ifMatch) {
    out.push({ name: "If-Match", in: "header", required: true, schema: { type: "string" }, description: "ETag of the version edited" });
  }
  return out;
}

function describeAccess(op: Operation): string {
  if (op.access === "public") return "No sign-in required.";
  if (op.access === "authenticated") return "Any signed-in caller.";
  if (op.access === "delivery-target") return "A proxy, with its delivery target's token (`Authorization: Bearer rdt_…`).";
  const roles = Object.entries(PERMISSIONS[op.access]).map(([role, scope]) => `${role} (${scope})`);
  return `Requires \`${op.access}\`: ${roles.join(", ")}.`;
}

/** The OpenAPI 3.1 document, generated from the same zod schemas the handlers enforce. */
export function buildOpenApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of registeredOperations()) {
    const status = String(op.successStatus ?? 200);
    const errorResponses = Object.fromEntries(
      ["400", "401", "403", "404", "409", "413", "415", "422", "428", "429", "503"].map((code) => [
        code,
        { description: "Problem", content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } },
      ]),
    );
    (paths[`/api/v1${op.path}`] ??= {})[op.method.toLowerCase()] = {
      operationId: op.id,
      summary: op.summary,
      description: describeAccess(op),
      tags: [op.tag],
      security: op.access === "public" ? [] : op.access === "delivery-target" ? [{ deliveryTarget: [] }] : [{ session: [] }, { bearer: [] }],
      parameters: parameters(op),
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: {
                "application/json": { schema: jsonSchema(op.body, "input") },
                ...Object.fromEntries(Object.keys(op.textBodies ?? {}).map((type) => [type, { schema: { type: "string" } }])),
              },
            },
          }
        : {}),
      responses: {
        [status]:
          status === "204"
            ? { description: "No content" }
            : {
                description: "Success",
                content: { [op.rawResponse?.mediaType ?? "application/json"]: { schema: jsonSchema(op.response, "output") } },
              },
        ...errorResponses,
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Rampart API", version: "1.0.0", description: "Manage applications, teams, users, tokens and the audit trail." },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "rampart_session" },
        bearer: { type: "http", scheme: "bearer", description: "API token (rpt_…)" },
        deliveryTarget: {
          type: "http",
          scheme: "bearer",
          description: "A proxy delivery target's token (rdt_…), shown once when the target is created or its token rotated",
        },
      },
      schemas: { Problem: problemSchema },
    },
    paths,
  };
}
