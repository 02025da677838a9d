// The floor for a Node.js reverse proxy, as a reference row in bench:proxy: node:http
// server, keep-alive node:http client, the same worker count as Rampart, and no
// policy at all (body buffered, request and response passed through). What Rampart
// adds over Node itself is the difference between its row and this one.
//
//   node bench/proxy/minimal-node-proxy.ts <listen port> <origin url> <workers>

import cluster from "node:cluster";
import http from "node:http";

const [port, origin, workers] = [Number(process.argv[2]), new URL(process.argv[3]!), Number(process.argv[4] ?? 1)];

if (cluster.isPrimary && workers > 1) {
  for (let i = 0; i < workers; i++) cluster.fork();
} else {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  http
    .createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const upstream = http.request(
          { host: origin.hostname, port: origin.port, method: req.method, path: req.url, headers: { ...req.headers, host: origin.host }, agent },
          (response) => {
            res.writeHead(response.statusCode ?? 502, response.headers);
            response.pipe(res);
          },
        );
        upstream.on("error", () => res.writeHead(502).end());
        upstream.end(Buffer.concat(chunks));
      });
    })
    .listen(port, "127.0.0.1");
}
