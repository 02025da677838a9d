import https from "node:https";
import path from "node:path";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createPortalServer } from "./portal-listener";

const TESTDATA = path.resolve(import.meta.dirname, "../../proxy/testdata");

describe("createPortalServer", () => {
  it("serves HTTP without TLS files, and refuses one file without the other", () => {
    const plain = createPortalServer(() => {}, {});
    expect(plain.scheme).toBe("http");
    expect(() => createPortalServer(() => {}, { tlsCertFile: path.join(TESTDATA, "server.pem") })).toThrow(/must be set together/);
  });

  it("serves HTTPS with the certificate a client verifies against its CA (the gateway's --portal-ca)", async () => {
    const portal = createPortalServer((_, res) => res.end("ok"), {
      tlsCertFile: path.join(TESTDATA, "server.pem"),
      tlsKeyFile: path.join(TESTDATA, "server-key.pem"),
    });
    expect(portal.scheme).toBe("https");
    await new Promise<void>((resolve) => portal.server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (portal.server.address() as AddressInfo).port;
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get(`https://localhost:${port}/`, { ca: readFileSync(path.join(TESTDATA, "ca.pem")) }, (res) => {
            let text = "";
            res.on("data", (chunk) => (text += chunk));
            res.on("end", () => resolve(text));
          })
          .on("error", reject);
      });
      expect(body).toBe("ok");
    } finally {
      portal.close();
      await new Promise((resolve) => portal.server.close(resolve));
    }
  });
});
