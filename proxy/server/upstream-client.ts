// A small HTTP/1.1 client for the upstream hop: a LIFO pool of keep-alive
// sockets per upstream, one exchange per socket at a time, the request head
// and body written in one go, the response read by the strict
// ResponseParser. It exists because Node's http client costs more per
// request than everything else the proxy does; requests that must stream an
// uninspected body still use node:http.

import net from "node:net";
import tls from "node:tls";
import { ResponseParser, type ResponseEvents } from "./response-parser.js";

export type UpstreamFailure = "connect" | "timeout" | "reset" | "protocol" | "tls";

export interface ExchangeHandler extends ResponseEvents {
  /** The exchange failed. `retryable`: the socket was a reused one that died before any response byte. */
  onError(kind: UpstreamFailure, retryable: boolean, message: string): void;
}

export interface PoolOptions {
  host: string;
  port: number;
  /** TLS to the upstream, or null for plain TCP. */
  tls: tls.ConnectionOptions | null;
  maxSockets: number;
  maxIdle: number;
  connectTimeoutMs: number;
  /** Idle time allowed while waiting for (and during) the response. */
  responseTimeoutMs: number;
  /** Idle pooled sockets are closed after this. */
  idleTimeoutMs: number;
}

export interface Exchange {
  /** The client went away: drop the exchange and its socket. */
  abort(): void;
  /** Backpressure from the client: stop / resume reading the upstream socket. */
  pause(): void;
  resume(): void;
}

interface Connection {
  socket: net.Socket;
  used: boolean;
  current: Active | null;
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO|HOSTNAME|ERR_TLS/;

export class UpstreamPool {
  private readonly idle: Connection[] = [];
  private open = 0;
  private readonly queue: Active[] = [];
  private closed = false;

  constructor(private readonly options: PoolOptions) {}

  get responseTimeoutMs(): number {
    return this.options.responseTimeoutMs;
  }

  /** Sends `head` (ending in CRLF CRLF) and `body`; the handler sees the response or one error. */
  request(head: string, body: Buffer | null, isHeadRequest: boolean, handler: ExchangeHandler): Exchange {
    const active = new Active(this, head, body, isHeadRequest, handler);
    this.acquire(active);
    return active;
  }

  close(): void {
    this.closed = true;
    for (const c of this.idle) c.socket.destroy();
    this.idle.length = 0;
  }

  private acquire(waiter: Active): void {
    while (this.idle.length > 0) {
      const c = this.idle.pop()!;
      if (c.socket.destroyed || !c.socket.writable) continue;
      // start() replaces the idle timeout with the response timeout.
      waiter.start(c);
      return;
    }
    if (this.open >= this.options.maxSockets) {
      this.queue.push(waiter);
      return;
    }
    this.connect(waiter);
  }

  private connect(waiter: Active): void {
    this.open++;
    const { host, port } = this.options;
    const socket = this.options.tls ? tls.connect({ host, port, ...this.options.tls }) : net.connect({ host, port });
    socket.setNoDelay(true);
    const connection: Connection = { socket, used: false, current: null };
    let connected = false;
    const timer = setTimeout(() => socket.destroy(Object.assign(new Error("connect timeout"), { code: "CONNECT_TIMEOUT" })), this.options.connectTimeoutMs);
    socket.once(this.options.tls ? "secureConnect" : "connect", () => {
      connected = true;
      clearTimeout(timer);
      waiter.start(connection);
    });
    socket.on("data", (chunk: Buffer) => {
      const active = connection.current;
      if (active === null) {
        socket.destroy(); // bytes nobody asked for: the connection is no longer in a known state
        return;
      }
      active.gotBytes = true;
      let leftover: number;
      try {
        leftover = active.parser.feed(chunk);
      } catch (error) {
        this.fail(connection, "protocol", (error as Error).message);
        return;
      }
      if (active.reusable !== null) {
        connection.current = null;
        this.release(connection, active.reusable && leftover === 0);
      }
    });
    socket.on("timeout", () => {
      if (connection.current) this.fail(connection, "timeout", "upstream did not answer in time");
      else socket.destroy();
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (!connected) {
        waiter.start(error);
        return;
      }
      if (connection.current) {
        const code = error.code ?? "";
        this.fail(connection, TLS_CODES.test(code) ? "tls" : code === "CONNECT_TIMEOUT" ? "connect" : "reset", error.message);
      }
    });
    socket.on("close", () => {
      clearTimeout(timer);
      this.open--;
      const index = this.idle.indexOf(connection);
      if (index >= 0) this.idle.splice(index, 1);
      const active = connection.current;
      connection.current = null;
      if (active && !active.settled) {
        try {
          active.parser.close();
        } catch (error) {
          active.settled = true;
          active.handler.onError("reset", connection.used && !active.gotBytes, (error as Error).message);
        }
      }
      this.drainQueue();
    });
  }

  private fail(connection: Connection, kind: UpstreamFailure, message: string): void {
    const active = connection.current;
    connection.current = null;
    connection.socket.destroy();
    if (!active || active.settled) return;
    active.settled = true;
    active.handler.onError(kind, kind === "reset" && connection.used && !active.gotBytes, message);
  }

  /** The connection's exchange is over: back to the idle list, to a waiting exchange, or closed. */
  release(connection: Connection, keepAlive: boolean): void {
    connection.used = true;
    connection.socket.resume(); // the finished exchange may have paused it for backpressure
    if (!keepAlive || this.closed || this.idle.length >= this.options.maxIdle || connection.socket.destroyed) {
      connection.socket.destroy();
      return;
    }
    const waiting = this.queue.shift();
    if (waiting) {
      waiting.start(connection);
      return;
    }
    connection.socket.setTimeout(this.options.idleTimeoutMs);
    this.idle.push(connection);
  }

  private drainQueue(): void {
    while (this.queue.length > 0 && this.open < this.options.maxSockets) this.connect(this.queue.shift()!);
  }
}

/** One request on the pool: waits for a connection, writes, and reads the response (a class, so a request allocates no closures). */
class Active implements ResponseEvents, Exchange {
  readonly parser: ResponseParser;
  connection: Connection | null = null;
  gotBytes = false;
  settled = false;
  /** Set when the response ended: whether the socket may be reused. */
  reusable: boolean | null = null;
  private aborted = false;

  constructor(
    private readonly pool: UpstreamPool,
    private readonly head: string,
    private readonly body: Buffer | null,
    isHeadRequest: boolean,
    readonly handler: ExchangeHandler,
  ) {
    this.parser = new ResponseParser(this, isHeadRequest);
  }

  start(c: Connection | Error): void {
    const handler = this.handler;
    if (c instanceof Error) {
      handler.onError(TLS_CODES.test((c as NodeJS.ErrnoException).code ?? c.message) ? "tls" : "connect", false, c.message);
      return;
    }
    if (this.aborted) {
      this.pool.release(c, false);
      return;
    }
    this.connection = c;
    c.current = this;
    c.socket.setTimeout(this.pool.responseTimeoutMs);
    const body = this.body;
    const head = this.head;
    // One buffer, one write: a writev of two chunks costs noticeably more per request.
    if (body !== null && body.length > 0) {
      const headLength = Buffer.byteLength(head, "latin1");
      const buffer = Buffer.allocUnsafe(headLength + body.length);
      buffer.write(head, 0, "latin1");
      body.copy(buffer, headLength);
      c.socket.write(buffer);
    } else c.socket.write(head, "latin1");
  }

  onHead(status: number, raw: string[], length: number, hasBody: boolean): void {
    this.handler.onHead(status, raw, length, hasBody);
  }

  onData(chunk: Buffer): void {
    this.handler.onData(chunk);
  }

  onEnd(keepAlive: boolean): void {
    // The socket is released by the data handler once feed() returns, never from inside the parser.
    this.settled = true;
    this.reusable = keepAlive;
    this.handler.onEnd(keepAlive);
  }

  abort(): void {
    this.aborted = true;
    const connection = this.connection;
    // Only while this exchange owns the socket: once released it may serve another request.
    if (connection !== null && connection.current === this && !this.settled) {
      this.settled = true;
      connection.current = null;
      connection.socket.destroy();
    }
  }

  // Only while this exchange owns the socket: once released it may serve another request.
  pause(): void {
    const connection = this.connection;
    if (connection && connection.current === this) connection.socket.pause();
  }

  resume(): void {
    const connection = this.connection;
    if (connection && connection.current === this) connection.socket.resume();
  }
}
