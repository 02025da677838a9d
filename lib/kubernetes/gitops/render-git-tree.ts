// Rendered resources → the file tree of the GitOps folder: one YAML file per resource and
// a kustomization.yaml listing them in apply order, in two waves: definitions/ (CRDs and
// Gatekeeper ConstraintTemplates, with a kustomization of its own) must be established
// before the rest can be applied, because kubectl — and every GitOps tool — refuses a
// kind the cluster does not serve yet. The folder's README.md says how. The output is a
// pure function of the input's meaning: keys are ordered canonically and no timestamp is
// written, so exporting unchanged policy produces the same bytes and therefore no commit.

import { stringify } from "yaml";
import { z } from "zod";
import { zodFieldErrors } from "@/lib/shared/zod-field-errors";
import { AppError } from "@/lib/errors/app-error";
import { describeBaseline, describeSource } from "./describe-export";
import { applicationOf, compareStrings, exportSourceSchema, exportSourcesOf, type ExportSource } from "./export-sources";
import { gitFolderSchema, type GitTree, type GitTreeFile } from "./git-tree";
import { applyRankOf, isDefinition } from "@/lib/kubernetes/render/apply-order";
import type { KubernetesResource } from "./kubernetes-resource";

export const KUSTOMIZATION_FILE = "kustomization.yaml";
export const README_FILE = "README.md";
/** Where cluster-scoped resources go (namespaced ones go under their namespace). */
export const CLUSTER_SCOPED_FOLDER = "cluster";
/** Wave 1: what defines the kinds of everything else (its own kustomization). */
export const DEFINITIONS_FOLDER = "definitions";

const HEADER = "# Rendered by Rampart. Do not edit: the next export from Rampart replaces this file.";

// Kubernetes' own name rules, which also keep file names safe (no "/", no "..").
const dnsLabel = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a lower-case DNS label");

const resourceSchema = z.looseObject({
  apiVersion: z.string().regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?v[0-9]+((alpha|beta)[0-9]+)?$/, "must be group/version or version"),
  kind: z.string().regex(/^[A-Z][A-Za-z0-9]{0,62}$/, "must be a Kubernetes kind"),
  metadata: z.looseObject({
    // RBAC names may contain ":" (system:…); it is replaced in the file name.
    name: z
      .string()
      .max(253)
      .regex(/^[a-z0-9]([-a-z0-9.:]*[a-z0-9])?$/, "must be a lower-case Kubernetes name"),
    namespace: dnsLabel.optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
});

const inputSchema = z.strictObject({
  resources: z.array(resourceSchema).max(5_000),
  folder: gitFolderSchema,
  sources: z.array(exportSourceSchema).optional(),
});

export type RenderGitTreeInput = {
  resources: readonly KubernetesResource[];
  /** The repository folder Rampart owns, e.g. "clusters/prod/rampart". */
  folder: string;
  /** What the export was rendered from, for the headers; by default read from the RampartPolicy resources. */
  sources?: readonly ExportSource[];
};

export function renderGitTree(input: RenderGitTreeInput): GitTree {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError("VALIDATION_FAILED", "The resources cannot be exported to Git.", { fieldErrors: zodFieldErrors(parsed.error, "") });
  }
  const resources = input.resources;
  const sources = [...(input.sources ?? exportSourcesOf(resources))].sort((a, b) => compareStrings(a.application, b.application));

  const entries = resources.map((resource, index) => ({ resource, index, path: filePathOf(resource), rank: applyRankOf(resource) }));
  const byPath = new Map<string, number>();
  for (const entry of entries) {
    const earlier = byPath.get(entry.path);
    if (earlier !== undefined) {
      throw new AppError("VALIDATION_FAILED", `Two resources would be written to ${entry.path}.`, {
        fieldErrors: [
          {
            path: `resources.${entry.index}.metadata.name`,
            message: `resources ${earlier} and ${entry.index} share the file ${entry.path} (same kind, name and namespace)`,
          },
        ],
      });
    }
    byPath.set(entry.path, entry.index);
  }
  // Within a class, the renderer's order: it puts referenced objects (an OpenAPI
  // ConfigMap, a JWKS) before the resources that reference them.
  entries.sort((a, b) => a.rank - b.rank || a.index - b.index);

  const files: GitTreeFile[] = entries.map(({ resource, index, path }) => ({
    path,
    content: `${[HEADER, ...sourceLinesOf(resource, sources)].join("\n")}\n${toYaml(canonicalResource(resource, index))}`,
  }));
  const definitions = entries.filter((entry) => entry.path.startsWith(`${DEFINITIONS_FOLDER}/`));
  const rest = entries.filter((entry) => !entry.path.startsWith(`${DEFINITIONS_FOLDER}/`));
  files.push({
    path: KUSTOMIZATION_FILE,
    content: kustomizationOf(
      [...(definitions.length > 0 ? [DEFINITIONS_FOLDER] : []), ...rest.map((entry) => entry.path)],
      sources,
      "Wave 2 (applies wave 1 again, unchanged): the definitions, RBAC, admission policies, then policy resources.",
    ),
  });
  if (definitions.length > 0) {
    files.push({
      path: `${DEFINITIONS_FOLDER}/${KUSTOMIZATION_FILE}`,
      // No sources in its header: the definitions do not change with an application's policy.
      content: kustomizationOf(
        definitions.map((entry) => entry.path.slice(DEFINITIONS_FOLDER.length + 1)),
        [],
        "Wave 1: apply and wait until established before the folder above (see ../README.md).",
      ),
    });
  }
  files.push({ path: README_FILE, content: readmeOf(definitions.map((entry) => entry.resource)) });
  files.sort((a, b) => compareStrings(a.path, b.path));
  return { folder: input.folder, files };
}

/** `<namespace>/<kind>-<name>.yaml`, `cluster/<kind>-<name>.yaml` for cluster-scoped resources, `definitions/…` for CRDs and templates. */
export function filePathOf(resource: KubernetesResource): string {
  const folder = isDefinition(resource) ? DEFINITIONS_FOLDER : (resource.metadata.namespace ?? CLUSTER_SCOPED_FOLDER);
  return `${folder}/${resource.kind.toLowerCase()}-${resource.metadata.name.replaceAll(":", "_")}.yaml`;
}

function sourceLinesOf(resource: KubernetesResource, sources: readonly ExportSource[]): string[] {
  const application = applicationOf(resource);
  if (application !== null) {
    const own = sources.filter((source) => source.application === application);
    return own.map((source) => `# Source: ${describeSource(source)}`);
  }
  const baselines = [...new Set(sources.map((source) => describeBaseline(source.baseline)))].sort(compareStrings);
  return baselines.length > 0 ? [`# Source: ${baselines.join("; ")}`] : [];
}

function kustomizationOf(paths: readonly string[], sources: readonly ExportSource[], wave: string): string {
  const lines = [HEADER];
  if (sources.length > 0) lines.push("# Sources:", ...sources.map((source) => `#   ${describeSource(source)}`));
  lines.push(`# ${wave}`, "# Resources are listed in apply order.");
  // fifo: kustomize (v5+) keeps that order instead of its built-in kind order, which
  // knows nothing of ConstraintTemplates or admission policies.
  const kustomization = { apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization", sortOptions: { order: "fifo" }, resources: [...paths] };
  return `${lines.join("\n")}\n${toYaml(kustomization)}`;
}

function toYaml(value: unknown): string {
  // YAML 1.1 quoting: Kubernetes parses manifests as YAML 1.1, where an unquoted `on`,
  // `yes` or `0755` would not be the string it was meant to be.
  return stringify(value, { version: "1.1", indent: 2, lineWidth: 0, aliasDuplicateObjects: false });
}

const TOP_LEVEL_ORDER = ["apiVersion", "kind", "metadata"];
const METADATA_ORDER = ["name", "namespace", "labels", "annotations"];

/**
 * The resource with its keys in one canonical order — the conventional apiVersion, kind,
 * metadata (name, namespace first) and everything else alphabetically — so two inputs
 * that mean the same (e.g. one read back from PostgreSQL jsonb, which reorders keys)
 * give the same file.
 */
function canonicalResource(resource: KubernetesResource, index: number): unknown {
  const top = canonicalJsonValue(resource, `resources.${index}`) as Record<string, unknown>;
  const metadata = ordered(top.metadata as Record<string, unknown>, METADATA_ORDER);
  return ordered({ ...top, metadata }, TOP_LEVEL_ORDER);
}

function ordered(object: Record<string, unknown>, first: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of first) if (key in object) out[key] = object[key];
  for (const key of Object.keys(object)) if (!first.includes(key)) out[key] = object[key];
  return out;
}

function canonicalJsonValue(value: unknown, path: string): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw notJson(path, "is not a finite number");
    return value;
  }
  if (Array.isArray(value)) return value.map((item, index) => canonicalJsonValue(item, `${path}.${index}`));
  if (typeof value === "object" && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort(compareStrings)) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) out[key] = canonicalJsonValue(item, `${path}.${key}`);
    }
    return out;
  }
  throw notJson(path, `is a ${typeof value}, not a JSON value`);
}

function notJson(path: string, message: string): AppError {
  return new AppError("VALIDATION_FAILED", "A resource holds a value that cannot be written as YAML.", { fieldErrors: [{ path, message }] });
}

/** How to apply the folder to a fresh cluster: two waves, with the waits between them. */
function readmeOf(definitions: readonly KubernetesResource[]): string {
  const crds = definitions.filter((resource) => resource.kind === "CustomResourceDefinition").map((resource) => resource.metadata.name);
  const templates = definitions.filter((resource) => resource.kind === "ConstraintTemplate").map((resource) => resource.metadata.name);
  const waits = [
    ...crds.map((name) => `kubectl wait --for condition=Established --timeout=60s crd/${name}`),
    ...templates.map((name) => `kubectl wait --for jsonpath='{.status.created}'=true --timeout=120s constrainttemplate/${name}`),
  ];
  const lines = [
    "<!-- Rendered by Rampart. Do not edit: the next export from Rampart replaces this file. -->",
    "# Rampart policy resources",
    "",
    "Rendered by Rampart from published policy. Apply the folder with `kubectl apply -k` (or point a GitOps tool at it).",
    "",
    "## On a fresh cluster: two waves",
    "",
    "kubectl (and every GitOps tool) refuses a resource whose kind the cluster does not serve yet, and a kind defined",
    "in the same apply is not served yet. `definitions/` holds what defines the other kinds: apply it first, wait",
    "until the cluster serves them, then apply the folder (which applies `definitions/` again, unchanged).",
    "",
    "```sh",
    "kubectl apply -k definitions/",
    ...waits,
    "kubectl apply -k .",
    "```",
    "",
  ];
  if (templates.length > 0) {
    lines.push("Gatekeeper creates each constraint kind some seconds after its ConstraintTemplate: `status.created: true` says it has.", "");
  }
  lines.push(
    'With Argo CD, give the definitions an earlier sync wave (`argocd.argoproj.io/sync-wave: "-1"`) and let',
    "`SkipDryRunOnMissingResource=true` cover the constraint kinds; with Flux, make one Kustomization for",
    "`definitions/` and a second for this folder with `dependsOn` on the first.",
    "",
    "Later applies need no waits: the kinds exist.",
    "",
  );
  return lines.join("\n");
}
