// Policy files as an operator passes them with --policy → one Bundle: a
// compiled bundle (plain or signed) alone, or a baseline plus at most one
// application policy, parsed, merged and compiled with lib/policy-spec exactly
// as the portal does. "now" decides which exceptions have already expired;
// those still valid carry their expiry instant into the bundle, and the proxy
// stops honouring each at that instant by its own clock.

import { readFileSync } from "node:fs";
import { compilePolicy, mergePolicies, parsePolicyDocument, sha256Hex, type ApplicationPolicy, type BaselinePolicy, type Bundle } from "@/lib/policy-spec";
import { classifyPolicyText, parseBundle, parseSignedBundle, type TrustedKeys } from "./parse-bundle.js";
import { failLoad, PolicyLoadError } from "./policy-load-error.js";

export interface BundleFromFilesOptions {
  now: Date;
  trustedKeys: TrustedKeys;
}

export function bundleFromFiles(files: readonly string[], options: BundleFromFilesOptions): Bundle {
  if (files.length === 0) failLoad("--policy", "give at least one policy file (a baseline, optionally an application policy) or a compiled bundle");
  let baseline: { file: string; policy: BaselinePolicy } | undefined;
  let application: { file: string; policy: ApplicationPolicy } | undefined;
  let bundle: Bundle | undefined;
  for (const file of files) {
    const text = readText(file);
    const { kind, json } = classifyPolicyText(text);
    if (kind === "bundle" || kind === "signed-bundle") {
      if (files.length > 1) failLoad(file, "a compiled bundle is complete on its own: pass it as the only --policy");
      bundle = kind === "bundle" ? parseBundle(json, file) : parseSignedBundle(json, file, options.trustedKeys);
      continue;
    }
    const parsed = parsePolicyDocument(text);
    if (!parsed.ok) {
      throw new PolicyLoadError(
        parsed.errors.map((e) => ({ source: file, path: e.path, message: e.message, ...(e.line === undefined ? {} : { line: e.line }) })),
      );
    }
    if (parsed.policy.kind === "BaselinePolicy") {
      if (baseline) failLoad(file, `a second baseline (the first is ${baseline.file}); give exactly one`);
      baseline = { file, policy: parsed.policy };
    } else {
      if (application)
        failLoad(
          file,
          `a second application policy (the first is ${application.file}); one proxy route enforces one application — use a gateway config (--config) for several`,
        );
      application = { file, policy: parsed.policy };
    }
  }
  if (bundle) return bundle;
  if (!baseline) failLoad(application!.file, "an application policy needs the baseline it tightens: pass the baseline with another --policy");
  return bundleFromDocuments(baseline, application ?? null, options.now);
}

export function bundleFromDocuments(
  baseline: { file: string; policy: BaselinePolicy },
  application: { file: string; policy: ApplicationPolicy } | null,
  now: Date,
): Bundle {
  const merged = mergePolicies(baseline.policy, application?.policy ?? null, { now });
  if (!merged.ok) {
    throw new PolicyLoadError(
      merged.errors.map((e) => ({
        source: application?.file ?? baseline.file,
        path: e.path,
        message: e.baselineRule ? `${e.message} (baseline: ${e.baselineRule})` : e.message,
      })),
    );
  }
  return compilePolicy(merged.effective, { sha256: sha256Hex });
}

export function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    failLoad(file, `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Parses a baseline file for a gateway config. */
export function readBaseline(file: string): { file: string; policy: BaselinePolicy } {
  const parsed = parsePolicyDocument(readText(file), { kind: "BaselinePolicy" });
  if (!parsed.ok)
    throw new PolicyLoadError(
      parsed.errors.map((e) => ({ source: file, path: e.path, message: e.message, ...(e.line === undefined ? {} : { line: e.line }) })),
    );
  return { file, policy: parsed.policy };
}

export function readApplication(file: string): { file: string; policy: ApplicationPolicy } {
  const parsed = parsePolicyDocument(readText(file), { kind: "ApplicationPolicy" });
  if (!parsed.ok)
    throw new PolicyLoadError(
      parsed.errors.map((e) => ({ source: file, path: e.path, message: e.message, ...(e.line === undefined ? {} : { line: e.line }) })),
    );
  return { file, policy: parsed.policy };
}
