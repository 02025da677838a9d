// What an operator runs to connect a proxy to a target, written out in full so it can be
// copied as it is: the portal URL, the token through the environment (never argv, which
// other users can read), the pinned public key as a downloaded PEM file, and where the
// application is. Pure: the Delivery page renders it, a unit test pins it.

export const PORTAL_KEY_FILE = "rampart-portal-key.pem";
export const SIGNING_KEY_PEM_PATH = "/api/v1/delivery/signing-key.pem";

export type OnboardingTarget = {
  name: string;
  mode: "gateway" | "microgateway" | null;
  applications: { slug: string; upstreamUrl: string | null }[];
};

export type ProxyOnboarding = {
  /** The shell lines: token, key download, proxy command. */
  shell: string;
  /** The gateway config to write beside it (gateway mode), else null. */
  gatewayConfig: string | null;
  /** A container to add to the application's pod (microgateway) or the gateway's, with its secret and key. */
  kubernetes: string;
};

const TOKEN_PLACEHOLDER = "<the token shown when the target was registered or its token rotated>";
const UPSTREAM_EXAMPLE = "https://app.internal.example:8443";

const quote = (value: string) => (/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);

export function proxyOnboarding({ portalUrl, target, token }: { portalUrl: string; target: OnboardingTarget; token?: string }): ProxyOnboarding {
  const portal = portalUrl.replace(/\/$/, "");
  const gateway = target.mode !== "microgateway";
  const single = target.applications.length === 1 ? target.applications[0]! : null;
  const upstream = single?.upstreamUrl ?? UPSTREAM_EXAMPLE;
  const lines = [
    `# The target's token, through the environment (argv is visible to other users of the machine).`,
    `export RAMPART_PORTAL_TOKEN=${quote(token ?? TOKEN_PLACEHOLDER)}`,
    `# The portal's public key, pinned: the proxy loads only sets signed with it.`,
    `curl -fsS -o ${PORTAL_KEY_FILE} ${portal}${SIGNING_KEY_PEM_PATH}`,
  ];
  if (gateway) {
    lines.push(`# gateway.yaml (below) routes requests to the target's applications.`);
    lines.push(`npm run proxy -- --portal ${portal} --portal-key ${PORTAL_KEY_FILE} --config gateway.yaml --listen 0.0.0.0:8080`);
  } else {
    lines.push(`# Where the proxy reaches the application${single?.upstreamUrl ? ` (as registered for ${single.slug})` : ""}.`);
    lines.push(`export UPSTREAM_URL=${quote(upstream)}`);
    lines.push(
      `npm run proxy -- --portal ${portal} --portal-key ${PORTAL_KEY_FILE} --upstream "$UPSTREAM_URL" --listen 0.0.0.0:8080${target.applications.length > 1 ? ` --application ${target.applications[0]!.slug}` : ""}`,
    );
  }
  return { shell: lines.join("\n"), gatewayConfig: gateway ? gatewayConfig(target) : null, kubernetes: kubernetesSnippet(portal, target, gateway) };
}

function gatewayConfig(target: OnboardingTarget): string {
  const apps = target.applications.length > 0 ? target.applications : [{ slug: "APPLICATION", upstreamUrl: null }];
  const routes = apps.map((app, index) =>
    [
      `  - name: ${app.slug}`,
      `    host: ${app.slug}.example.com        # or a path prefix: path: /${app.slug}`,
      `    upstream: ${app.upstreamUrl ?? UPSTREAM_EXAMPLE}`,
      `    application: ${app.slug}${index === 0 && target.applications.length === 0 ? "          # the target has no application yet" : ""}`,
    ].join("\n"),
  );
  return ["apiVersion: rampart.dev/v1alpha1", "kind: GatewayConfig", "routes:", ...routes].join("\n");
}

function kubernetesSnippet(portal: string, target: OnboardingTarget, gateway: boolean): string {
  const secret = `${target.name}-rampart`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .slice(0, 63);
  const sourceArgs = gateway ? ["--config=/etc/rampart/config/gateway.yaml"] : ["--upstream=http://127.0.0.1:9000"];
  return [
    `# kubectl create secret generic ${secret} --from-literal=token="$RAMPART_PORTAL_TOKEN" --from-file=portal-key.pem=${PORTAL_KEY_FILE}`,
    `# ${gateway ? "The gateway's container (gateway.yaml in a ConfigMap mounted at /etc/rampart/config)." : "Beside the application in its pod: the Service targets 8080; the application listens on 127.0.0.1:9000."}`,
    `- name: rampart-proxy`,
    `  image: registry.example.com/rampart/rampart:0.1.0   # built from Rampart's Dockerfile`,
    `  command: ["node", "--import", "tsx", "proxy/cli.ts"]`,
    `  args:`,
    `    - --portal=${portal}`,
    `    - --token-file=/etc/rampart/target/token`,
    `    - --portal-key=/etc/rampart/target/portal-key.pem`,
    ...sourceArgs.map((arg) => `    - ${arg}`),
    `    - --listen=0.0.0.0:8080`,
    `    - --admin-listen=0.0.0.0:9901`,
    `    - --state-dir=/var/lib/rampart`,
    `  ports:`,
    `    - { name: http, containerPort: 8080 }`,
    `  readinessProbe: { httpGet: { path: /readyz, port: 9901 } }`,
    `  livenessProbe: { httpGet: { path: /healthz, port: 9901 } }`,
    `  securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: [ALL] } }`,
    `  volumeMounts:`,
    `    - { name: rampart-target, mountPath: /etc/rampart/target, readOnly: true }`,
    `    - { name: rampart-state, mountPath: /var/lib/rampart }`,
    `# volumes of the pod:`,
    `# - { name: rampart-target, secret: { secretName: ${secret} } }`,
    `# - { name: rampart-state, emptyDir: {} }`,
  ].join("\n");
}
