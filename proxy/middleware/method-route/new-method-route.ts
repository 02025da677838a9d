// Allowed methods, and (when the policy has an allow list) the method × path
// routes the application serves: anything else is refused before it reaches
// the application. 405 carries Allow; a path no route covers is 404.

import type { Bundle } from "@/lib/policy-spec";
import { compilePathMatcher, type PathPredicate } from "../../match/path-matchers.js";
import { blocked, type Decision } from "../../runtime/decision.js";
import type { Middleware } from "../../runtime/middleware.js";
import type { RequestContext } from "../../runtime/request-context.js";

export interface MethodRouteConfig {
  methods: Bundle["methods"];
  routes: Bundle["routes"];
}

export function newMethodRoute(config: MethodRouteConfig): Middleware {
  const methods = new Set<string>(config.methods);
  const allowHeader = config.methods.join(", ");
  const methodRefused = (ctx: RequestContext): Decision => blocked(405, "method", "method.not-allowed", "method", "", ctx.method, [["allow", allowHeader]]);
  const routes = config.routes?.map((route) => ({
    test: compilePathMatcher(route.path) as PathPredicate,
    methods: new Set<string>(route.methods),
    list: route.methods,
  }));

  if (!routes) {
    return { name: "method-route", onRequest: (ctx) => (methods.has(ctx.method) ? null : methodRefused(ctx)) };
  }
  return {
    name: "method-route",
    onRequest(ctx) {
      if (!methods.has(ctx.method)) return methodRefused(ctx);
      let pathKnown = false;
      for (const route of routes) {
        if (!route.test(ctx.path, ctx.pathLower)) continue;
        if (route.methods.has(ctx.method)) return null;
        pathKnown = true;
      }
      if (!pathKnown) return blocked(404, "method", "route.unknown-path", "path", "", ctx.path);
      const allowed = new Set<string>();
      for (const route of routes) if (route.test(ctx.path, ctx.pathLower)) for (const m of route.list) allowed.add(m);
      return blocked(405, "method", "route.method-not-allowed", "method", "", ctx.method, [["allow", [...allowed].join(", ")]]);
    },
  };
}
