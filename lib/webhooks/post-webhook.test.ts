import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { webhookSignature } from "./post-webhook";

describe("webhookSignature", () => {
  it("signs the timestamp and the body with HMAC-SHA256, as a receiver recomputes it", () => {
    const at = new Date("2026-11-26T08:00:00Z");
    const body = '{"event":"policy.exception.expiring"}';
    const t = at.getTime() / 1000;
    const expected = createHmac("sha256", "whsec_test").update(`${t}.${body}`).digest("hex");
    expect(webhookSignature("whsec_test", body, at)).toBe(`t=${t},v1=${expected}`);
  });

  it("changes with the secret, the body and the time", () => {
    const at = new Date("2026-11-26T08:00:00Z");
    const base = webhookSignature("a", "{}", at);
    expect(webhookSignature("b", "{}", at)).not.toBe(base);
    expect(webhookSignature("a", "{ }", at)).not.toBe(base);
    expect(webhookSignature("a", "{}", new Date(at.getTime() + 1000))).not.toBe(base);
  });
});
