// Where lib/cli/serve.ts listens (issue 12): README › Configuration says 127.0.0.1 unless
// HOST says otherwise, because the demo accounts share a published password. serve.ts
// listens with listenPortal (lib/server/portal-listener.ts); here it runs with a stand-in
// for Next.js on real sockets, and the bound address is what the kernel reports.
import http from "node:http";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { listenPortal } from "@/lib/server/portal-listener";

const open: { server: http.Server; close(): void }[] = [];
afterEach(async () => {
  for (const portal of open.splice(0)) {
    portal.close();
    await new Promise((resolve) => portal.server.close(resolve));
  }
});

const standIn: http.RequestListener = (_req, res) => void res.end("portal");

function get(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host, port, path: "/", agent: false }, (res) => {
        let body = "";
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve(body));
      })
      .on("error", reject);
  });
}

describe("listenPortal, what serve.ts listens with", () => {
  it("binds README's default host when HOST is unset", async () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, "../../../README.md"), "utf8");
    const defaultHost = /^\| `PORT` \/ `HOST` \| `\d+` \/ `([^`]+)` \|/m.exec(readme)?.[1];
    expect(defaultHost).toBe("127.0.0.1");
    // PORT=0: any free port, so the test does not need 3000 to be free.
    const portal = await listenPortal(standIn, { PORT: "0" });
    open.push(portal);
    expect(portal.address).toMatchObject({ address: defaultHost, family: "IPv4" });
    expect(await get("127.0.0.1", portal.address.port)).toBe("portal");
    // Not every address: another loopback address of this host finds nothing there.
    await expect(get("127.0.0.2", portal.address.port)).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });

  it("binds HOST when it is set", async () => {
    const portal = await listenPortal(standIn, { PORT: "0", HOST: "127.0.0.2" });
    open.push(portal);
    expect(portal.address).toMatchObject({ address: "127.0.0.2", family: "IPv4" });
    expect(await get("127.0.0.2", portal.address.port)).toBe("portal");
    await expect(get("127.0.0.1", portal.address.port)).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });

  it("serves over TLS when TLS_CERT_FILE and TLS_KEY_FILE are set, at the same address", async () => {
    const TESTDATA = path.resolve(import.meta.dirname, "../../../proxy/testdata");
    const portal = await listenPortal(standIn, {
      PORT: "0",
      TLS_CERT_FILE: path.join(TESTDATA, "server.pem"),
      TLS_KEY_FILE: path.join(TESTDATA, "server-key.pem"),
    });
    open.push(portal);
    expect(portal.scheme).toBe("https");
    expect(portal.address.address).toBe("127.0.0.1");
  });
});
