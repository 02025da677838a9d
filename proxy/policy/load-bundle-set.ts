// Every source of policy → one BundleSet: the routes this proxy serves, each
// with its upstream and validated bundle. This is the "config" step of
// config → compile → evaluate → forward; it reads files and validates, but
// builds nothing that runs per request.

import path from "node:path";
import { parseDocument } from "yaml";
import { sha256Hex, type Bundle } from "@/lib/policy-spec";
import { bundleFromDocuments, bundleFromFiles, readApplication, readBaseline, readText } from "./bundle-from-files.js";
import { gatewayConfigSchema, type GatewayConfig } from "../config/gateway-config-schema.js";
import { classifyPolicyText, parseBundle, parseSignedBundle, type TrustedKeys } from "./parse-bundle.js";
import { failLoad, PolicyLoadError } from "./policy-load-error.js";

export interface RouteSource {
  name: string;
  /** Lower-case host, "*.suffix", or null for any host. */
  host: string | null;
  /** "/" or a prefix without trailing slash. */
  pathPrefix: string;
  upstream: string;
  bundle: Bundle;
  /** Connected mode: the portal's id of the application whose bundle this is. */
  applicationId?: string;
}

/** A route whose policy is missing (connected mode: its application is not in the delivered set): it answers 503. */
export interface UnavailableRouteSource {
  name: string;
  host: string | null;
  pathPrefix: string;
  reason: string;
}

export interface BundleSet {
  routes: RouteSource[];
  /** Routes that fail closed; empty outside connected mode. */
  unavailable: UnavailableRouteSource[];
  /** Changes whenever anything enforced changes: a reload with the same fingerprint is skipped. */
  fingerprint: string;
  /** Files whose change should trigger a reload. */
  watchFiles: string[];
}

export type PolicySource = { kind: "files"; files: string[]; upstream: string } | { kind: "gateway"; configFile: string };

export interface LoadOptions {
  now: Date;
  trustedKeys: TrustedKeys;
}

export function loadBundleSet(source: PolicySource, options: LoadOptions): BundleSet {
  if (source.kind === "files") {
    const bundle = bundleFromFiles(source.files, options);
    return bundleSetOf(
      [{ name: "default", host: null, pathPrefix: "/", upstream: source.upstream, bundle }],
      source.files.map((f) => path.resolve(f)),
    );
  }
  return loadGateway(source.configFile, options);
}

/** The gateway config file, parsed and validated (used by connected mode too). */
export function readGatewayConfig(configFile: string): GatewayConfig {
  const text = readText(configFile);
  const doc = parseDocument(text, { uniqueKeys: true, merge: false, strict: true });
  if (doc.errors.length > 0) failLoad(configFile, `YAML syntax error: ${doc.errors[0]!.message.split("\n")[0]}`);
  const parsed = gatewayConfigSchema.safeParse(doc.toJS({ maxAliasCount: 100 }));
  if (!parsed.success) {
    throw new PolicyLoadError(
      parsed.error.issues.map((issue) => ({ source: configFile, path: issue.path.length ? `$.${issue.path.join(".")}` : "$", message: issue.message })),
    );
  }
  return parsed.data;
}

function loadGateway(configFile: string, options: LoadOptions): BundleSet {
  const config = readGatewayConfig(configFile);
  const dir = path.dirname(path.resolve(configFile));
  const resolve = (file: string) => path.resolve(dir, file);
  const watch = [path.resolve(configFile)];
  const baseline = config.baseline ? readBaseline(resolve(config.baseline)) : undefined;
  if (baseline) watch.push(baseline.file);
  const problems: PolicyLoadError[] = [];
  const routes: RouteSource[] = [];
  for (const [index, route] of config.routes.entries()) {
    try {
      let bundle: Bundle;
      if (route.application !== undefined) {
        failLoad(configFile, "a route naming an application gets its policy from the portal: run with --portal", `$.routes.${index}.application`);
      } else if (route.bundle !== undefined) {
        const file = resolve(route.bundle);
        watch.push(file);
        const { kind, json } = classifyPolicyText(readText(file));
        if (kind === "policy-document") failLoad(file, "route.bundle must be a compiled bundle; use route.policy for an application policy");
        bundle = kind === "bundle" ? parseBundle(json, file) : parseSignedBundle(json, file, options.trustedKeys);
      } else {
        const application = route.policy !== undefined ? readApplication(resolve(route.policy)) : null;
        if (application) watch.push(application.file);
        bundle = bundleFromDocuments(baseline!, application, options.now);
      }
      routes.push({ name: route.name, host: route.host ?? null, pathPrefix: route.path, upstream: route.upstream, bundle });
    } catch (error) {
      if (error instanceof PolicyLoadError) problems.push(error);
      else throw error;
    }
  }
  if (problems.length > 0) throw new PolicyLoadError(problems.flatMap((p) => p.problems));
  return bundleSetOf(routes, watch);
}

export function bundleSetOf(routes: RouteSource[], watchFiles: string[], unavailable: UnavailableRouteSource[] = []): BundleSet {
  const fingerprint = sha256Hex(
    JSON.stringify([
      routes.map((r) => [r.name, r.host, r.pathPrefix, r.upstream, r.bundle.contentHash]),
      unavailable.map((r) => [r.name, r.host, r.pathPrefix, r.reason]),
    ]),
  );
  return { routes, unavailable, fingerprint, watchFiles: [...new Set(watchFiles)] };
}
