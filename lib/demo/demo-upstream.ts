// The demo application behind the demo proxy: a small payments API that answers what the
// payments API's OpenAPI document describes (health, list, search, one payment), over
// HTTPS with the demo certificate (or plain HTTP where the application's upstream is http://). It trusts nothing: it only echoes what reached it, so
// a request the proxy blocks is visibly absent from its log.
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { DemoCertificates } from "./demo-certificates";

export type DemoUpstream = { url: string; received: () => number; close: () => Promise<void> };

/** Plain HTTP when `certificates` is null. */
export function startDemoUpstream({ host, port, certificates }: { host: string; port: number; certificates: DemoCertificates | null }): Promise<DemoUpstream> {
  let received = 0;
  const handler: http.RequestListener = (req, res) => {
    received += 1;
    const url = new URL(req.url ?? "/", "https://demo.invalid");
    const body =
      url.pathname === "/health"
        ? { status: "ok", service: "payments-api (demo)" }
        : url.pathname === "/payments" || url.pathname === "/payments/search"
          ? { items: [{ id: "pay_0123456789abcdef", amount: 1250, currency: "EUR" }], query: Object.fromEntries(url.searchParams) }
          : { id: url.pathname.split("/").pop(), amount: 1250, currency: "EUR" };
    res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" }).end(`${JSON.stringify(body)}\n`);
  };
  const server = certificates ? https.createServer({ cert: certificates.certificatePem, key: certificates.keyPem }, handler) : http.createServer(handler);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      resolve({
        url: `${certificates ? "https" : "http"}://${host}:${address.port}`,
        received: () => received,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
