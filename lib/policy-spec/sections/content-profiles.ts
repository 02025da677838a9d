// Content profiles: the application's OpenAPI specification says which values
// are free text (a forum post, a ticket comment) and which are identifiers.
// Free text carries code — SQL, shell, paths — as data, so the generic
// signatures of those families only block honest users there; what can hurt in
// free text is what happens when it is shown (XSS) or logged (Log4Shell), and
// template or expression-language evaluation. The baseline decides which
// families may give way on content fields at all; the lookups, expression and
// template rules and the upload rules never do.
//
// This file is the one implementation of the field classification: the proxy
// gates its deny rules with it, the portal shows and diffs it, the Kubernetes
// export maps it.

import { z } from "zod";
import { DENY_FAMILIES, denyFamilySchema, type DenyFamily } from "./deny-rules";

/** `x-rampart-content` values; `format: markdown | html` are aliases. */
export const CONTENT_PROFILES = ["markdown", "html", "text"] as const;
export type ContentProfile = (typeof CONTENT_PROFILES)[number];
export const CONTENT_MARKER = "x-rampart-content";

/**
 * Rules that run on content fields whatever the baseline allows: logging
 * lookups (Log4Shell), expression-language and template injection (free text
 * that reaches a template), and upload names (a content field sent as a file).
 */
export const NEVER_RELAXED_RULES = [
  "java.jndi-lookup",
  "java.log4j-lookup",
  "java.expression-injection",
  "generic.template-injection",
  "java.jsp-upload",
  "php.script-upload",
  "php.session-file-upload",
  "rce.restricted-upload",
] as const;

export const baselineContentProfilesSchema = z.strictObject({
  /**
   * Families whose generic signatures give way, on fields the application's
   * OpenAPI specification marks as free text, to the field's profile. Empty:
   * content markings change nothing.
   */
  allowRelax: z
    .array(denyFamilySchema)
    .default([])
    .refine((families) => new Set(families).size === families.length, "list each family once")
    .describe(
      `Deny families that give way to the content profile on fields marked ${CONTENT_MARKER}: markdown | html | text (${DENY_FAMILIES.join(", ")}). Log4Shell and other lookups, expression and template injection and the virtual patches never relax.`,
    ),
});
export type BaselineContentProfiles = z.output<typeof baselineContentProfilesSchema>;

/** The families in canonical order, so the bundle and the diff do not depend on how the baseline listed them. */
export function sortFamilies(families: readonly DenyFamily[]): DenyFamily[] {
  return DENY_FAMILIES.filter((family) => families.includes(family));
}
