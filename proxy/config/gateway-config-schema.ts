// The gateway config file: which applications sit behind this proxy, routed by
// host and path, each with its upstream and its policy. Process settings
// (listeners, certificates, workers) stay on the command line.

import { z } from "zod";

const hostSchema = z
  .string()
  .regex(/^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "must be a lower-case host name, optionally *.example.com");

const pathPrefixSchema = z
  .string()
  .regex(
    /^\/(?:[A-Za-z0-9\-._~!$&'()+,;=:@%]+(?:\/[A-Za-z0-9\-._~!$&'()+,;=:@%]+)*)?$/,
    'must be a path prefix such as "/" or "/payments" (no trailing slash)',
  );

export const upstreamUrlSchema = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).refine((value) => {
  const url = new URL(value);
  return (url.pathname === "/" || url.pathname === "") && url.search === "" && url.hash === "" && url.username === "" && url.password === "";
}, "must be scheme://host[:port] only (no path, query or credentials)");

export const gatewayRouteSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "must be a slug (lower-case letters, digits, hyphens)"),
    /** Absent: any host. */
    host: hostSchema.optional(),
    /** Prefix on a segment boundary, matched on the normalised path; the longest wins. */
    path: pathPrefixSchema.default("/"),
    upstream: upstreamUrlSchema,
    /** An application policy layered on the gateway's baseline. */
    policy: z.string().min(1).optional(),
    /** Or a compiled bundle (plain or signed), used as is. */
    bundle: z.string().min(1).optional(),
    /** Connected mode: the application (portal id or name) of the delivered set this route enforces. */
    application: z.string().min(1).max(200).optional(),
  })
  .refine((route) => [route.policy, route.bundle, route.application].filter((v) => v !== undefined).length <= 1, {
    message: "give one of policy, bundle or application",
    path: ["bundle"],
  });

export const gatewayConfigSchema = z
  .strictObject({
    apiVersion: z.literal("rampart.dev/v1alpha1"),
    kind: z.literal("GatewayConfig"),
    /** The baseline every route without a bundle is held to. */
    baseline: z.string().min(1).optional(),
    routes: z.array(gatewayRouteSchema).min(1, "a gateway needs at least one route"),
  })
  .superRefine((config, ctx) => {
    const names = new Set<string>();
    const keys = new Set<string>();
    config.routes.forEach((route, index) => {
      if (names.has(route.name)) ctx.addIssue({ code: "custom", path: ["routes", index, "name"], message: `duplicate route name "${route.name}"` });
      names.add(route.name);
      const key = `${route.host ?? "*"} ${route.path}`;
      if (keys.has(key))
        ctx.addIssue({ code: "custom", path: ["routes", index, "path"], message: `another route already serves ${route.host ?? "any host"} ${route.path}` });
      keys.add(key);
      if (route.bundle === undefined && route.application === undefined && config.baseline === undefined) {
        ctx.addIssue({ code: "custom", path: ["routes", index], message: "this route has no bundle, so the config needs a baseline" });
      }
    });
  });
export type GatewayConfig = z.output<typeof gatewayConfigSchema>;
