// deploy/: every manifest is valid against its published schema, the generated
// CRD is current, and every Pod follows the restricted security profile with
// requests, limits and probes.

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
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

const files = yamlFiles(DEPLOY)
  .map((file) => path.relative(DEPLOY, file))
  .sort();
const manifests = files.filter((file) => file !== "kustomization.yaml");
// Read as kubectl reads them: YAML 1.1.
const documents = manifests.flatMap((file) =>
  loadYamlDocuments(path.join(DEPLOY, file), { version: "1.1" }).map((document) => ({ file, document: document as any })),
);

type Pod = { file: string; owner: string; spec: any };
const pods: Pod[] = documents.flatMap(({ file, document }) => {
  const spec = document.kind === "Pod" ? document.spec : (document.spec?.template?.spec ?? document.spec?.jobTemplate?.spec?.template?.spec);
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

  it('the standard baseline\'s RampartPolicy is valid under the CRD as kubectl reads deploy/crds (the enums keep "off")', () => {
    const [crd] = loadYamlDocuments(path.join(DEPLOY, "crds/rampart.dev_rampartpolicies.yaml"), { version: "1.1" }) as any[];
    const schema = compileCrdSchema(crd.spec.versions[0].schema.openAPIV3Schema);
    const app = examplePaymentsApi("baseline-standard.yaml");
    expect(app.bundle.geolocation.mode).toBe("off");
    const policy = renderRampartPolicy({ applicationId: app.id, application: app.name, namespace: "payments", bundle: app.bundle });
    expect(schema.validate(schema.normalise(policy as any), null)).toEqual([]);
  });

  // kubectl's own kustomize (kubectl kustomize deploy/), where kubectl is installed; skipped visibly otherwise.
  it.skipIf(spawnSync("kubectl", ["version", "--client"]).status !== 0)(
    "kubectl kustomize deploy/ builds, with every listed manifest and the image set",
    () => {
      const result = spawnSync("kubectl", ["kustomize", DEPLOY], { encoding: "utf8" });
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      const built = YAML.parseAllDocuments(result.stdout, { version: "1.1" }).map((document) => document.toJS() as any);
      const listed = documents.filter(({ file }) => !file.includes("example"));
      expect(built.map((d) => `${d.kind}/${d.metadata.name}`).sort()).toEqual(
        listed.map(({ document }) => `${document.kind}/${document.metadata.name}`).sort(),
      );
      for (const document of built)
        expect(document.metadata.labels?.["app.kubernetes.io/part-of"], `${document.kind}/${document.metadata.name}`).toBe("rampart");
    },
  );

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
    const images = new Set(
      pods.flatMap((pod) => [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].map((container: any) => container.image.split(":")[0])),
    );
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
        expect(container.image, where).toMatch(/:[\w.-]+(@sha256:[0-9a-f]{64})?$/);
        const mounts: any[] = container.volumeMounts ?? [];
        expect(
          mounts.some((mount) => mount.mountPath === "/tmp" && volumes.get(mount.name)?.emptyDir),
          `${where} /tmp`,
        ).toBe(true);
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
        if (container.command?.includes("dist/server/proxy.mjs")) {
          const admin = container.args.find((arg: string) => arg.startsWith("--admin-listen="));
          expect(admin, owner).toBe("--admin-listen=0.0.0.0:9901");
          expect(container.ports.find((port: any) => port.name === "admin").containerPort).toBe(9901);
          expect(container.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "admin" });
          expect(container.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "admin" });
        }
      }
    }
  });

  it("commands run the compiled entry points the image builds (scripts/build-server.mjs), never a TypeScript loader", async () => {
    const { SERVER_ENTRIES, SERVER_OUTDIR } = await import("../../../scripts/build-server.mjs");
    for (const { owner, spec } of pods) {
      for (const container of [...spec.containers, ...(spec.initContainers ?? [])]) {
        if (!container.image.includes("rampart/rampart")) continue;
        const [node, entry, ...rest] = container.command as string[];
        expect([node, ...rest], `${owner} ${container.name}`).toEqual(["node"]);
        const output = entry!.slice(`${SERVER_OUTDIR}/`.length);
        expect(entry!.startsWith(`${SERVER_OUTDIR}/`) && output in SERVER_ENTRIES, `${owner} ${entry}`).toBe(true);
        expect(existsSync(path.join(ROOT, SERVER_ENTRIES[output as keyof typeof SERVER_ENTRIES])), SERVER_ENTRIES[output as keyof typeof SERVER_ENTRIES]).toBe(
          true,
        );
      }
    }
    // Readiness checks the database; liveness only that the process answers (HTTP, over TLS).
    expect(existsSync(path.join(ROOT, "app/api/health/route.ts"))).toBe(true);
    expect(existsSync(path.join(ROOT, "app/api/health/live/route.ts"))).toBe(true);
    const portal = pods.find((pod) => pod.owner === "Deployment/rampart-portal")!.spec;
    expect(portal.initContainers[0].command).toEqual(["node", "dist/server/db-migrate.mjs"]);
    expect(portal.containers[0].readinessProbe.httpGet).toEqual({ path: "/api/health", port: "https", scheme: "HTTPS" });
    expect(portal.containers[0].livenessProbe.httpGet).toEqual({ path: "/api/health/live", port: "https", scheme: "HTTPS" });
  });

  it("the compiled proxy and migration commands run with plain node (no TypeScript loader)", async () => {
    const { buildServer } = await import("../../../scripts/build-server.mjs");
    // Two levels below the root, like dist/server/, so "../.." paths in the sources hold.
    const outdir = path.join(ROOT, "dist", `test-${process.pid}`);
    try {
      // Node 20 (the development machines) lacks APIs client-node's undici loads; the image runs Node 22.
      await buildServer(outdir, { "proxy.mjs": "proxy/cli.ts", "node-compat.mjs": "lib/policy-spec/node20-compat.ts" });
      const run = spawnSync(process.execPath, ["--import", path.join(outdir, "node-compat.mjs"), path.join(outdir, "proxy.mjs"), "--help"], {
        encoding: "utf8",
        timeout: 30_000,
      });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(run.stdout).toContain("--portal");
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 60_000);

  it("TLS between gateway and portal: the portal serves its certificate, the gateway verifies it with the CA", () => {
    const portal = pods.find((pod) => pod.owner === "Deployment/rampart-portal")!.spec;
    const env = Object.fromEntries(portal.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({ TLS_CERT_FILE: "/etc/rampart/tls/tls.crt", TLS_KEY_FILE: "/etc/rampart/tls/tls.key" });
    expect(portal.volumes.find((v: any) => v.name === "tls").secret.secretName).toBe("rampart-portal-tls");
    const gateway = pods.find((pod) => pod.owner === "Deployment/rampart-gateway")!.spec;
    const args: string[] = gateway.containers[0].args;
    expect(args).toContain("--portal=https://rampart-portal.rampart.svc.cluster.local");
    expect(args).toContain("--portal-ca=/etc/rampart/portal-ca/ca.crt");
    expect(gateway.volumes.find((v: any) => v.name === "portal-ca").secret).toEqual({
      secretName: "rampart-portal-tls",
      items: [{ key: "ca.crt", path: "ca.crt" }],
    });
    const service = documents.find(({ document }) => document.kind === "Service" && document.metadata.name === "rampart-portal")!.document;
    expect(service.spec.ports).toEqual([{ name: "https", port: 443, targetPort: "https", protocol: "TCP" }]);
  });

  it("the gateway survives node drains and zone failures, and only the monitoring namespace reaches its admin port", () => {
    const gateway = pods.find((pod) => pod.owner === "Deployment/rampart-gateway")!.spec;
    expect(gateway.topologySpreadConstraints.map((c: any) => c.topologyKey)).toEqual(["topology.kubernetes.io/zone", "kubernetes.io/hostname"]);
    const pdb = documents.find(({ document }) => document.kind === "PodDisruptionBudget" && document.metadata.name === "rampart-gateway")!.document;
    expect(pdb.spec).toEqual({ minAvailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": "rampart-gateway" } } });
    const policy = documents.find(({ document }) => document.kind === "NetworkPolicy" && document.metadata.name === "rampart-gateway")!.document;
    const admin = policy.spec.ingress.filter((rule: any) => rule.ports.some((p: any) => p.port === "admin"));
    expect(admin).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }], ports: [{ port: "admin", protocol: "TCP" }] },
    ]);
    const portalPolicy = documents.find(({ document }) => document.kind === "NetworkPolicy" && document.metadata.name === "rampart-portal")!.document;
    expect(portalPolicy.spec.ingress.flatMap((rule: any) => rule.ports.map((p: any) => p.port))).toEqual(["https"]);
    expect(documents.some(({ file, document }) => file === "proxy/gateway-hpa.example.yaml" && document.kind === "HorizontalPodAutoscaler")).toBe(true);
  });

  it("images are pinned by digest in the example kustomization", () => {
    const kustomization = YAML.parse(readFileSync(path.join(DEPLOY, "kustomization.yaml"), "utf8"));
    expect(kustomization.images[0].digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("the Dockerfile runs compiled JavaScript on production dependencies, as the user the manifests expect", () => {
    const dockerfile = readFileSync(path.join(ROOT, "Dockerfile"), "utf8");
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
    for (const { owner, spec } of pods.filter((pod) => pod.owner.startsWith("Deployment/rampart"))) {
      expect(spec.securityContext, owner).toMatchObject({ runAsUser: 1000, runAsGroup: 1000 });
    }
    expect(dockerfile).toContain('CMD ["node", "dist/server/serve.mjs"]');
    expect(dockerfile).toContain("node scripts/build-server.mjs");
    expect(dockerfile).toContain("npm ci --omit=dev --omit=optional --ignore-scripts");
    expect(dockerfile).not.toMatch(/--import", "tsx"|node --import tsx/);
    // The final stage takes node_modules only from the production-dependencies stage.
    const final = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
    expect(final).toContain("COPY --from=production-dependencies /app/node_modules ./node_modules");
    expect(final).not.toMatch(/COPY --from=build \/app \/app|COPY --from=build \/app\/node_modules/);
  });
});
