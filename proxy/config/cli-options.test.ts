import { describe, expect, it } from "vitest";
import { CliError, helpText, parseCliArgs } from "./cli-options.js";

describe("command-line flags", () => {
  it("parses the standalone form with defaults", () => {
    const o = parseCliArgs(
      ["--policy", "b.yaml", "--policy", "a.yaml", "--upstream", "http://127.0.0.1:9000", "--listen", "127.0.0.1:8080", "--workers", "2"],
      {},
    );
    expect(o.policy).toEqual(["b.yaml", "a.yaml"]);
    expect(o.listen).toEqual([{ host: "127.0.0.1", port: 8080 }]);
    expect(o.workers).toBe(2);
  });

  it("listens on 127.0.0.1:8080 when no listener is given", () => {
    expect(parseCliArgs(["--config", "g.yaml"], {}).listen).toEqual([{ host: "127.0.0.1", port: 8080 }]);
  });

  it.each([
    [["--policy", "b.yaml"], /--upstream is required/],
    [["--policy", "b.yaml", "--config", "g.yaml"], /exactly one policy source/],
    [["--frobnicate"], /unknown flag --frobnicate/],
    [["--policy"], /needs a value/],
    [["--config", "g", "--workers", "0"], /workers/],
    [["--config", "g", "--listen", "localhost"], /HOST:PORT/],
    [["--policy", "b", "--upstream", "http://x/path"], /no path/],
    [["--portal", "https://p", "--token", "t", "--upstream", "http://127.0.0.1:1"], /--portal needs --portal-key/],
    [["--portal", "https://p", "--token", "t", "--portal-key", "k.pem"], /--portal needs --upstream .* or --config/],
    [["--portal", "https://p", "--portal-key", "k.pem", "--upstream", "http://127.0.0.1:1"], /needs the target's token/],
    [["--portal", "https://p", "--token", "t", "--portal-key", "k", "--config", "g", "--application", "a"], /each route names its application/],
    [["--policy", "b", "--upstream", "http://127.0.0.1:1", "--portal-key", "k.pem"], /--portal-key belongs to connected mode/],
    [["--config", "g", "--tls-cert", "c.pem"], /go together/],
    [["--config", "g", "--config", "h"], /given twice/],
  ])("refuses %j", (argv, message) => {
    expect(() => parseCliArgs(argv as string[], {})).toThrow(CliError);
    expect(() => parseCliArgs(argv as string[], {})).toThrow(message);
  });

  it("takes the portal token from the environment", () => {
    expect(
      parseCliArgs(["--portal", "https://p.example", "--portal-key", "k.pem", "--upstream", "http://127.0.0.1:1"], { RAMPART_PORTAL_TOKEN: "t" }).token,
    ).toBe("t");
  });

  it("takes connected mode as a microgateway (--upstream) or a gateway (--config)", () => {
    const gateway = parseCliArgs(
      ["--portal", "https://p.example", "--token", "t", "--portal-key", "k.pem", "--portal-key", "k2.pem", "--config", "g.yaml"],
      {},
    );
    expect(gateway["portal-key"]).toEqual(["k.pem", "k2.pem"]);
    expect(gateway["poll-wait"]).toBe(30);
    expect(gateway["heartbeat-interval"]).toBe(10);
  });

  it("documents every flag in --help", () => {
    expect(helpText()).toMatch(/--admin-listen HOST:PORT/);
  });
});
