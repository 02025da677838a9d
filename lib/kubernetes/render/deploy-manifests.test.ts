// deploy/: every manifest is valid against its published schema, the generated
// CRD is current, and every Pod follows the restricted security profile with
// requests, limits and probes.

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { loadYamlDocuments, manifestSchemaErrors } from "./__fixtures__/manifest-schemas";
import { structuralSchemaViolations } from "./check-structural-schema";
import { crdVersionSchema } from "./crd-schema-to-json-schema";
import { compileCrdSchema } from "@/tests/kube-api-server/crd-schema";
import { examplePaymentsApi } from "./__fixtures__/render-fixtures";
import { generatedDeployFiles } from "./generated-deploy-files";
import { renderRampartPolicy } from "./render-rampart-policy";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const DEPLOY = path.join(ROOT, "deploy");

function yamlFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const full = path.join(directory, entry);
    if (statSync(full).isDirectory()) return yamlFiles(full);
    return entry.endsWith(".yaml") || entry.endsWith(".yml") ? [full] : [];
  });
}

const files = yamlFiles(DEPLOY).map((file) => path.relative(DEPLOY, file)).sort();
const manifests = files.filter((file) => file !== "kustomization.yaml");
// Read as kubectl reads them: YAML 1.1.
const documents = manifests.flatMap((file) => loadYamlDocuments(path.join(DEPLOY, file), { version: "1.1" }).map((document) => ({ file, document: document as any })));

type Pod = { file: string; owner: string; spec: any };
const pods: Pod[] = documents.flatMap(({ file, document }) => {
  const spec = document.kind === "Pod" ? document.spec : document.spec?.template?.spec ?? document.spec?.jobTemplate?.spec?.template?.spec;
  return spec ? [{ file, owner: `${document.kind}/${document.metadata.name}`, spec }] : [];
});

describe("deploy/", () => {
  it("the generated CRD is current (run npm run kubernetes:manifests after changing lib/policy-spec)", () => {
    for (const [relative, text] of Object.entries(generatedDeployFiles())) {
      expect(readFileSync(path.join(DEPLOY, relative), "utf8"), relative).toBe(text);
    }
  });

  it("every file reads the same to a YAML 1.1 reader (kubectl, client-go) as to a YAML 1.2 one: no unquoted off/on/yes or 0-prefixed numbers", () => {
    for (const file of files) {
      const text = readFileSync(path.join(DEPLOY, file), "utf8");
      const asRead = (version: "1.1" | "1.2") => YAML.parseAllDocuments(text, { version }).map((document) => document.toJS());
      expect(asRead("1.1"), file).toEqual(asRead("1.2"));
    }
  });

  it("the standard baseline's RampartPolicy is valid under the CRD as kubectl reads deploy/crds (the enums keep \"off\")", () => {
    const [crd] = loadYamlDocuments(path.join(DEPLOY, "crds/rampart.dev_rampartpolicies.yaml"), { version: "1.1" }) as any[];
    const schema = compileCrdSchema(crd.spec.versions[0].schema.openAPIV3Schema);
    const app = examplePaymentsApi("baseline-standard.yaml");
    expect(app.bundle.geolocation.mode).toBe("off");
    const policy = renderRampartPolicy({ applicationId: app.id, application: app.name, namespace: "payments", bundle: app.bundle });
    expect(schema.validate(schema.normalise(policy as any), null)).toEqual([]);
  });

  // kubectl's own kustomize (kubectl kustomize deploy/), where kubectl is installed; skipped visibly otherwise.
  it.skipIf(spawnSync("kubectl", ["version", "--client"]).status !== 0)("kubectl kustomize deploy/ builds, with every listed manifest and the image set", () => {
    const result = spawnSync("kubectl", ["kustomize", DEPLOY], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const built = YAML.parseAllDocuments(result.stdout, { version: "1.1" }).map((document) => document.toJS() as any);
    const listed = documents.filter(({ file }) => !file.includes("example"));
    expect(built.map((d) => `${d.kind}/${d.metadata.name}`).sort()).toEqual(listed.map(({ document }) => `${document.kind}/${document.metadata.name}`).sort());
    for (const document of built) expect(document.metadata.labels?.["app.kubernetes.io/part-of"], `${document.kind}/${document.metadata.name}`).toBe("rampart");
  });

  it("every manifest validates against its published schema", () => {
    expect(documents.length).toBeGreaterThan(10);
    for (const { file, document } of documents) {
      expect(manifestSchemaErrors(document), `${file}: ${document.kind}/${document.metadata?.name}`).toEqual([]);
    }
  });

  it("every CustomResourceDefinition has structural schemas", () => {
    const crds = documents.filter(({ document }) => document.kind === "CustomResourceDefinition");
    expect(crds.map(({ document }) => document.metadata.name)).toEqual(["rampartpolicies.rampart.dev"]);
    for (const { document } of crds) {
      for (const version of document.spec.versions) {
        expect(structuralSchemaViolations(crdVersionSchema(document, version.name)), version.name).toEqual([]);
      }
    }
  });

  it("kustomization.yaml lists every manifest that is not an example, and only files that exist", () => {
    const kustomization = YAML.parse(readFileSync(path.join(DEPLOY, "kustomization.yaml"), "utf8"));
    expect(kustomization).toMatchObject({ apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization" });
    const listed = [...kustomization.resources].sort();
    expect(listed).toEqual(manifests.filter((file) => !file.includes("example")));
    const images = new Set(pods.flatMap((pod) => [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].map((container: any) => container.image.split(":")[0])));
    expect(images.has(kustomization.images[0].name)).toBe(true);
  });

  it("every Pod runs non-root with the RuntimeDefault seccomp profile and no host namespaces", () => {
    expect(pods.map((pod) => pod.owner)).toEqual(["Deployment/rampart-portal", "Deployment/rampart-gateway", "Deployment/payments-api"]);
    for (const { owner, spec } of pods) {
      expect(spec.securityContext, owner).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
      expect(spec.hostNetwork ?? false, owner).toBe(false);
      expect(spec.hostPID ?? false, owner).toBe(false);
      expect(spec.hostIPC ?? false, owner).toBe(false);
    }
  });

  it("every container is restricted, read-only, has requests and limits, and writes only to emptyDir volumes", () => {
    for (const { owner, spec } of pods) {
      const volumes = new Map<string, any>(spec.volumes.map((volume: any) => [volume.name, volume]));
      for (const container of [...spec.containers, ...(spec.initContainers ?? [])]) {
        const where = `${owner} ${container.name}`;
        expect(container.securityContext, where).toMatchObject({
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ["ALL"] },
          seccompProfile: { type: "RuntimeDefault" },
        });
        expect(container.securityContext.privileged ?? false, where).toBe(false);
        expect(container.securityContext.capabilities.add, where).toBeUndefined();
        for (const kind of ["requests", "limits"]) {
          expect(Object.keys(container.resources?.[kind] ?? {}).sort(), `${where} ${kind}`).toEqual(["cpu", "memory"]);
        }
        expect(container.image, where).toMatch(/:[\w.-]+$/);
        const mounts: any[] = container.volumeMounts ?? [];
        expect(mounts.some((mount) => mount.mountPath === "/tmp" && volumes.get(mount.name)?.emptyDir), `${where} /tmp`).toBe(true);
        for (const mount of mounts) {
          const volume = volumes.get(mount.name);
          expect(volume, `${where} ${mount.name}`).toBeDefined();
          if (!volume.emptyDir) expect(mount.readOnly, `${where} ${mount.name} must be read-only`).toBe(true);
        }
      }
    }
  });

  it("every long-running container has liveness and readiness probes; the proxy's use /healthz and /readyz on its admin listener", () => {
    for (const { owner, spec } of pods) {
      for (const container of spec.containers) {
        expect(container.livenessProbe, `${owner} ${container.name}`).toBeDefined();
        expect(container.readinessProbe, `${owner} ${container.name}`).toBeDefined();
        if (container.command?.includes("proxy/cli.ts")) {
          const admin = container.args.find((arg: string) => arg.startsWith("--admin-listen="));
          expect(admin, owner).toBe("--admin-listen=0.0.0.0:9901");
          expect(container.ports.find((port: any) => port.name === "admin").containerPort).toBe(9901);
          expect(container.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "admin" });
          expect(container.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "admin" });
        }
      }
    }
  });

  it("commands point at entry points and scripts that exist", () => {
    const scripts = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts;
    for (const { owner, spec } of pods) {
      for (const container of [...spec.containers, ...(spec.initContainers ?? [])]) {
        if (!container.image.includes("rampart/rampart")) continue;
        const command: string[] = container.command;
        if (command[0] === "npm") expect(scripts[command[2]!], `${owner} ${command.join(" ")}`).toBeDefined();
        else expect(existsSync(path.join(ROOT, command.at(-1)!)), `${owner} ${command.join(" ")}`).toBe(true);
      }
    }
    // The portal's readiness probe is the health route that checks the database.
    expect(existsSync(path.join(ROOT, "app/api/health/route.ts"))).toBe(true);
    const portal = pods.find((pod) => pod.owner === "Deployment/rampart-portal")!.spec;
    expect(portal.initContainers[0].command).toEqual(["npm", "run", "db:migrate"]);
    expect(portal.containers[0].readinessProbe.httpGet.path).toBe("/api/health");
  });

  it("the Dockerfile runs as the user the manifests expect", () => {
    const dockerfile = readFileSync(path.join(ROOT, "Dockerfile"), "utf8");
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
    for (const { owner, spec } of pods.filter((pod) => pod.owner.startsWith("Deployment/rampart"))) {
      expect(spec.securityContext, owner).toMatchObject({ runAsUser: 1000, runAsGroup: 1000 });
    }
    expect(dockerfile).toContain('CMD ["node", "--import", "tsx", "lib/cli/serve.ts"]');
  });
});
