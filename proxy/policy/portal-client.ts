// Connected mode: the bundle comes from the portal's
//   GET /api/v1/applications/{id}/policy/bundle[?environment=…]
// (Bearer API token; the body is the bundle's canonical JSON, ETag its
// content hash) — or, once the delivery side signs bundles, a signedBundle
// envelope with the same path. Every fetched bundle goes through the same
// validation as a file; the last one that validated is kept on disk so a
// restart while the portal is unreachable still serves it.
//
// Untested against the real portal process (the tests use a stand-in server
// speaking the same wire format); signing is defined by lib/policy-spec's
// signedBundleSchema and verified here, but the portal does not sign yet.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { rootCertificates } from "node:tls";

export interface PortalClientOptions {
  portalUrl: string;
  token: string;
  applicationId: string;
  environment: string | null;
  stateDir: string;
  extraCa: string | null;
  timeoutMs?: number;
  maxBytes?: number;
}

export type PortalFetch = { kind: "bundle"; text: string; etag: string | null } | { kind: "not-modified" };

export class PortalClient {
  private etag: string | null = null;

  constructor(private readonly options: PortalClientOptions) {}

  get lastGoodFile(): string {
    return path.join(this.options.stateDir, `bundle-${this.options.applicationId}.json`);
  }

  bundleUrl(): URL {
    const url = new URL(`/api/v1/applications/${encodeURIComponent(this.options.applicationId)}/policy/bundle`, this.options.portalUrl);
    if (this.options.environment) url.searchParams.set("environment", this.options.environment);
    return url;
  }

  fetchBundle(): Promise<PortalFetch> {
    const url = this.bundleUrl();
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const maxBytes = this.options.maxBytes ?? 16 * 1024 * 1024;
    const client = url.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (error: Error | null, value?: PortalFetch) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        if (error) reject(error);
        else resolve(value!);
      };
      const request = client.get(
        url,
        {
          headers: {
            authorization: `Bearer ${this.options.token}`,
            accept: "application/json",
            ...(this.etag ? { "if-none-match": this.etag } : {}),
          },
          timeout: timeoutMs,
          ...(url.protocol === "https:" && this.options.extraCa ? { ca: [...rootCertificates, this.options.extraCa] } : {}),
        },
        (response) => {
          if (response.statusCode === 304) {
            response.resume();
            settle(null, { kind: "not-modified" });
            return;
          }
          if (response.statusCode !== 200) {
            response.resume();
            settle(new Error(`portal answered ${response.statusCode} for ${url.pathname}`));
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          response.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) {
              settle(new Error(`portal bundle larger than ${maxBytes} bytes`));
              request.destroy();
            } else chunks.push(chunk);
          });
          response.on("end", () => settle(null, { kind: "bundle", text: Buffer.concat(chunks).toString("utf8"), etag: (response.headers.etag as string | undefined) ?? null }));
          response.on("error", (error) => settle(error));
        },
      );
      const deadline = setTimeout(() => {
        settle(new Error(`portal did not answer within ${timeoutMs} ms`));
        request.destroy();
      }, timeoutMs);
      request.on("timeout", () => {
        settle(new Error("portal connection timed out"));
        request.destroy();
      });
      request.on("error", (error) => settle(error));
    });
  }

  /** Called once a fetched bundle validated and was applied. */
  accepted(text: string, etag: string | null): void {
    this.etag = etag;
    mkdirSync(this.options.stateDir, { recursive: true, mode: 0o700 });
    const temporary = `${this.lastGoodFile}.tmp`;
    writeFileSync(temporary, text, { mode: 0o600 });
    renameSync(temporary, this.lastGoodFile); // atomic: a crash never leaves half a bundle
  }

  lastGood(): string | null {
    try {
      return readFileSync(this.lastGoodFile, "utf8");
    } catch {
      return null;
    }
  }
}
