// A real smart-HTTP Git server for tests: git's own git-http-backend (CGI) behind a
// node:http wrapper on 127.0.0.1 that demands HTTP Basic authentication, as GitHub,
// GitLab or Gitea do for pushes. Every request is recorded (with whether it carried the
// right credentials) so tests can see what the client sent.

import { execFileSync, spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { allowLoopbackEgress } from "@/tests/helpers/allow-loopback-egress";

export type GitHttpServer = {
  /** Base URL; a repository `<root>/<name>.git` is at `${url}/<name>.git`. */
  url: string;
  requests: { method: string; path: string; authorization: string | null; authorized: boolean }[];
  close(): Promise<void>;
};

export async function startGitHttpServer(options: { projectRoot: string; username: string; password: string }): Promise<GitHttpServer> {
  const backend = path.join(execFileSync("git", ["--exec-path"], { encoding: "utf8" }).trim(), "git-http-backend");
  const expected = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString("base64")}`;
  const requests: GitHttpServer["requests"] = [];

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const authorization = request.headers.authorization ?? null;
    const authorized = authorization === expected;
    requests.push({ method: request.method ?? "", path: url.pathname + url.search, authorization, authorized });
    if (!authorized) {
      response.writeHead(401, { "www-authenticate": 'Basic realm="rampart-test-git"', "content-type": "text/plain" });
      response.end("Authentication required\n");
      return;
    }
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      HOME: options.projectRoot,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_PROJECT_ROOT: options.projectRoot,
      GIT_HTTP_EXPORT_ALL: "1",
      REQUEST_METHOD: request.method ?? "GET",
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: request.headers["content-type"] ?? "",
      REMOTE_USER: options.username, // receive-pack (push) is refused for anonymous users
      REMOTE_ADDR: request.socket.remoteAddress ?? "127.0.0.1",
    };
    if (request.headers["content-length"]) env.CONTENT_LENGTH = request.headers["content-length"];
    if (request.headers["content-encoding"]) env.HTTP_CONTENT_ENCODING = request.headers["content-encoding"];
    if (request.headers["git-protocol"]) env.GIT_PROTOCOL = String(request.headers["git-protocol"]);

    const cgi = spawn(backend, [], { env: env as NodeJS.ProcessEnv, stdio: ["pipe", "pipe", "pipe"] });
    request.pipe(cgi.stdin);
    cgi.stdin.on("error", () => {});
    let head = Buffer.alloc(0);
    let headersSent = false;
    cgi.stdout.on("data", (chunk: Buffer) => {
      if (headersSent) {
        response.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n") >= 0 ? head.indexOf("\r\n\r\n") : head.indexOf("\n\n");
      if (end < 0) return;
      const separator = head.indexOf("\r\n\r\n") >= 0 ? 4 : 2;
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of head.subarray(0, end).toString("latin1").split(/\r?\n/)) {
        const colon = line.indexOf(":");
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        if (name === "status") status = Number.parseInt(value, 10);
        else headers[name] = value;
      }
      response.writeHead(status, headers);
      headersSent = true;
      response.write(head.subarray(end + separator));
    });
    cgi.on("close", () => {
      if (!headersSent) response.writeHead(502);
      response.end();
    });
  });

  // It listens on 127.0.0.1, which the portal calls only when the operator allows it.
  allowLoopbackEgress();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
