// @kubernetes/client-node 2.x talks HTTP through undici 8, which declares
// Node >= 22.19 and, when loaded, reaches for three APIs Node 20 lacks. This
// repository runs on Node 20 (package.json engines, CI), so they are filled
// in here, before client-node is first imported (the portal's
// lib/kubernetes/cluster/kube-client.ts and the proxy's
// proxy/policy/kubernetes-source.ts import this module first; nothing else
// imports client-node's values directly):
// - Promise.withResolvers: the standard ES2024 function, same semantics;
// - worker_threads.markAsUncloneable: only keeps undici's objects out of
//   structuredClone, so a no-op changes nothing Rampart relies on;
// - zlib.createZstdDecompress: undici only binds it at load time; it is
//   called only if a server answers with zstd, which kube-apiserver never
//   does (it compresses with gzip), so it fails loudly instead.
// It lives in lib/policy-spec only because that is the one part of lib/ the
// proxy may import; it is the spec's only impure file, side effects and node:
// imports, and index.ts does not export it, so the browser never loads it.
// Remove it once Node 22 is the floor.

import workerThreads from "node:worker_threads";
import zlib from "node:zlib";

type Mutable = Record<string, unknown>;

if (typeof (Promise as unknown as Mutable).withResolvers !== "function") {
  (Promise as unknown as Mutable).withResolvers = function withResolvers<T>() {
    let resolve!: (value: T | PromiseLike<T>) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
if (typeof (workerThreads as unknown as Mutable).markAsUncloneable !== "function") {
  (workerThreads as unknown as Mutable).markAsUncloneable = () => {};
}
if (typeof (zlib as unknown as Mutable).createZstdDecompress !== "function") {
  (zlib as unknown as Mutable).createZstdDecompress = () => {
    throw new Error("zstd-encoded responses need Node 22 (the Kubernetes API server sends gzip)");
  };
}

export {};
