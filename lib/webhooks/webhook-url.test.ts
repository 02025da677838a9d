import { describe, expect, it } from "vitest";
import { webhookUrlProblem, webhookUrlSchema } from "./webhook-url";

describe("webhook URLs", () => {
  it("accepts https anywhere, and http to loopback where the operator opened loopback", () => {
    const before = process.env.RAMPART_EGRESS_ALLOW;
    process.env.RAMPART_EGRESS_ALLOW = "127.0.0.1/32,::1/128";
    try {
      for (const url of ["https://hooks.example.com/rampart/T0K3N", "http://127.0.0.1:8080/hook", "http://localhost/hook", "http://[::1]:9000/"]) {
        expect(webhookUrlProblem(url), url).toBeNull();
      }
    } finally {
      if (before === undefined) delete process.env.RAMPART_EGRESS_ALLOW;
      else process.env.RAMPART_EGRESS_ALLOW = before;
    }
  });

  it("refuses loopback by default: the outbound guard opens nothing unless told", () => {
    const before = process.env.RAMPART_EGRESS_ALLOW;
    delete process.env.RAMPART_EGRESS_ALLOW;
    try {
      expect(webhookUrlProblem("http://127.0.0.1:8080/hook")).toMatch(/RAMPART_EGRESS_ALLOW/);
      expect(webhookUrlProblem("https://169.254.169.254/latest/meta-data")).toMatch(/RAMPART_EGRESS_ALLOW/);
    } finally {
      if (before !== undefined) process.env.RAMPART_EGRESS_ALLOW = before;
    }
  });

  it("refuses plain http across a network, other schemes, credentials and garbage", () => {
    expect(webhookUrlProblem("http://hooks.example.com/x")).toMatch(/https/);
    expect(webhookUrlProblem("http://10.0.0.5/x")).toMatch(/https/);
    expect(webhookUrlProblem("http://127.0.0.1.example.com/x")).toMatch(/https/);
    expect(webhookUrlProblem("ftp://example.com/x")).toBe("must be an https:// URL");
    expect(webhookUrlProblem("https://user:pw@example.com/")).toMatch(/user name or password/);
    expect(webhookUrlProblem("https://example.com/#x")).toMatch(/fragment/);
    expect(webhookUrlProblem("hooks.example.com")).toBe("is not a URL");
  });

  it("reports the problem as the schema's message", () => {
    const result = webhookUrlSchema.safeParse("http://hooks.example.com/");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/must use https/);
    expect(webhookUrlSchema.parse("  https://example.com/h  ")).toBe("https://example.com/h");
  });
});
