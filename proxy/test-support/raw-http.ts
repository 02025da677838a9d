// Raw bytes over a socket, for requests an HTTP client library would refuse
// to send or would normalise (smuggling, malformed heads, slow senders).

import net from "node:net";

export interface RawResponse {
  status: number;
  text: string;
  /** The server closed the connection. */
  closed: boolean;
}

export interface RawOptions {
  /**
   * How long to wait for the server to close before taking what arrived; `null` waits for
   * the close itself (the test's own timeout names a server that never closes).
   */
  timeoutMs?: number | null;
  /** A pause between parts: a slow sender, the subject of the test (not a wait for an outcome). */
  gapMs?: number;
  /** Send each part after the first only once the server has answered something (as a client honouring Expect: 100-continue does). */
  awaitReplyBetweenParts?: boolean;
  /** Stop at the first complete final response (by its Content-Length) instead of waiting for the server to close a kept-alive connection. */
  untilResponse?: boolean;
}

/** A whole final (non-1xx) response framed by Content-Length is in `text`. */
function hasCompleteResponse(text: string): boolean {
  const pattern = /HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n((?:[^\r\n]+\r\n)*)\r\n/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match[1]!.startsWith("1")) continue;
    const length = /^content-length:\s*(\d+)\r$/im.exec(match[2]!);
    return length !== null && text.length - pattern.lastIndex >= Number(length[1]);
  }
  return false;
}

export function sendRaw(port: number, data: string | Buffer | Array<string | Buffer>, options: RawOptions = {}): Promise<RawResponse> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    let closed = false;
    let replied: () => void = () => undefined;
    const reply = new Promise<void>((r) => (replied = r));
    const finish = () => {
      const text = Buffer.concat(chunks).toString("latin1");
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: match ? Number(match[1]) : -1, text, closed });
      socket.destroy();
      replied();
    };
    const timeoutMs = options.timeoutMs ?? null;
    const timer = timeoutMs === null ? undefined : setTimeout(finish, timeoutMs);
    socket.on("data", (d: Buffer) => {
      chunks.push(d);
      replied();
      if (options.untilResponse && hasCompleteResponse(Buffer.concat(chunks).toString("latin1"))) finish();
    });
    socket.on("close", () => {
      closed = true;
      clearTimeout(timer);
      finish();
    });
    socket.on("error", () => undefined);
    socket.on("connect", async () => {
      const parts = Array.isArray(data) ? data : [data];
      for (const [index, part] of parts.entries()) {
        if (index > 0 && options.awaitReplyBetweenParts) await reply;
        if (socket.destroyed) return;
        socket.write(part);
        if (options.gapMs) await new Promise((r) => setTimeout(r, options.gapMs));
      }
    });
  });
}
