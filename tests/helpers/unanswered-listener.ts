// A loopback port whose connections never complete, for testing a bound on connect time
// without a real network: a listener with a backlog of 1 in a worker thread whose event
// loop is held (it never accepts), and its accept queue filled. Linux then drops each
// further SYN (the accept queue holds backlog + 1 connections; tcp_abort_on_overflow off,
// the default, means no RST either), so the next connect waits, retransmitting, until the
// client gives up. The fillers are awaited, so the queue is full before it is used.
import net from "node:net";
import { Worker } from "node:worker_threads";

const BACKLOG = 1;

const LISTENER = `
const { parentPort, workerData } = require("node:worker_threads");
const net = require("node:net");
const server = net.createServer();
server.listen({ port: 0, host: "127.0.0.1", backlog: ${BACKLOG} }, () => {
  parentPort.postMessage(server.address().port);
  // Holds the event loop, so nothing is ever accepted, until released.
  Atomics.wait(new Int32Array(workerData), 0, 0);
  server.close();
  parentPort.close();
});
`;

export type UnansweredListener = { port: number; close: () => Promise<void> };

export async function startUnansweredListener(): Promise<UnansweredListener> {
  const release = new SharedArrayBuffer(4);
  const worker = new Worker(LISTENER, { eval: true, workerData: release });
  const port = await new Promise<number>((resolve, reject) => worker.once("message", resolve).once("error", reject));
  const fillers: net.Socket[] = [];
  for (let i = 0; i < BACKLOG + 1; i++) {
    const socket = net.connect(port, "127.0.0.1");
    fillers.push(socket);
    await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  }
  return {
    port,
    close: async () => {
      for (const socket of fillers) socket.destroy();
      const flag = new Int32Array(release);
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      await new Promise((resolve) => worker.once("exit", resolve));
    },
  };
}
