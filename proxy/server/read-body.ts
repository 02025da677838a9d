// Buffers a request body for inspection. Reading stops as soon as the body
// exceeds the policy's maxBodyBytes (413 without holding the rest) or the
// inspection limit; in the latter case the caller either refuses the request
// or forwards the buffered prefix followed by the rest of the stream,
// uninspected. Slow senders are cut off by the server's requestTimeout.

import type { IncomingMessage } from "node:http";
import type { Http2ServerRequest } from "node:http2";

export type AnyRequest = IncomingMessage | Http2ServerRequest;

export type BodyResult =
  | { kind: "complete"; body: Buffer }
  | { kind: "too-large"; bytes: number }
  /** The first `prefix.length` bytes; the stream is paused with the rest unread. */
  | { kind: "partial"; prefix: Buffer }
  | { kind: "aborted" };

export function readBody(req: AnyRequest, contentLength: number, maxBodyBytes: number, inspectBytes: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const cap = Math.min(maxBodyBytes, inspectBytes);
    // A declared length within the cap is read straight into one buffer.
    const exact = contentLength >= 0 && contentLength <= cap ? Buffer.allocUnsafe(contentLength) : null;
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      req.removeListener("data", onData);
      req.removeListener("end", onEnd);
      req.removeListener("error", onAbort);
      req.removeListener("aborted", onAbort);
      req.removeListener("close", onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      const next = size + chunk.length;
      if (next > maxBodyBytes && next > cap) {
        req.pause();
        finish({ kind: "too-large", bytes: next });
        return;
      }
      if (next > cap) {
        req.pause();
        chunks.push(chunk);
        finish({ kind: "partial", prefix: Buffer.concat(chunks, next) });
        return;
      }
      if (exact !== null) {
        if (next > exact.length) {
          finish({ kind: "aborted" });
          return;
        }
        chunk.copy(exact, size);
      } else chunks.push(chunk);
      size = next;
    };
    const onEnd = (): void => {
      if (exact !== null) finish(size === exact.length ? { kind: "complete", body: exact } : { kind: "aborted" });
      else finish({ kind: "complete", body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
    };
    const onAbort = (): void => finish({ kind: "aborted" });
    const onClose = (): void => {
      if (!req.readableEnded) finish({ kind: "aborted" });
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onAbort);
    req.on("aborted", onAbort);
    req.on("close", onClose);
  });
}
