// The state of one request as it moves through the phases. One object per
// request; everything derived (normalised path, parsed address, header pairs)
// is computed at most once.

import type { TLSSocket } from "node:tls";
import { parseIpAddress, type IpAddress } from "@/lib/policy-spec";
import type { Decision } from "./decision.js";

export class RequestContext {
  /** Normalised path (see normalize-request-path.ts) and its lower-cased form. */
  path = "/";
  pathLower = "/";
  /** Lower-case host without port; "" when absent. */
  host = "";
  /** The client as the trusted-proxy rules determine it. */
  clientIp = "";
  /** The connection's peer address. */
  peer = "";
  /** Content-Length, or -1 when absent (chunked or no body). */
  contentLength = -1;
  hasBody = false;
  /** The buffered body (up to the inspection limit); null before the body phase or without a body. */
  body: Buffer | null = null;
  /** The body as the application reads it: `body` with its Content-Encoding decoded (the same Buffer when there is none). */
  content: Buffer | null = null;
  /** Content codings to undo, in the order they were applied (null: none). */
  codings: string[] | null = null;
  /** False when the body was larger than the inspection limit and the rest passes uninspected. */
  bodyComplete = true;
  /** Lower-cased media type without parameters ("" when absent). */
  mediaType = "";
  /** Verified token claims, when a token was required and valid. */
  claims: Record<string, unknown> | null = null;
  /** The OpenAPI operation the request matched (set in the head phase, read in the body phase). */
  openapiOperation: unknown = null;
  /** Decisions of log-only rules; written after the response. */
  logged: Decision[] | null = null;
  private ipParsed: IpAddress | null | undefined = undefined;
  private pairs: Array<[string, string]> | null = null;

  constructor(
    readonly id: string,
    readonly startedAt: number,
    readonly method: string,
    /** Raw request path without the query, exactly as received. */
    readonly rawPath: string,
    /** Raw query string without "?"; "" when absent. */
    readonly query: string,
    /** Node's header object (lower-cased names; duplicates joined). */
    readonly headers: NodeJS.Dict<string | string[]>,
    /** name, value, name, value… as received (HTTP/2 pseudo-headers included). */
    readonly rawHeaders: readonly string[],
    readonly isHttp2: boolean,
    readonly tlsSocket: TLSSocket | null,
  ) {}

  /** The client address parsed once; null when it is not an address. */
  get ip(): IpAddress | null {
    if (this.ipParsed === undefined) this.ipParsed = parseIpAddress(this.clientIp);
    return this.ipParsed;
  }

  /** Request headers as [name, value] pairs without HTTP/2 pseudo-headers. */
  headerPairs(): Array<[string, string]> {
    if (this.pairs !== null) return this.pairs;
    const raw = this.rawHeaders;
    const out: Array<[string, string]> = [];
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = raw[i]!;
      if (name.charCodeAt(0) === 58) continue; // ":"
      out.push([name, raw[i + 1]!]);
    }
    this.pairs = out;
    return out;
  }

  header(name: string): string | undefined {
    const value = this.headers[name];
    return Array.isArray(value) ? value.join(", ") : value;
  }

  log(decision: Decision): void {
    if (this.logged === null) this.logged = [decision];
    else this.logged.push(decision);
  }
}
