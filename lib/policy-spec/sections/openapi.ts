// The application's OpenAPI 3.0/3.1 description, inline, with its validation mode.
// Only the parts the proxy enforces (paths, operations, parameters, request
// bodies) are checked here. The rest of the document belongs to the OpenAPI
// specification, not to Rampart, so its objects are deliberately not strict.

import { z } from "zod";
import { resolveLocalRef } from "../json-pointer";
import { enforcementModeSchema } from "./policy-fields";

export const OPENAPI_OPERATION_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

const referenceSchema = z.looseObject({ $ref: z.string().startsWith("#/", "only local references (#/...) are supported") });

export const PARAMETER_LOCATIONS = ["query", "header", "path", "cookie"] as const;
export type ParameterLocation = (typeof PARAMETER_LOCATIONS)[number];
export const PARAMETER_STYLES = ["form", "simple", "label", "matrix", "spaceDelimited", "pipeDelimited", "deepObject"] as const;
export type ParameterStyle = (typeof PARAMETER_STYLES)[number];

/** The styles OpenAPI 3.x allows per location; the first is the default. */
export const STYLES_BY_LOCATION: Readonly<Record<ParameterLocation, readonly ParameterStyle[]>> = {
  query: ["form", "spaceDelimited", "pipeDelimited", "deepObject"],
  path: ["simple", "label", "matrix"],
  header: ["simple"],
  cookie: ["form"],
};

const parameterSchema = z.union([
  referenceSchema,
  z
    .looseObject({
      name: z.string().min(1),
      in: z.enum(PARAMETER_LOCATIONS),
      required: z.boolean().optional(),
      style: z.enum(PARAMETER_STYLES).optional(),
      explode: z.boolean().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
    })
    .superRefine((parameter, ctx) => {
      // A style the proxy would read differently from the application is a validation hole, not a detail.
      if (parameter.style !== undefined && !STYLES_BY_LOCATION[parameter.in].includes(parameter.style)) {
        ctx.addIssue({
          code: "custom",
          path: ["style"],
          message: `style "${parameter.style}" is not allowed for ${parameter.in} parameters (allowed: ${STYLES_BY_LOCATION[parameter.in].join(", ")})`,
        });
      }
    }),
]);

const requestBodySchema = z.union([
  referenceSchema,
  z.looseObject({
    required: z.boolean().optional(),
    content: z.record(z.string(), z.looseObject({ schema: z.record(z.string(), z.unknown()).optional() })),
  }),
]);

const operationSchema = z.looseObject({
  operationId: z.string().optional(),
  parameters: z.array(parameterSchema).optional(),
  requestBody: requestBodySchema.optional(),
});

const pathItemSchema = z.looseObject({
  parameters: z.array(parameterSchema).optional(),
  ...Object.fromEntries(OPENAPI_OPERATION_METHODS.map((method) => [method, operationSchema.optional()])),
});

export const openApiDocumentSchema = z
  .looseObject({
    openapi: z.string().regex(/^3\.[01]\.\d+$/, "must be an OpenAPI 3.0.x or 3.1.x document"),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string().startsWith("/", 'OpenAPI paths start with "/"'), pathItemSchema),
    components: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((spec, ctx) => {
    // A dangling $ref would make the proxy unable to validate that part of the request.
    const check = (value: unknown, path: PropertyKey[]) => {
      const ref = (value as { $ref?: unknown } | undefined)?.$ref;
      if (typeof ref === "string" && resolveLocalRef(spec, ref) === undefined) {
        ctx.addIssue({ code: "custom", path: [...path, "$ref"], message: `${ref} does not resolve within the specification` });
      }
    };
    for (const [template, item] of Object.entries(spec.paths)) {
      (item.parameters ?? []).forEach((parameter, index) => check(parameter, ["paths", template, "parameters", index]));
      for (const method of OPENAPI_OPERATION_METHODS) {
        const operation = item[method] as z.output<typeof operationSchema> | undefined;
        if (!operation) continue;
        (operation.parameters ?? []).forEach((parameter, index) => check(parameter, ["paths", template, method, "parameters", index]));
        check(operation.requestBody, ["paths", template, method, "requestBody"]);
      }
    }
  });

export type OpenApiDocument = z.output<typeof openApiDocumentSchema>;

export const openApiSectionSchema = z.strictObject({
  /** block refuses unknown paths, methods and parameters and bodies that violate the schema; log-only reports them. */
  validation: enforcementModeSchema.default("block"),
  spec: openApiDocumentSchema,
});
