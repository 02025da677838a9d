// Raw bytes over a socket, for requests an HTTP client library would refuse
// to send or would normalise (smuggling, malformed heads, slow senders).

import net from "node:net";

export interface RawResponse {
  status: number;
  text: string;
  /** The server closed the connection. */
  closed: boolean;
  ms: number;
}

export function sendRaw(
  port: number,
  data: string | Buffer | Array<string | Buffer>,
  options: { timeoutMs?: number; gapMs?: number } = {},
): Promise<RawResponse> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    let closed = false;
    const finish = () => {
      const text = Buffer.concat(chunks).toString("latin1");
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: match ? Number(match[1]) : -1, text, closed, ms: performance.now() - started });
      socket.destroy();
    };
    const timer = setTimeout(finish, options.timeoutMs ?? 3000);
    socket.on("data", (d: Buffer) => chunks.push(d));
    socket.on("close", () => {
      closed = true;
      clearTimeout(timer);
      finish();
    });
    socket.on("error", () => undefined);
    socket.on("connect", async () => {
      const parts = Array.isArray(data) ? data : [data];
      for (const part of parts) {
        if (socket.destroyed) return;
        socket.write(part);
        if (options.gapMs) await new Promise((r) => setTimeout(r, options.gapMs));
      }
    });
  });
}
