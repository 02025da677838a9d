import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { request } from "../test-support/http-request.js";
import { startOrigin, type Origin } from "../test-support/origin-server.js";
import { BASELINE, startTestProxy, type TestProxy } from "../test-support/start-test-proxy.js";

let origin: Origin;
let proxy: TestProxy;

beforeAll(async () => {
  origin = await startOrigin();
  proxy = await startTestProxy(["--policy", BASELINE, "--upstream", origin.url], { admin: true });
});
afterAll(async () => {
  await proxy.stop();
  await origin.close().catch(() => undefined);
});

describe("admin endpoints", () => {
  it("/healthz answers while the process lives", async () => {
    expect((await request(`${proxy.adminUrl}/healthz`)).status).toBe(200);
  });

  it("/metrics reports requests, blocks by family and rule, latency, policy and reloads", async () => {
    await request(`${proxy.url}/ok`);
    await request(`${proxy.url}/x?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E`);
    const text = (await request(`${proxy.adminUrl}/metrics`)).body;
    expect(text).toMatch(/^rampart_requests_total\{status="200"\} [1-9]/m);
    expect(text).toMatch(/^rampart_requests_total\{status="403"\} [1-9]/m);
    expect(text).toMatch(/^rampart_blocks_total\{family="xss",rule="xss\.script-tag"\} 1$/m);
    expect(text).toMatch(/^rampart_request_duration_seconds_bucket\{le="\+Inf"\} [1-9]/m);
    expect(text).toMatch(/^rampart_policy_info\{route="default",content_hash="sha256:[0-9a-f]{64}"\} 1$/m);
    expect(text).toMatch(/^rampart_policy_reloads_total\{result="failure"\} 0$/m);
  });

  it("/readyz is ready with a policy and a live upstream, and not ready once the upstream is gone", async () => {
    expect((await request(`${proxy.adminUrl}/readyz`)).status).toBe(200);
    await origin.close();
    // The probe result is cached for a second: wait for the probe to notice, not for the clock.
    const res = await vi.waitFor(
      async () => {
        const answer = await request(`${proxy.adminUrl}/readyz`);
        expect(answer.status).toBe(503);
        return answer;
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(res.body).toMatch(/not ready: upstream/);
  });
});
