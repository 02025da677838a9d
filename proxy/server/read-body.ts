// Buffers a request body for inspection. Reading stops as soon as the body
// exceeds the policy's maxBodyBytes (413 without holding the rest) or the
// inspection limit; in the latter case the caller either refuses the request
// or forwards the buffered prefix followed by the rest of the stream,
// uninspected. Slow senders are cut off by the server's requestTimeout.
//
// Per request this is on the hot path: one small object and four listeners,
// the result handed to a callback from the stream's own event (no promise, no
// extra microtask turn).

import type { IncomingMessage } from "node:http";
import type { Http2ServerRequest } from "node:http2";

export type AnyRequest = IncomingMessage | Http2ServerRequest;

export type BodyResult =
  | { kind: "complete"; body: Buffer }
  | { kind: "too-large"; bytes: number }
  /** The first `prefix.length` bytes; the stream is paused with the rest unread. */
  | { kind: "partial"; prefix: Buffer }
  | { kind: "aborted" };

const ABORTED: BodyResult = Object.freeze({ kind: "aborted" });

/** Reads the body of `req`; `done` is called exactly once. */
export function readBody(req: AnyRequest, contentLength: number, maxBodyBytes: number, inspectBytes: number, done: (result: BodyResult) => void): void {
  const reader = new BodyReader(req, contentLength, maxBodyBytes, inspectBytes, done);
  req.on("data", (chunk: Buffer) => reader.data(chunk));
  req.on("end", () => reader.end());
  // A client that goes away: "error" (aborted) and/or "close" before the end.
  req.on("error", () => reader.finish(ABORTED));
  req.on("close", () => {
    if (!req.readableEnded) reader.finish(ABORTED);
  });
}

class BodyReader {
  private readonly cap: number;
  /** A declared length within the cap is read straight into one buffer. */
  private readonly exact: Buffer | null;
  private chunks: Buffer[] | null = null;
  private size = 0;
  private settled = false;

  constructor(
    private readonly req: AnyRequest,
    contentLength: number,
    private readonly maxBodyBytes: number,
    inspectBytes: number,
    private readonly done: (result: BodyResult) => void,
  ) {
    this.cap = Math.min(maxBodyBytes, inspectBytes);
    this.exact = contentLength >= 0 && contentLength <= this.cap ? Buffer.allocUnsafe(contentLength) : null;
  }

  finish(result: BodyResult): void {
    if (this.settled) return;
    // The listeners stay (removing them costs more than a call that returns at once): later data —
    // the rest of a partial body, streamed by the forwarder — is no longer ours.
    this.settled = true;
    this.done(result);
  }

  data(chunk: Buffer): void {
    if (this.settled) return;
    const next = this.size + chunk.length;
    if (next > this.cap) {
      this.req.pause();
      if (next > this.maxBodyBytes) {
        this.finish({ kind: "too-large", bytes: next });
        return;
      }
      const chunks = this.chunks ?? (this.exact !== null ? [this.exact.subarray(0, this.size)] : []);
      chunks.push(chunk);
      this.finish({ kind: "partial", prefix: Buffer.concat(chunks, next) });
      return;
    }
    const exact = this.exact;
    if (exact !== null) {
      if (next > exact.length) {
        this.finish(ABORTED);
        return;
      }
      chunk.copy(exact, this.size);
    } else (this.chunks ??= []).push(chunk);
    this.size = next;
  }

  end(): void {
    if (this.settled) return;
    const exact = this.exact;
    if (exact !== null) this.finish(this.size === exact.length ? { kind: "complete", body: exact } : ABORTED);
    else {
      const chunks = this.chunks;
      this.finish({ kind: "complete", body: chunks === null ? Buffer.alloc(0) : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.size) });
    }
  }
}
