// A Kubernetes client from kubeconfig text (what a delivery target stores).
// The one place lib/ loads @kubernetes/client-node's values, right after the
// Node 20 shims it needs (lib/policy-spec/node20-compat.ts).
import "server-only";
import "@/lib/policy-spec/node20-compat";
import type https from "node:https";
import { dumpYaml, KubeConfig, KubernetesObjectApi, loadYaml, PatchStrategy, type KubernetesObject, type RequestContext } from "@kubernetes/client-node";
import type { Dispatcher } from "undici";
import { parse } from "yaml";
import { kubeconfigProblems } from "./check-kubeconfig";
import { createOutboundDispatcher } from "@/lib/outbound/outbound-dispatcher";
import { ClusterError } from "./cluster-error";

export { PatchStrategy };

export const FIELD_MANAGER = "rampart";

export interface KubeClient {
  objects: KubernetesObjectApi;
  /** The API server URL of the current context (for messages). */
  server: string;
}

/**
 * A client for the kubeconfig's current context. The text is checked first
 * (check-kubeconfig.ts) and a kubeconfig that fails is never handed to client-node,
 * which would run its exec plugin or read the files it names while loading or using it.
 */
export function createKubeClient(kubeconfig: string): KubeClient {
  const problems = kubeconfigProblems(kubeconfig);
  if (problems.length > 0) {
    throw new ClusterError(
      "invalid-kubeconfig",
      `the stored kubeconfig is refused: ${problems.map((p) => `${["kubeconfig", ...p.path].join(".")} ${p.message}`).join("; ")}`,
    );
  }
  const config = new GuardedKubeConfig();
  try {
    config.loadFromString(kubeconfig);
  } catch (error) {
    throw new ClusterError("invalid-kubeconfig", `the kubeconfig is not valid YAML: ${(error as Error).message}`);
  }
  const cluster = config.getCurrentCluster();
  if (!config.currentContext || !cluster) throw new ClusterError("invalid-kubeconfig", "the kubeconfig has no current-context naming a cluster");
  if (!/^https?:\/\//.test(cluster.server))
    throw new ClusterError("invalid-kubeconfig", `the kubeconfig's cluster server "${cluster.server}" is not an http(s) URL`);
  return { objects: KubernetesObjectApi.makeApiClient(config), server: cluster.server };
}

/**
 * A KubeConfig whose every request goes through the outbound guard (lib/outbound): the
 * API server's name is resolved and checked at each connection and connected to at the
 * checked address, redirects fail, time is bounded. client-node's own dispatcher for the
 * request is replaced by one built from the same TLS settings (CA, client certificate,
 * server name), made once per client.
 */
class GuardedKubeConfig extends KubeConfig {
  #dispatcher: Promise<Dispatcher> | null = null;

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    context.setDispatcher(await (this.#dispatcher ??= this.#createDispatcher()));
  }

  async #createDispatcher(): Promise<Dispatcher> {
    const tls: https.RequestOptions = {};
    await this.applyToHTTPSOptions(tls);
    return createOutboundDispatcher({
      tls: {
        ca: tls.ca,
        cert: tls.cert,
        key: tls.key,
        ...(tls.servername ? { servername: tls.servername } : {}),
        ...(tls.rejectUnauthorized !== undefined ? { rejectUnauthorized: tls.rejectUnauthorized } : {}),
      },
    });
  }
}

/**
 * client-node (de)serialises built-in kinds through its generated models, whose
 * property names differ from the wire's ("x_kubernetes_preserve_unknown_fields"
 * for "x-kubernetes-preserve-unknown-fields", Dates for timestamps). Handing it a
 * wire-format CRD would silently drop those fields, so objects cross the
 * boundary through its own loadYaml/dumpYaml, which map both ways.
 */
export function toClientObject(wire: object): KubernetesObject {
  return loadYaml<KubernetesObject>(JSON.stringify(wire));
}

export function toWireObject(object: unknown): Record<string, unknown> {
  return parse(dumpYaml(object)) as Record<string, unknown>;
}
