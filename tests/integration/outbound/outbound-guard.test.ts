// The outbound-request guard (lib/outbound) against real listeners on loopback: loopback
// is refused until the operator allows it, a name is connected to at the address that was
// checked (a resolver that changes its answer gets no second chance), a redirect is never
// followed, a connection that never completes is given up at the connect bound, and an
// exchange that never ends is cut off at its deadline.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createOutboundDispatcher } from "@/lib/outbound/outbound-dispatcher";
import { outboundFetch } from "@/lib/outbound/outbound-fetch";
import { classifyKubeError } from "@/lib/kubernetes/cluster/cluster-error";
import { networkErrorCode, outboundRefusalOf } from "@/lib/outbound/outbound-refused";
import { allowLoopbackEgress, disallowLoopbackEgress } from "../../helpers/allow-loopback-egress";
import { startUnansweredListener } from "../../helpers/unanswered-listener";

const hits: string[] = [];
let server: http.Server;
let port: number;
let elsewhere: http.Server;
let elsewherePort: number;
let hanging: http.Server;
let hangingPort: number;

function listen(handler: http.RequestListener): Promise<{ server: http.Server; port: number }> {
  const s = http.createServer(handler);
  return new Promise((resolve) => s.listen(0, "127.0.0.1", () => resolve({ server: s, port: (s.address() as AddressInfo).port })));
}

beforeAll(async () => {
  ({ server, port } = await listen((req, res) => {
    hits.push(`main ${req.url}`);
    if (req.url === "/redirect") return void res.writeHead(302, { location: `http://127.0.0.1:${elsewherePort}/stolen` }).end();
    res.end("hello");
  }));
  ({ server: elsewhere, port: elsewherePort } = await listen((req, res) => {
    hits.push(`elsewhere ${req.url}`);
    res.end("secret");
  }));
  ({ server: hanging, port: hangingPort } = await listen((req) => {
    hits.push(`hanging ${req.url}`); // accepts, never answers
  }));
});
afterEach(() => {
  disallowLoopbackEgress();
  hits.length = 0;
});
afterAll(async () => {
  hanging.closeAllConnections();
  await Promise.all([server, elsewhere, hanging].map((s) => new Promise((r) => s.close(r))));
});

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "the request should have failed").not.toBeNull();
  return outboundRefusalOf(error);
}

describe("addresses inside the portal's network", () => {
  it("refuses loopback by default, by address, by name and as IPv4-mapped IPv6, without a connection", async () => {
    for (const url of [`http://127.0.0.1:${port}/`, `http://localhost:${port}/`, `http://[::ffff:127.0.0.1]:${port}/`]) {
      expect((await refusal(outboundFetch(url)))?.reason, url).toBe("address");
    }
    expect(hits).toEqual([]);
  });

  it("calls loopback once the operator allows it", async () => {
    allowLoopbackEgress();
    const response = await outboundFetch(`http://127.0.0.1:${port}/ok`);
    expect(await response.text()).toBe("hello");
  });

  it("refuses schemes other than http(s)", async () => {
    expect((await refusal(outboundFetch("file:///etc/passwd")))?.reason).toBe("scheme");
  });
});

describe("names are checked at the address they are connected to", () => {
  it("a name resolving to a private address is refused", async () => {
    const dispatcher = createOutboundDispatcher({ resolve: async () => [{ address: "10.1.2.3", family: 4 }] });
    expect((await refusal(outboundFetch(`http://internal.example:${port}/`, { dispatcher })))?.reason).toBe("address");
  });

  it("one refused address among a name's records refuses the name", async () => {
    allowLoopbackEgress();
    const dispatcher = createOutboundDispatcher({
      resolve: async () => [
        { address: "127.0.0.1", family: 4 },
        { address: "169.254.169.254", family: 4 },
      ],
    });
    expect((await refusal(outboundFetch(`http://mixed.example:${port}/`, { dispatcher })))?.reason).toBe("address");
    expect(hits).toEqual([]);
  });

  it("a resolver that changes its answer after the check (DNS rebinding) is asked once: the connection goes to the checked address", async () => {
    allowLoopbackEgress();
    let asked = 0;
    const dispatcher = createOutboundDispatcher({
      resolve: async () => (asked++ === 0 ? [{ address: "127.0.0.1", family: 4 }] : [{ address: "10.9.9.9", family: 4 }]),
    });
    const response = await outboundFetch(`http://rebind.example:${port}/pinned`, { dispatcher });
    expect(await response.text()).toBe("hello");
    expect(asked).toBe(1);
    expect(hits).toEqual(["main /pinned"]);
  });

  it("a host name the operator lists is called whatever it resolves to", async () => {
    process.env.RAMPART_EGRESS_ALLOW = "k8s.internal";
    const dispatcher = createOutboundDispatcher({ resolve: async () => [{ address: "127.0.0.1", family: 4 }] });
    const response = await outboundFetch(`http://k8s.internal:${port}/listed`, { dispatcher });
    expect(response.status).toBe(200);
    await response.text();
  });
});

describe("redirects and deadlines", () => {
  it("never follows a redirect, even to an allowed address", async () => {
    allowLoopbackEgress();
    expect((await refusal(outboundFetch(`http://127.0.0.1:${port}/redirect`)))?.reason).toBe("redirect");
    expect(hits).toEqual(["main /redirect"]);
  });

  it("cuts off an exchange that never ends at its deadline", async () => {
    allowLoopbackEgress();
    const dispatcher = createOutboundDispatcher({ totalTimeoutMs: 300 });
    expect((await refusal(outboundFetch(`http://127.0.0.1:${hangingPort}/`, { dispatcher })))?.reason).toBe("timeout");
    expect(hits).toEqual(["hanging /"]);
  });

  it("gives up a connection that never completes at the connect bound, not at the exchange's deadline", async () => {
    allowLoopbackEgress();
    const listener = await startUnansweredListener();
    try {
      // The exchange's deadline is far away: only the bound on connecting can end this.
      const dispatcher = createOutboundDispatcher({ connectTimeoutMs: 200, totalTimeoutMs: 600_000 });
      const error = await outboundFetch(`http://127.0.0.1:${listener.port}/`, { dispatcher }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(networkErrorCode(error)).toBe("UND_ERR_CONNECT_TIMEOUT");
      expect(String((error as Error).cause)).toContain("timeout: 200ms");
      // A cluster that cannot be reached: retried with backoff, reported as unreachable.
      const classified = classifyKubeError(error, { server: "the test cluster" });
      expect(classified.kind).toBe("unreachable");
      expect(classified.transient).toBe(true);
    } finally {
      await listener.close();
    }
  });
});
