// --source kubernetes and its flags: what is required with it, what it excludes.

import { describe, expect, it } from "vitest";
import { CliError, helpText, parseCliArgs } from "./cli-options.js";

const base = ["--source", "kubernetes", "--kube-namespace", "payments", "--kube-policy", "payments-api", "--upstream", "http://127.0.0.1:9000"];

describe("--source kubernetes", () => {
  it("parses the namespace, the policy name and an optional kubeconfig", () => {
    const options = parseCliArgs([...base, "--kubeconfig", "/etc/rampart/kubeconfig"], {});
    expect(options).toMatchObject({ source: "kubernetes", "kube-namespace": "payments", "kube-policy": "payments-api", kubeconfig: "/etc/rampart/kubeconfig" });
    expect(parseCliArgs(base, {}).kubeconfig).toBeUndefined();
  });

  it("needs --upstream, --kube-namespace and --kube-policy", () => {
    expect(() => parseCliArgs(["--source", "kubernetes"], {})).toThrow(CliError);
    for (const missing of ["--kube-namespace", "--kube-policy", "--upstream"]) {
      const index = base.indexOf(missing);
      const args = [...base.slice(0, index), ...base.slice(index + 2)];
      expect(() => parseCliArgs(args, {})).toThrow(missing);
    }
  });

  it("is the only policy source and takes no signing keys", () => {
    expect(() => parseCliArgs([...base, "--policy", "baseline.yaml"], {})).toThrow("--source kubernetes is the policy source");
    expect(() => parseCliArgs([...base, "--trusted-key", "k=key.pem"], {})).toThrow("--trusted-key does not apply to --source kubernetes");
    expect(() => parseCliArgs([...base.slice(0, 2), "--kube-namespace", "Not_Valid", "--kube-policy", "p", "--upstream", "http://127.0.0.1:9000"], {})).toThrow(
      "--kube-namespace",
    );
  });

  it("refuses the Kubernetes flags without it, and unknown source names", () => {
    expect(() => parseCliArgs(["--policy", "baseline.yaml", "--upstream", "http://127.0.0.1:9000", "--kube-namespace", "payments"], {})).toThrow(
      "--kube-namespace belongs to --source kubernetes",
    );
    expect(() => parseCliArgs(["--source", "etcd", "--upstream", "http://127.0.0.1:9000"], {})).toThrow("--source");
  });

  it("is listed in --help", () => {
    expect(helpText()).toMatch(/--source kubernetes/);
    expect(helpText()).toMatch(/--kube-policy NAME/);
  });
});
