import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import standardPaymentsApi from "@/lib/policy-spec/__golden__/standard-payments-api.json";
import { AppError } from "@/lib/errors/app-error";
import { airlockLimits, constraint, constraintTemplate, crd, kyvernoPolicy, rampartPolicy, sampleResources } from "./__fixtures__/gitops-resources";
import type { KubernetesResource } from "./kubernetes-resource";
import { renderApplicationResources, KUBERNETES_FORMATS } from "@/lib/kubernetes/render/render-application-resources";
import { examplePaymentsApi } from "@/lib/kubernetes/render/__fixtures__/render-fixtures";
import { renderGitTree } from "./render-git-tree";

const FOLDER = "clusters/prod/rampart";
const BUNDLE_HASH = standardPaymentsApi.contentHash;

function contentOf(tree: ReturnType<typeof renderGitTree>, file: string): string {
  const found = tree.files.find((entry) => entry.path === file);
  if (!found) throw new Error(`${file} not in tree: ${tree.files.map((entry) => entry.path).join(", ")}`);
  return found.content;
}

describe("renderGitTree", () => {
  it("writes one readable file per resource under its namespace (cluster-scoped under cluster/, definitions under definitions/) plus the kustomizations and a README", () => {
    const tree = renderGitTree({ resources: sampleResources(), folder: FOLDER });
    expect(tree.folder).toBe(FOLDER);
    expect(tree.files.map((file) => file.path)).toEqual([
      "README.md",
      "cluster/clusterpolicy-rampart-baseline.yaml",
      "cluster/rampartbaselinefloor-baseline-floor.yaml",
      "definitions/constrainttemplate-rampartbaselinefloor.yaml",
      "definitions/customresourcedefinition-rampartpolicies.rampart.dev.yaml",
      "definitions/kustomization.yaml",
      "kustomization.yaml",
      "payments/limits-payments-api-limits.yaml",
      "payments/rampartpolicy-payments-api.yaml",
      "storefront/rampartpolicy-storefront-web.yaml",
    ]);
  });

  it("lists the resources in apply order in two waves: CRDs and ConstraintTemplates (definitions/), then the rest, admission policies before the policy resources", () => {
    const tree = renderGitTree({ resources: sampleResources(), folder: FOLDER });
    expect(parse(contentOf(tree, "definitions/kustomization.yaml"))).toEqual({
      apiVersion: "kustomize.config.k8s.io/v1beta1",
      kind: "Kustomization",
      sortOptions: { order: "fifo" },
      resources: ["customresourcedefinition-rampartpolicies.rampart.dev.yaml", "constrainttemplate-rampartbaselinefloor.yaml"],
    });
    const kustomization = parse(contentOf(tree, "kustomization.yaml"));
    expect(kustomization).toEqual({
      apiVersion: "kustomize.config.k8s.io/v1beta1",
      kind: "Kustomization",
      sortOptions: { order: "fifo" },
      resources: [
        "definitions",
        "cluster/clusterpolicy-rampart-baseline.yaml",
        "cluster/rampartbaselinefloor-baseline-floor.yaml",
        // The rest as rendered.
        "storefront/rampartpolicy-storefront-web.yaml",
        "payments/limits-payments-api-limits.yaml",
        "payments/rampartpolicy-payments-api.yaml",
      ],
    });
    // Every listed file exists in the tree, and every resource file is listed once.
    const paths = new Set(tree.files.map((file) => file.path));
    for (const listed of kustomization.resources.filter((entry: string) => entry !== "definitions")) expect(paths.has(listed)).toBe(true);
    expect(kustomization.resources.length - 1 + 2).toBe(
      tree.files.filter((file) => file.path.endsWith(".yaml") && !file.path.endsWith("kustomization.yaml")).length,
    );
    // The README says how to apply both waves on a fresh cluster.
    const readme = contentOf(tree, "README.md");
    expect(readme).toContain("kubectl apply -k definitions/");
    expect(readme).toContain("kubectl wait --for condition=Established --timeout=60s crd/rampartpolicies.rampart.dev");
    expect(readme).toContain("kubectl wait --for jsonpath='{.status.created}'=true --timeout=120s constrainttemplate/rampartbaselinefloor");
  });

  it("gives the same bytes for the same input, whatever the order of the keys (e.g. read back from jsonb)", () => {
    const first = renderGitTree({ resources: sampleResources(), folder: FOLDER });
    const second = renderGitTree({ resources: sampleResources().map(reverseKeysDeep) as KubernetesResource[], folder: FOLDER });
    expect(second).toEqual(first);
    // Resource files do not depend on the order of the resources either; only the kustomization's list does.
    const reordered = renderGitTree({ resources: sampleResources().reverse(), folder: FOLDER });
    expect(reordered.files.filter((file) => file.path !== "kustomization.yaml")).toEqual(first.files.filter((file) => file.path !== "kustomization.yaml"));
  });

  it("writes each file as exactly one YAML document equal to the resource, in conventional key order", () => {
    const resources = sampleResources();
    const tree = renderGitTree({ resources, folder: FOLDER });
    const policy = contentOf(tree, "payments/rampartpolicy-payments-api.yaml");
    const documents = parseAllDocuments(policy);
    expect(documents).toHaveLength(1);
    expect(documents[0]!.toJS()).toEqual(resources.find((resource) => resource.metadata.name === "payments-api" && resource.kind === "RampartPolicy"));
    const body = policy.split("\n").filter((line) => !line.startsWith("#"));
    expect(body.slice(0, 4)).toEqual(["apiVersion: rampart.dev/v1alpha1", "kind: RampartPolicy", "metadata:", "  name: payments-api"]);
    expect(body[4]).toBe("  namespace: payments");
  });

  it("keeps multi-line strings (Rego) as readable block scalars", () => {
    const tree = renderGitTree({ resources: [constraintTemplate], folder: FOLDER });
    const text = contentOf(tree, "definitions/constrainttemplate-rampartbaselinefloor.yaml");
    expect(text).toContain("rego: |");
    expect(text).toContain("      package rampartbaselinefloor");
  });

  it("quotes strings Kubernetes' YAML 1.1 parser would turn into booleans or numbers", () => {
    const resource: KubernetesResource = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "flags", namespace: "payments", labels: {}, annotations: {} },
      data: { a: "on", b: "yes", c: "0755", d: "1:20", e: "y", f: "true" },
    };
    const text = contentOf(renderGitTree({ resources: [resource], folder: FOLDER }), "payments/configmap-flags.yaml");
    expect(parse(text, { version: "1.1" }).data).toEqual(resource.data);
    for (const value of ["on", "yes", "0755", "1:20", "y", "true"]) expect(text).toContain(`"${value}"`);
  });

  it("names Rampart and the source versions in every header, without timestamps", () => {
    const tree = renderGitTree({ resources: sampleResources(), folder: FOLDER });
    const policy = contentOf(tree, "payments/rampartpolicy-payments-api.yaml");
    expect(policy.split("\n").slice(0, 2)).toEqual([
      "# Rendered by Rampart. Do not edit: the next export from Rampart replaces this file.",
      `# Source: payments-api policy 3.2.0 on baseline standard (sha256:09a482b48c8b), bundle ${BUNDLE_HASH.slice(0, 19)}`,
    ]);
    // The Airlock resource carries the application label, so it names the same source.
    expect(contentOf(tree, "payments/limits-payments-api-limits.yaml")).toContain("# Source: payments-api policy 3.2.0");
    // Shared resources derive from the baseline only.
    expect(contentOf(tree, "cluster/clusterpolicy-rampart-baseline.yaml").split("\n")[1]).toBe("# Source: baseline standard (sha256:09a482b48c8b)");
    const kustomization = contentOf(tree, "kustomization.yaml");
    expect(kustomization).toContain(`#   payments-api policy 3.2.0 on baseline standard (sha256:09a482b48c8b), bundle ${BUNDLE_HASH.slice(0, 19)}`);
    expect(kustomization).toContain("#   storefront-web policy 1.4.0 on baseline standard (sha256:09a482b48c8b), bundle sha256:");
    const headers = tree.files.flatMap((file) => file.content.split("\n").filter((line) => line.startsWith("#")));
    for (const line of headers) expect(line).not.toMatch(/\b20\d\d-\d\d-\d\d/);
  });

  it("uses the sources the portal passes (its own version numbers) instead of reading the resources", () => {
    const tree = renderGitTree({
      resources: [rampartPolicy("payments-api", "payments")],
      folder: FOLDER,
      sources: [
        {
          applicationId: "app-payments-api",
          application: "payments-api",
          policyVersion: "v7",
          baseline: { name: "standard", version: "v12", contentHash: null },
          contentHash: "sha256:34756b097ed9668617110fb5aa3949da366a36dbe3a71f4e5db4ccbe91143a46",
        },
      ],
    });
    expect(contentOf(tree, "payments/rampartpolicy-payments-api.yaml").split("\n")[1]).toBe(
      "# Source: payments-api policy v7 on baseline standard v12, bundle sha256:34756b097ed9",
    );
  });

  it("changes only the files of the application whose policy changed", () => {
    const before = renderGitTree({ resources: sampleResources(), folder: FOLDER });
    const resources = sampleResources().map((resource) =>
      resource.metadata.name === "storefront-web" ? rampartPolicy("storefront-web", "storefront", "1.5.0") : resource,
    );
    const after = renderGitTree({ resources, folder: FOLDER });
    const changed = after.files.filter((file, index) => file.content !== before.files[index]!.content).map((file) => file.path);
    expect(changed).toEqual(["kustomization.yaml", "storefront/rampartpolicy-storefront-web.yaml"]);
  });

  it("exports everything lib/kubernetes/render renders for a target, one file each, definitions first", () => {
    const payments = examplePaymentsApi();
    const { resources } = renderApplicationResources({
      target: {
        namespace: "payments",
        formats: [...KUBERNETES_FORMATS],
        serviceAccount: { name: "rampart", namespace: "rampart-system" },
        editorGroups: ["security"],
      },
      applications: [{ id: payments.id, name: payments.name, effective: payments.effective, bundle: payments.bundle, teamGroups: ["payments"] }],
      baseline: payments.baseline,
    });
    const tree = renderGitTree({ resources, folder: FOLDER });
    const definitions: string[] = parse(contentOf(tree, "definitions/kustomization.yaml")).resources.map((name: string) => `definitions/${name}`);
    const listed: string[] = [...definitions, ...parse(contentOf(tree, "kustomization.yaml")).resources.filter((name: string) => name !== "definitions")];
    expect(listed).toHaveLength(resources.length);
    expect(parse(contentOf(tree, "kustomization.yaml")).resources[0]).toBe("definitions");
    expect(listed[0]).toBe("definitions/customresourcedefinition-rampartpolicies.rampart.dev.yaml");
    // Each file parsed once: the CRD alone is over a thousand lines.
    const parsed = listed.map((name) => parse(contentOf(tree, name)));
    for (const resource of resources) {
      const found = parsed.find((document) => document.metadata.name === resource.metadata.name && document.kind === resource.kind);
      expect(found, `${resource.kind}/${resource.metadata.name}`).toBeDefined();
      expect(found).toEqual(JSON.parse(JSON.stringify(resource)));
    }
    expect(contentOf(tree, "payments/rampartpolicy-payments-api.yaml")).toContain(`# Source: payments-api policy `);
  });

  it("refuses two resources that would share a file", () => {
    const error = catchError(() => renderGitTree({ resources: [crd, kyvernoPolicy, crd], folder: FOLDER }));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("VALIDATION_FAILED");
    expect((error as AppError).fieldErrors).toEqual([
      { path: "resources.2.metadata.name", message: expect.stringContaining("definitions/customresourcedefinition-rampartpolicies.rampart.dev.yaml") },
    ]);
  });

  it.each([
    ["a name that climbs out of the folder", { ...constraint, metadata: { name: "../../etc", labels: {}, annotations: {} } }, "resources.0.metadata.name"],
    ["a namespace with a slash", { ...airlockLimits("a", "x/y") }, "resources.0.metadata.namespace"],
    ["a kind with a dot", { ...constraint, kind: "Evil.Kind" }, "resources.0.kind"],
    ["a non-JSON value", { ...constraint, spec: { when: new Date(0) } }, "resources.0.spec.when"],
  ])("refuses %s with the field path", (_, resource, path) => {
    const error = catchError(() => renderGitTree({ resources: [resource as KubernetesResource], folder: FOLDER }));
    expect((error as AppError).code).toBe("VALIDATION_FAILED");
    expect((error as AppError).fieldErrors.map((field) => field.path)).toContain(path);
  });

  it.each(["", "/abs", "a/../b", "a//b", ".git", "x/.git", ".hidden"])("refuses the folder %j", (folder) => {
    const error = catchError(() => renderGitTree({ resources: [crd], folder }));
    expect((error as AppError).code).toBe("VALIDATION_FAILED");
    expect((error as AppError).fieldErrors[0]!.path).toBe("folder");
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

function reverseKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeysDeep);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([key, item]) => [key, reverseKeysDeep(item)]),
    );
  }
  return value;
}

// kubectl's own kustomize, where kubectl is installed (the development and CI machines have it); skipped visibly otherwise.
const hasKubectl = spawnSync("kubectl", ["version", "--client"], { encoding: "utf8" }).status === 0;

describe.skipIf(!hasKubectl)("the exported tree under kubectl kustomize", () => {
  it("builds both waves: definitions/ holds only the definitions, the folder everything in apply order", () => {
    const payments = examplePaymentsApi();
    const { resources } = renderApplicationResources({
      target: { namespace: "payments", formats: [...KUBERNETES_FORMATS], serviceAccount: { name: "rampart", namespace: "rampart-system" } },
      applications: [{ id: payments.id, name: payments.name, effective: payments.effective, bundle: payments.bundle }],
      baseline: payments.baseline,
    });
    const tree = renderGitTree({ resources, folder: FOLDER });
    const dir = mkdtempSync(path.join(os.tmpdir(), "rampart-gitops-"));
    try {
      for (const file of tree.files) {
        mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
        writeFileSync(path.join(dir, file.path), file.content);
      }
      const build = (folder: string) => {
        const result = spawnSync("kubectl", ["kustomize", folder], { encoding: "utf8" });
        expect(result.stderr).toBe("");
        return parseAllDocuments(result.stdout).map((document) => document.toJS() as KubernetesResource);
      };
      const wave1 = build(path.join(dir, "definitions"));
      expect(wave1.map((r) => r.kind)).toEqual(["CustomResourceDefinition", "ConstraintTemplate"]);
      const wave2 = build(dir);
      expect(wave2).toHaveLength(resources.length);
      expect(wave2.slice(0, 2).map((r) => r.kind)).toEqual(["CustomResourceDefinition", "ConstraintTemplate"]);
      expect(wave2.findIndex((r) => r.kind === "ClusterPolicy")).toBeLessThan(wave2.findIndex((r) => r.kind === "RampartPolicy"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
