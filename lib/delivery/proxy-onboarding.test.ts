import { describe, expect, it } from "vitest";
import { parseAllDocuments, parse as parseYaml } from "yaml";
import { proxyOnboarding } from "./proxy-onboarding";

describe("the proxy onboarding command", () => {
  it("connects a microgateway: token via the environment, the key as a downloaded PEM, the application's upstream", () => {
    const { shell, gatewayConfig, kubernetes } = proxyOnboarding({
      portalUrl: "https://portal.example.com/",
      target: { name: "payments-mgw", mode: "microgateway", applications: [{ slug: "payments-api", upstreamUrl: "https://127.0.0.1:9443" }] },
      token: "rdt_secret",
    });
    expect(shell).toContain("export RAMPART_PORTAL_TOKEN=rdt_secret");
    expect(shell).toContain("curl -fsS -o rampart-portal-key.pem https://portal.example.com/api/v1/delivery/signing-key.pem");
    expect(shell).toContain("export UPSTREAM_URL=https://127.0.0.1:9443");
    expect(shell).toContain(
      'npm run proxy -- --portal https://portal.example.com --portal-key rampart-portal-key.pem --upstream "$UPSTREAM_URL" --listen 0.0.0.0:8080',
    );
    // The token is never an argument of the proxy.
    expect(shell).not.toMatch(/--token\b/);
    expect(gatewayConfig).toBeNull();
    const container = parseYaml(kubernetes) as [{ args: string[] }];
    expect(container[0].args).toEqual(expect.arrayContaining(["--token-file=/etc/rampart/target/token", "--portal-key=/etc/rampart/target/portal-key.pem"]));
  });

  it("connects a gateway with a config naming each application, and quotes a placeholder token for the shell", () => {
    const { shell, gatewayConfig } = proxyOnboarding({
      portalUrl: "http://127.0.0.1:3000",
      target: {
        name: "edge",
        mode: "gateway",
        applications: [
          { slug: "shop", upstreamUrl: "http://10.0.0.6:8080" },
          { slug: "api", upstreamUrl: null },
        ],
      },
    });
    expect(shell).toContain("export RAMPART_PORTAL_TOKEN='<the token shown when the target was registered or its token rotated>'");
    expect(shell).toContain("--config gateway.yaml");
    const config = parseAllDocuments(gatewayConfig!)[0]!.toJS() as { routes: { application: string; upstream: string }[] };
    expect(config.routes.map((r) => [r.application, r.upstream])).toEqual([
      ["shop", "http://10.0.0.6:8080"],
      ["api", "https://app.internal.example:8443"],
    ]);
  });
});
