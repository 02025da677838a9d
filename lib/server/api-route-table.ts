// The portal's route handler files (app/api/**/route.ts) as a table the API front
// (./api-front.ts) serves from without Next.js: the same files, found by the same
// file-system convention Next uses (a folder per path segment, `[name]` a parameter),
// and matched as Next matches them (a literal segment before a parameter). The table
// answers only what it is sure of: a canonical path (no empty, `.` or `..` segments, no
// trailing slash) whose file exports the method. Everything else (HEAD and OPTIONS, which
// Next implements itself, 405s, redirects, not-found, odd spellings) goes on to Next.js
// as before, so the two can never disagree about what a request means.
import { pathToFileURL } from "node:url";

export { findRouteFiles } from "./find-route-files.mjs";

export const ROUTE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type RouteMethod = (typeof ROUTE_METHODS)[number];

export type RouteContext = { params: Promise<Record<string, string>> };
export type RouteHandler = (request: Request, context: RouteContext) => Response | Promise<Response>;
export type RouteModule = Partial<Record<RouteMethod, RouteHandler>>;

type Node = {
  literals: Map<string, Node>;
  /** `[name]`: one segment of anything, decoded. */
  parameter: { name: string; node: Node } | null;
  file: string | null;
};

export type RouteMatch = { file: string; params: Record<string, string> };

// Unreserved and sub-delimiter characters only. A path with a percent escape, a backslash or
// anything else Next.js might decode or normalise first is left to Next, so a spelling such
// as `/policies/%65xport` can never reach a parameter route here and a literal one there.
const PLAIN_PATH = /^\/[\w.~!$&'()*+,;=:@/-]*$/;

const newNode = (): Node => ({ literals: new Map(), parameter: null, file: null });

export class ApiRouteTable {
  private readonly root = newNode();
  private readonly modules = new Map<string, Promise<RouteModule | null>>();

  constructor(
    routes: readonly { urlPath: string; file: string }[],
    private readonly onLoadError: (file: string, error: unknown) => void = () => {},
    private readonly importModule: (file: string) => Promise<RouteModule> = (file) => import(pathToFileURL(file).href),
  ) {
    for (const { urlPath, file } of routes) {
      let node = this.root;
      for (const segment of urlPath.split("/").slice(1)) {
        // Catch-alls, optional segments and route groups are Next's to interpret; none is used under app/api.
        if (/^\[\.\.\.|^\[\[|^\(|^@/.test(segment)) throw new Error(`${file}: the API front does not serve ${segment} segments`);
        const parameter = /^\[(\w+)\]$/.exec(segment);
        if (parameter) {
          if (node.parameter && node.parameter.name !== parameter[1]) throw new Error(`${file}: two parameter names at one level`);
          node.parameter ??= { name: parameter[1]!, node: newNode() };
          node = node.parameter.node;
        } else {
          let next = node.literals.get(segment);
          if (!next) node.literals.set(segment, (next = newNode()));
          node = next;
        }
      }
      node.file = file;
    }
  }

  /** A table of modules already imported (the compiled server's, lib/server/bundled-api-routes.ts), each named by its URL path. */
  static of(routes: readonly { urlPath: string; module: RouteModule }[]): ApiRouteTable {
    const modules = new Map(routes.map((r) => [r.urlPath, r.module]));
    return new ApiRouteTable(
      routes.map(({ urlPath }) => ({ urlPath, file: urlPath })),
      undefined,
      async (urlPath) => modules.get(urlPath)!,
    );
  }

  /** The route file for a pathname (no query), with its parameters decoded; null when Next.js should decide. */
  match(pathname: string): RouteMatch | null {
    if (!PLAIN_PATH.test(pathname)) return null;
    const segments = pathname.slice(1).split("/");
    const params: Record<string, string> = {};
    const file = matchFrom(this.root, segments, 0, params);
    return file ? { file, params } : null;
  }

  /** The route module of a file, imported once; null when it cannot be loaded (then Next.js serves it). */
  load(file: string): Promise<RouteModule | null> {
    let loaded = this.modules.get(file);
    if (!loaded) {
      loaded = this.importModule(file).catch((error: unknown) => {
        this.onLoadError(file, error);
        return null;
      });
      this.modules.set(file, loaded);
    }
    return loaded;
  }

  /** Imports every route module now, so the first requests do not wait for it. */
  async preload(): Promise<void> {
    const files: string[] = [];
    const collect = (node: Node) => {
      if (node.file) files.push(node.file);
      for (const child of node.literals.values()) collect(child);
      if (node.parameter) collect(node.parameter.node);
    };
    collect(this.root);
    for (const file of files) await this.load(file);
  }
}

function matchFrom(node: Node, segments: string[], index: number, params: Record<string, string>): string | null {
  if (index === segments.length) return node.file;
  const segment = segments[index]!;
  // Empty (`//`, a trailing slash), `.` and `..` segments: Next normalises or redirects them.
  if (segment === "" || segment === "." || segment === "..") return null;
  const literal = node.literals.get(segment);
  if (literal) {
    const file = matchFrom(literal, segments, index + 1, params);
    if (file) return file;
  }
  if (!node.parameter) return null;
  const file = matchFrom(node.parameter.node, segments, index + 1, params);
  // No escapes reach here (PLAIN_PATH), so the segment is its own decoded value.
  if (file) params[node.parameter.name] = segment;
  return file;
}
