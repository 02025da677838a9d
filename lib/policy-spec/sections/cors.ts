// Cross-origin resource sharing for an application.

import { z } from "zod";
import { headerNameSchema, methodListSchema, uniqueList } from "./policy-fields";

const originSchema = z
  .string()
  .regex(/^(\*|https?:\/\/[a-z0-9.-]+(:\d{1,5})?)$/, 'must be "*" or an origin such as https://app.example.com (no path, lower case)');

export const corsSchema = z
  .strictObject({
    allowOrigins: uniqueList(originSchema, "origin").min(1, "list at least one origin"),
    allowMethods: methodListSchema.min(1).default(["GET", "HEAD", "POST"]),
    allowHeaders: uniqueList(headerNameSchema, "header").default([]),
    exposeHeaders: uniqueList(headerNameSchema, "header").default([]),
    allowCredentials: z.boolean().default(false),
    maxAgeSeconds: z.int().min(0).max(86_400).default(600),
  })
  .superRefine((value, ctx) => {
    // Browsers refuse this combination; a proxy that reflected the origin instead would open the API to every site.
    if (value.allowCredentials && value.allowOrigins.includes("*")) {
      ctx.addIssue({
        code: "custom",
        path: ["allowOrigins"],
        message: 'allowOrigins cannot be "*" when allowCredentials is true; list the origins',
      });
    }
  });
