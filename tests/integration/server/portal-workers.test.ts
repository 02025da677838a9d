// npm start / lib/cli/serve.ts run one worker per CPU on one port (issue 19): the
// supervision of lib/server/portal-workers.ts, in real processes on a real socket.
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { choosePort } from "@/lib/db/embedded-postgres";

const ROOT = path.resolve(import.meta.dirname, "../../..");
let primary: ChildProcess | undefined;

afterEach(() => {
  if (primary && primary.exitCode === null && primary.signalCode === null) primary.kill("SIGKILL");
});

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: "/", agent: false }, (res) => {
        let body = "";
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve(body));
      })
      .on("error", reject);
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function startWorkers(workers: string, port: number): Promise<number[]> {
  primary = spawn(process.execPath, ["--import", "tsx", "tests/helpers/pid-portal-fixture.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), RAMPART_WORKERS: workers },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    primary!.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /ready ([\d,]+)\n/.exec(out);
      if (ready) resolve(ready[1]!.split(",").map(Number));
    });
    primary!.once("exit", (code) => reject(new Error(`the primary exited (${code}) before its workers were ready: ${out}`)));
  });
}

describe("portal workers", () => {
  it("serves one port from two worker processes and stops them all cleanly on SIGINT", async () => {
    const port = await choosePort();
    const pids = await startWorkers("2", port);
    expect(pids).toHaveLength(2);
    expect(pids).not.toContain(primary!.pid);

    // The primary hands new connections to its workers in turn: both answer soon.
    const answered = new Set<number>();
    for (let i = 0; i < 100 && answered.size < 2; i++) answered.add(Number(await get(port)));
    expect([...answered].sort()).toEqual([...pids].sort());

    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      primary!.once("exit", (code, signal) => resolve({ code, signal })),
    );
    primary!.kill("SIGINT");
    expect(await exited).toEqual({ code: 0, signal: null });
    // The primary exits only after its workers have.
    expect(pids.filter(isAlive)).toEqual([]);
    await expect(get(port)).rejects.toThrow();
  });

  it("runs the configured number of workers", async () => {
    const pids = await startWorkers("3", await choosePort());
    expect(new Set(pids).size).toBe(3);
    const exited = new Promise((resolve) => primary!.once("exit", resolve));
    primary!.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
