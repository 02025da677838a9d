import "server-only";
import type { DbTransaction } from "@/lib/db/client";
import type { FieldError } from "@/lib/errors/app-error";
import { mergePolicies, type ApplicationPolicy, type PolicyDocument } from "@/lib/policy-spec";
import { findPublishedBaselines } from "./find-published-baselines";
import { DOCUMENT_KIND, invalidPolicy, parsePolicyContent } from "./parse-policy-content";
import { fieldPathOf } from "./policy-field-path";

/** What a document is for: a baseline of an environment scope, or one application's policy. */
export type PolicyTarget = { kind: "baseline"; environment: string | null } | { kind: "application"; application: { id: string; slug: string } };

/**
 * Everything a document must satisfy before it is stored, reported together under `root`:
 * the schema of its kind; metadata naming what the policy applies to; and, for an
 * application's policy, the layering rules against every published baseline (it may only
 * tighten them, except through justified, expiring exceptions).
 */
export async function validatePolicyContent({
  tx,
  target,
  input,
  root,
  now,
}: {
  tx: DbTransaction;
  target: PolicyTarget;
  input: unknown;
  root: string;
  now: Date;
}): Promise<PolicyDocument> {
  const document = parsePolicyContent(input, { root, kind: DOCUMENT_KIND[target.kind] });
  const errors: FieldError[] = [];
  if (target.kind === "baseline" && document.kind === "BaselinePolicy") {
    const environment = document.metadata.environment ?? null;
    if (environment !== target.environment) {
      errors.push({
        path: `${root}.metadata.environment`,
        message: target.environment
          ? `must be "${target.environment}": this baseline applies to that environment`
          : "must be left out: this baseline applies to every environment (a baseline for one environment is a policy of its own)",
      });
    }
  }
  if (target.kind === "application" && document.kind === "ApplicationPolicy") {
    if (document.metadata.application !== target.application.slug) {
      errors.push({
        path: `${root}.metadata.application`,
        message: `must be "${target.application.slug}", the application this policy belongs to`,
      });
    }
    errors.push(...(await layeringErrors({ tx, document, root, now })));
  }
  if (errors.length > 0) throw invalidPolicy(errors);
  return document;
}

/** The application policy merged with each published baseline; every loosening it attempts is an error. */
async function layeringErrors({ tx, document, root, now }: { tx: DbTransaction; document: ApplicationPolicy; root: string; now: Date }) {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const baseline of await findPublishedBaselines({ tx })) {
    const merged = mergePolicies(baseline.document, document, { now });
    if (merged.ok) continue;
    const which = baseline.policy.environment ? `the ${baseline.policy.environment} baseline` : "the baseline";
    for (const error of merged.errors) {
      const message = error.baselineRule ? `${error.message} (conflicts with ${which}'s ${error.baselineRule})` : error.message;
      const path = fieldPathOf(root, error.path);
      if (seen.has(`${path}\n${message}`)) continue;
      seen.add(`${path}\n${message}`);
      errors.push({ path, message });
    }
  }
  return errors;
}
