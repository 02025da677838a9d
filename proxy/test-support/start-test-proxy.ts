// Starts the proxy in this process, on ephemeral ports, exactly as the CLI
// would (same flag parsing, same runSingle), and collects its decision log.

import path from "node:path";
import { parseCliArgs } from "../config/cli-options.js";
import { runSingle, type DeliveryOverrides, type RunningProxy } from "../server/run-proxy.js";

export interface TestProxy {
  running: RunningProxy;
  url: string;
  tlsPort: number | null;
  port: number;
  adminUrl: string | null;
  /** Decision lines written so far (flushed first). */
  decisions(): Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

export const REPO = path.resolve(import.meta.dirname, "../..");
export const BASELINE = path.join(REPO, "examples/policies/baseline-standard.yaml");
export const APP_POLICY = path.join(REPO, "examples/policies/app-payments-api.yaml");
export const TESTDATA = path.join(REPO, "proxy/testdata");

export interface TestProxyOptions {
  tls?: boolean;
  admin?: boolean;
  delivery?: DeliveryOverrides;
  /** Decision lines go where the arguments say (--decision-log FILE), not to memory: decisions() is then empty. */
  decisionLogFromArgs?: boolean;
}

export async function startTestProxy(args: string[], options: TestProxyOptions = {}): Promise<TestProxy> {
  const lines: string[] = [];
  const argv = [...args, "--workers", "1", "--listen", "127.0.0.1:0"];
  if (options.tls)
    argv.push("--listen-tls", "127.0.0.1:0", "--tls-cert", path.join(TESTDATA, "server.pem"), "--tls-key", path.join(TESTDATA, "server-key.pem"));
  if (options.admin) argv.push("--admin-listen", "127.0.0.1:0");
  const decisionSink = options.decisionLogFromArgs ? undefined : { write: (chunk: string) => void lines.push(chunk) };
  const running = await runSingle(parseCliArgs(argv, {}), { decisionSink, delivery: options.delivery });
  const addresses = running.worker!.addresses();
  const plain = addresses.find((a) => !a.tls)!;
  const tls = addresses.find((a) => a.tls);
  return {
    running,
    port: plain.port,
    url: `http://127.0.0.1:${plain.port}`,
    tlsPort: tls?.port ?? null,
    adminUrl: running.adminPort ? `http://127.0.0.1:${running.adminPort}` : null,
    decisions() {
      running.worker!.flushDecisions();
      return lines
        .join("")
        .split("\n")
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    stop: () => running.stop(),
  };
}
