// Field-level vocabulary shared by every policy section. Messages here are the
// ones a person reads in the editor, so they say what a valid value looks like.

import { z } from "zod";
import { parseCidr } from "../cidr";
import { parsePathPattern } from "../path-pattern";

export const API_VERSION = "rampart.dev/v1alpha1";

export const apiVersionSchema = z.literal(API_VERSION, {
  error: `apiVersion must be "${API_VERSION}"`,
});

export const slugSchema = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    "must be lower-case letters, digits and hyphens, starting and ending with a letter or digit (at most 63 characters)",
  );

export const descriptionSchema = z.string().max(2000, "must be at most 2000 characters");

/** Ordered from the most to the least common; the order is also the canonical one. */
export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"] as const;
export const STANDARD_HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export const httpMethodSchema = z.enum(HTTP_METHODS);
export type HttpMethod = z.infer<typeof httpMethodSchema>;

/** A list whose order carries no meaning: duplicates are refused rather than collapsed, since they are usually a mistake. */
export function uniqueList<T extends z.ZodType>(item: T, noun: string) {
  return z.array(item).superRefine((values, ctx) => {
    const seen = new Set<string>();
    values.forEach((value, index) => {
      const key = JSON.stringify(value);
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: [index], message: `duplicate ${noun} ${key}` });
      seen.add(key);
    });
  });
}

export const methodListSchema = uniqueList(httpMethodSchema, "method");

/** Ordered weakest first: a later mode is at least as strict as an earlier one. */
export const ENFORCEMENT_MODES = ["log-only", "block"] as const;
export const enforcementModeSchema = z.enum(ENFORCEMENT_MODES);
export type EnforcementMode = z.infer<typeof enforcementModeSchema>;

export const TLS_VERSIONS = ["1.2", "1.3"] as const;
// YAML reads an unquoted 1.2 as a number; accepting it spares every author the
// quoting trap while the output stays a string.
export const tlsVersionSchema = z
  .union([z.enum(TLS_VERSIONS), z.literal([1.2, 1.3])], { error: 'TLS version must be "1.2" or "1.3"' })
  .transform((value) => String(value) as (typeof TLS_VERSIONS)[number]);
export type TlsVersion = z.output<typeof tlsVersionSchema>;

export const cidrSchema = z.string().superRefine((value, ctx) => {
  const parsed = parseCidr(value);
  if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.message });
});

export const pathPatternSchema = z.string().superRefine((value, ctx) => {
  const parsed = parsePathPattern(value);
  if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.message });
});

export const pathPatternListSchema = uniqueList(pathPatternSchema, "path pattern");

/** RFC 9110 token: what a header or cookie name may contain. */
export const headerNameSchema = z.string().regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, "must be a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~)");

export const headerValueSchema = z.string().regex(/^[\t\x20-\x7e\x80-\uffff]*$/, "must not contain line breaks or control characters (header injection)");

export const httpsUrlSchema = z.url({ protocol: /^https$/, error: "must be an https:// URL" });

export const certificateRefSchema = z.string().regex(/^(secret|file):\S+$/, 'certificate reference must look like "secret:<name>" or "file:<path>"');

export const jsonPointerSchema = z.string().regex(/^(\/([^~/]|~[01])*)+$/, 'must be a JSON pointer such as "/customer/name" (RFC 6901)');

export const isoDateSchema = z.iso.date({ error: "must be a date written as YYYY-MM-DD" });

export const hostnameSchema = z
  .string()
  .regex(
    /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    "must be a lower-case host name such as api.example.com (optionally *.example.com)",
  );
