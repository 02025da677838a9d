// npm run proxy -- --policy examples/policies/baseline-standard.yaml --upstream http://127.0.0.1:9000 --listen 127.0.0.1:8080
// The proxy runtime's entry point: flags → options → (validate | single process | cluster).

import { CliError, helpText, parseCliArgs } from "./config/cli-options.js";
import { loadBundleSet } from "./policy/load-bundle-set.js";
import { loadTrustedKeys } from "./policy/parse-bundle.js";
import { PolicyLoadError } from "./policy/policy-load-error.js";
import { isClusterWorker, runPrimary, runSingle, trialCompile, workerSettings } from "./server/run-proxy.js";
import { logEvent } from "./server/decision-log.js";

async function main(): Promise<void> {
  if (isClusterWorker()) {
    const { runWorker } = await import("./server/run-proxy.js");
    runWorker();
    return;
  }
  const options = parseCliArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(helpText());
    return;
  }
  if (options.validate) {
    if (options.portal !== undefined) throw new CliError("--validate checks local files; it does not contact the portal");
    if (options.source === "kubernetes") throw new CliError("--validate checks local files; it does not read from the cluster");
    const source =
      options.config !== undefined
        ? ({ kind: "gateway", configFile: options.config } as const)
        : ({ kind: "files", files: options.policy, upstream: options.upstream! } as const);
    const set = loadBundleSet(source, { now: new Date(), trustedKeys: loadTrustedKeys(options["trusted-key"]) });
    const started = performance.now();
    trialCompile(set, workerSettings(options));
    for (const route of set.routes) {
      process.stdout.write(`${route.name}: ${route.host ?? "*"}${route.pathPrefix} → ${route.upstream}  ${route.bundle.contentHash}\n`);
    }
    process.stdout.write(`valid (compiled in ${Math.round(performance.now() - started)} ms)\n`);
    return;
  }
  if (options.workers > 1) await runPrimary(options);
  else {
    const running = await runSingle(options);
    const stop = (signal: string) => {
      logEvent("stopping", { signal });
      void running.stop().then(() => process.exit(0));
    };
    process.on("SIGTERM", () => stop("SIGTERM"));
    process.on("SIGINT", () => stop("SIGINT"));
  }
}

main().catch((error: unknown) => {
  if (error instanceof CliError || error instanceof PolicyLoadError) process.stderr.write(`rampart proxy: ${error.message}\n`);
  else process.stderr.write(`rampart proxy: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
