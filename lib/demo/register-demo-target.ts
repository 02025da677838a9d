// The portal side of `npm run demo`, done through the public API as the demo security
// officer would do it by hand: a proxy target (microgateway) for the demo application,
// with a fresh token (created, or rotated when the target exists from an earlier run),
// and the portal's public signing key that the proxy pins.
import { portalApi, signInCookie, type PortalApi } from "./portal-api-client";

export const DEMO_TARGET_NAME = "demo-payments-api";
export const DEMO_SECURITY_OFFICER = "security@rampart.local";

type Target = { id: string; name: string; version: number; revokedAt: string | null; applications: { slug: string }[] };
type Application = { id: string; slug: string; upstreamUrl: string };

export type DemoTarget = {
  targetId: string;
  token: string;
  publicKeyPem: string;
  application: Application;
};

export async function registerDemoTarget({
  portalUrl,
  applicationSlug,
  password,
}: {
  portalUrl: string;
  applicationSlug: string;
  password?: string;
}): Promise<DemoTarget> {
  const api: PortalApi = portalApi(portalUrl, await signInCookie(portalUrl, DEMO_SECURITY_OFFICER, password));
  const applications = await api<{ items: Application[] }>("GET", `/applications?q=${encodeURIComponent(applicationSlug)}`);
  const application = applications.items.find((a) => a.slug === applicationSlug);
  if (!application) throw new Error(`the portal has no application ${applicationSlug}: is this the demo organisation (RAMPART_SEED_DEMO=1)?`);
  const targets = await api<{ items: Target[] }>("GET", "/delivery/targets?kind=proxy&revoked=all");
  const existing = targets.items.find((t) => t.name.startsWith(DEMO_TARGET_NAME) && !t.revokedAt);
  // Names are unique, revoked targets included: a revoked demo target is left as the record it is.
  const name = [DEMO_TARGET_NAME, ...Array.from({ length: 50 }, (_, n) => `${DEMO_TARGET_NAME}-${n + 2}`)].find(
    (n) => !targets.items.some((t) => t.name === n),
  )!;
  const issued = existing
    ? await api<Target & { token: string }>("POST", `/delivery/targets/${existing.id}/rotate-token`, undefined, existing.version)
    : await api<Target & { token: string }>("POST", "/delivery/targets", {
        kind: "proxy",
        name,
        description: "Created by npm run demo: the demo payments API behind a connected microgateway.",
        mode: "microgateway",
        applicationIds: [application.id],
      });
  const signingKey = await api<{ publicKeyPem: string }>("GET", "/delivery/signing-key");
  return { targetId: issued.id, token: issued.token, publicKeyPem: signingKey.publicKeyPem, application };
}
