// Every API operation × every role (and anonymous): the response must be exactly what
// the permission table says. The expectation is computed from lib/auth/permissions.ts,
// so adding an operation without a case here fails the completeness check below.
import { execFileSync } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { KubernetesObject } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registeredOperations } from "@/lib/api/operation";
import { scopeOf } from "@/lib/auth/permissions";
import { hashSecret } from "@/lib/auth/secret-token";
import { ROLES, type Role } from "@/lib/auth/roles";
import type { PolicyVersionState } from "@/lib/policies/policy-schemas";
import { db } from "@/lib/db/client";
import { sealTargetSecret } from "@/lib/delivery/target-secret";
import { createKubeClient } from "@/lib/kubernetes/cluster/kube-client";
import { startKubeApiServer, type TestKubeApiServer } from "../../kube-api-server/start-kube-api-server";
import { createAcceptedDecision, createApplication, createTeam, createUser } from "@/prisma/factories";
import { callApi, type ApiCall } from "../../helpers/call-api";
import { applicationDocument, baselineDocument, createPolicyFixture } from "../policies/policy-fixtures";
import { sessionCookieFor } from "../../helpers/sign-in-as";
import { statusReport } from "../../helpers/status-report";
import { signInWithSso, startSsoProvider } from "../../helpers/sso";
import { loadActor } from "@/lib/auth/actor";

const PASSWORD = "matrix-password-123";

type Fixture = {
  teamId: string;
  otherTeamId: string;
  users: Record<Role, { id: string; email: string }>;
  /** Each role again, held by someone who signed in through the provider: no password, the role from a group mapping. */
  ssoUsers: Record<Role, { id: string; email: string }>;
};
let fx: Fixture;

// A real provider (oidc-provider on loopback); each role's group maps to that role in the team.
const idp = await startSsoProvider({ mappings: ROLES.map((role) => ({ group: `matrix-${role}`, team: "matrix-team", role })) });
afterAll(() => idp.stop());

beforeAll(async () => {
  const team = await createTeam(db, { slug: "matrix-team" });
  const other = await createTeam(db, { slug: "matrix-other" });
  const users = {} as Fixture["users"];
  const ssoUsers = {} as Fixture["ssoUsers"];
  for (const role of ROLES) {
    const user = await createUser(db, { email: `${role}@matrix.test`, password: PASSWORD, memberships: [{ teamId: team.id, role }] });
    users[role] = { id: user.id, email: user.email };
    idp.setAccount({ sub: `sso-${role}`, email: `sso-${role}@matrix.test`, emailVerified: true, groups: [`matrix-${role}`] });
    const signedIn = await signInWithSso(idp, `sso-${role}`);
    if (signedIn.location !== "/") throw new Error(`single sign-on of the ${role} failed: ${signedIn.location}`);
    const ssoUser = await db.user.findUniqueOrThrow({ where: { email: `sso-${role}@matrix.test` } });
    ssoUsers[role] = { id: ssoUser.id, email: ssoUser.email };
  }
  fx = { teamId: team.id, otherTeamId: other.id, users, ssoUsers };
});

let seq = 0;
const unique = (p: string) => `${p}-${++seq}-${Math.random().toString(36).slice(2, 7)}`;

async function freshApp() {
  return createApplication(db, { teamId: fx.teamId, slug: unique("app") });
}

const ARCHITECTURE_ANSWERS = {
  classicWorkloads: true,
  kubernetesWorkloads: "some",
  kubernetesKnowHow: "medium",
  perimeterRequired: true,
  zeroTrust: true,
  sharedResponsibility: true,
  changeFrequency: "moderate",
  bundleWithApplication: false,
};

async function freshDraft() {
  return (await db.architectureDraft.create({ data: { id: crypto.randomUUID(), answers: {} } })).id;
}

/** A proposed decision record for a fresh application, made through the API by the team's project lead. */
async function freshDecision() {
  const response = await callApi({
    method: "POST",
    path: "/api/v1/architecture/decisions",
    cookie: await sessionCookieFor(fx.users["project-lead"].id),
    body: { teamId: fx.teamId, applicationIds: [(await freshApp()).id], answers: ARCHITECTURE_ANSWERS },
  });
  if (response.status !== 201) throw new Error(`could not propose a decision: ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

async function internetApp() {
  return createApplication(db, { teamId: fx.teamId, slug: unique("web"), exposure: "internet" });
}

/** A fresh policy the role could edit: a baseline (own environment) for a security officer, else a team application's. */
async function freshPolicy(role: Role | null, states: PolicyVersionState[]) {
  const authorId = fx.users["security-officer"].id;
  const versions = states.map((state) => ({ state }));
  if (role === "security-officer") return createPolicyFixture(db, { kind: "baseline", environment: unique("env"), authorId, versions });
  // Under A the team's project lead publishes its fine-grained policy (policies:publish, team).
  const app = await appUnderArchitecture("A");
  return createPolicyFixture(db, { kind: "application", application: app, authorId, versions });
}

async function versionPath(role: Role | null, state: PolicyVersionState) {
  const { policy, versions } = await freshPolicy(role, [state]);
  return `/api/v1/policies/${policy.id}/versions/${versions[0]!.id}`;
}

async function transitionCall(role: Role | null, state: PolicyVersionState, transition: string): Promise<ApiCall> {
  const { policy, versions } = await freshPolicy(role, [state]);
  const version = versions[0]!;
  return { method: "POST", path: `/api/v1/policies/${policy.id}/versions/${version.id}/${transition}`, headers: { "if-match": `"${version.version}"` } };
}

/**
 * A submitted version authored and submitted by the project lead (a baseline for a security
 * officer, else the team's application policy), so that a security officer's decision is
 * not on their own change. `base` is where the decision lives: under the policy or the queue.
 */
async function othersSubmittedVersion(role: Role | null, decision: string, base?: string): Promise<ApiCall> {
  const authorId = fx.users["project-lead"].id;
  const versions = [{ state: "submitted" as const }];
  const {
    policy,
    versions: [version],
  } =
    role === "security-officer"
      ? await createPolicyFixture(db, { kind: "baseline", environment: unique("env"), authorId, versions })
      : await createPolicyFixture(db, { kind: "application", application: await freshApp(), authorId, versions });
  const path = base ? `${base}/${version!.id}/${decision}` : `/api/v1/policies/${policy.id}/versions/${version!.id}/${decision}`;
  return { method: "POST", path, headers: { "if-match": `"${version!.version}"` } };
}

/**
 * An application under an accepted architecture decision: under C its team files change
 * requests; under A (and B) its project lead publishes its fine-grained policy.
 */
async function appUnderArchitecture(architecture: "A" | "B" | "C") {
  const app = await freshApp();
  await createAcceptedDecision(db, {
    teamId: fx.teamId,
    architecture,
    authorId: fx.users["project-lead"].id,
    acceptedById: fx.users["security-officer"].id,
    applicationIds: [app.id],
  });
  return app;
}

// Effective policies and bundles need a published baseline for every environment.
let baselinePublished: Promise<unknown> | undefined;
async function appWithBaseline() {
  baselinePublished ??= createPolicyFixture(db, { kind: "baseline", authorId: fx.users["security-officer"].id, versions: [{ state: "published" }] });
  await baselinePublished;
  return freshApp();
}

/** A proxy delivery target for one of the team's applications, with its token. */
async function freshProxyTarget() {
  const token = `rdt_${unique("token")}`;
  const app = await freshApp();
  const target = await db.deliveryTarget.create({
    data: {
      kind: "proxy",
      name: unique("target"),
      mode: "gateway",
      tokenHash: hashSecret(token),
      tokenPrefix: token.slice(0, 10),
      tokenIssuedAt: new Date(),
      namespaces: [],
      renders: [],
      applications: { create: [{ applicationId: app.id }] },
    },
  });
  return { id: target.id, token };
}

/** A stored security event of an application of the matrix team (a blocked SQL injection in ?q on /search). */
async function securityEventOf(applicationId: string): Promise<string> {
  const [row] = await db.$queryRaw<[{ id: string }]>`
    INSERT INTO security_events (id, occurred_at, target_id, instance_id, batch_id, request_id, application_id, policy_hash, action, family, rule_id,
      method, host, path, part, parameter, excerpt, client_ip, status)
    VALUES (gen_random_uuid(), now(), gen_random_uuid(), 'matrix', gen_random_uuid(), ${unique("request")}, ${applicationId}::uuid, '', 'blocked', 'sqli',
      'sqli.union-select', 'GET', 'matrix.test', '/search', 'parameter', 'q', '1 UNION SELECT 1', '198.51.100.1', 403)
    RETURNING id`;
  return row.id;
}

/** An event of an application whose policy the role edits: under C the security team's, otherwise the team's own. */
async function editableEvent(role: Role | null): Promise<string> {
  await appWithBaseline();
  const app = role === "security-officer" ? await appUnderArchitecture("C") : await freshApp();
  await createPolicyFixture(db, { kind: "application", application: app, authorId: fx.users["security-officer"].id, versions: [{ state: "published" }] });
  return securityEventOf(app.id);
}

// Kubernetes and GitOps delivery need a cluster and a repository: the test API server and
// a bare repository, made on first use.
let kubeServer: Promise<TestKubeApiServer> | undefined;
let gitWorkDir: string | undefined;
afterAll(async () => {
  await (await kubeServer)?.stop();
  if (gitWorkDir) rmSync(gitWorkDir, { recursive: true, force: true });
});

async function freshKubernetesTarget() {
  kubeServer ??= startKubeApiServer({ tls: true }).then(async (server) => {
    await createKubeClient(server.kubeconfig).objects.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "matrix" } } as KubernetesObject);
    return server;
  });
  const { kubeconfig } = await kubeServer;
  const app = await appWithBaseline();
  const id = crypto.randomUUID();
  await db.deliveryTarget.create({
    data: {
      id,
      kind: "kubernetes",
      name: unique("cluster"),
      ...sealTargetSecret(id, "kubeconfig", kubeconfig),
      namespaces: ["matrix"],
      renders: ["rampart"],
      applications: { create: [{ applicationId: app.id }] },
    },
  });
  return id;
}

/** A Kubernetes target planned (and, with `applied`, applied) by the security officer. */
async function plannedKubernetesTarget({ applied = false } = {}) {
  const targetId = await freshKubernetesTarget();
  const cookie = await sessionCookieFor(fx.users["security-officer"].id);
  const plan = await callApi({ method: "POST", path: `/api/v1/delivery/targets/${targetId}/kubernetes/plans`, cookie });
  if (plan.status !== 201) throw new Error(`could not plan: ${await plan.text()}`);
  const planId = ((await plan.json()) as { id: string }).id;
  if (applied) {
    const apply = await callApi({ method: "POST", path: `/api/v1/delivery/targets/${targetId}/kubernetes/plans/${planId}/apply`, cookie });
    if (apply.status !== 201) throw new Error(`could not apply: ${await apply.text()}`);
  }
  return { targetId, planId };
}

async function freshGitTarget() {
  if (!gitWorkDir) {
    gitWorkDir = realpathSync(mkdtempSync(path.join(tmpdir(), "rampart-matrix-git-")));
    // A repository on this machine: the operator allows its folder (RAMPART_GIT_LOCAL_DIR), nothing else.
    process.env.RAMPART_GIT_LOCAL_DIR = gitWorkDir;
    execFileSync("git", ["init", "--bare", "-q", "-b", "main", path.join(gitWorkDir, "repo.git")]);
  }
  const app = await appWithBaseline();
  const target = await db.deliveryTarget.create({
    data: {
      kind: "git",
      name: unique("repo"),
      repository: path.join(gitWorkDir, "repo.git"),
      branch: unique("branch"),
      folder: "rampart",
      namespaces: [],
      renders: [],
      applications: { create: [{ applicationId: app.id }] },
    },
  });
  return target.id;
}

// A valid request for each operation, built fresh per call so mutations never collide.
const CASES: Record<string, (role: Role | null) => Promise<ApiCall>> = {
  login: async (role) => ({ method: "POST", path: "/api/v1/auth/login", body: { email: fx.users[role ?? "developer"].email, password: PASSWORD } }),
  logout: async () => ({ method: "POST", path: "/api/v1/auth/logout" }),
  getMe: async () => ({ method: "GET", path: "/api/v1/me" }),
  changePassword: async () => ({ method: "POST", path: "/api/v1/me/password", body: { currentPassword: PASSWORD, newPassword: PASSWORD } }),
  listApplications: async () => ({ method: "GET", path: "/api/v1/applications" }),
  createApplication: async () => ({
    method: "POST",
    path: "/api/v1/applications",
    body: { teamId: fx.teamId, slug: unique("new"), name: "New app", exposure: "internal", upstreamUrl: "http://10.0.0.1:8080" },
  }),
  getApplication: async () => ({ method: "GET", path: `/api/v1/applications/${(await freshApp()).id}` }),
  updateApplication: async () => ({
    method: "PATCH",
    path: `/api/v1/applications/${(await freshApp()).id}`,
    body: { name: "Renamed" },
    headers: { "if-match": '"1"' },
  }),
  archiveApplication: async () => ({
    method: "POST",
    path: `/api/v1/applications/${(await freshApp()).id}/archive`,
    headers: { "if-match": '"1"' },
  }),
  listUsers: async () => ({ method: "GET", path: "/api/v1/users" }),
  createUser: async () => ({
    method: "POST",
    path: "/api/v1/users",
    body: { email: `${unique("u")}@matrix.test`, name: "New", password: "a-long-enough-password" },
  }),
  getUser: async () => ({ method: "GET", path: `/api/v1/users/${fx.users.developer.id}` }),
  updateUser: async () => {
    const u = await createUser(db, { email: `${unique("target")}@matrix.test` });
    return { method: "PATCH", path: `/api/v1/users/${u.id}`, body: { name: "Renamed" }, headers: { "if-match": '"1"' } };
  },
  listTeams: async () => ({ method: "GET", path: "/api/v1/teams" }),
  createTeam: async () => ({ method: "POST", path: "/api/v1/teams", body: { slug: unique("team"), name: "Team" } }),
  getTeam: async () => ({ method: "GET", path: `/api/v1/teams/${fx.teamId}` }),
  updateTeam: async () => {
    const t = await createTeam(db, { slug: unique("t") });
    return { method: "PATCH", path: `/api/v1/teams/${t.id}`, body: { name: "Renamed" }, headers: { "if-match": '"1"' } };
  },
  rotateTeamWebhookSecret: async () => {
    const t = await createTeam(db, { slug: unique("t") });
    return { method: "POST", path: `/api/v1/teams/${t.id}/webhook-secret`, headers: { "if-match": '"1"' } };
  },
  addMembership: async () => {
    const u = await createUser(db, { email: `${unique("m")}@matrix.test` });
    return { method: "POST", path: `/api/v1/teams/${fx.teamId}/memberships`, body: { userId: u.id, role: "developer" } };
  },
  removeMembership: async () => {
    const u = await createUser(db, { email: `${unique("r")}@matrix.test`, memberships: [{ teamId: fx.teamId, role: "developer" }] });
    const m = await db.membership.findFirstOrThrow({ where: { userId: u.id } });
    return { method: "DELETE", path: `/api/v1/teams/${fx.teamId}/memberships/${m.id}` };
  },
  listTokens: async () => ({ method: "GET", path: "/api/v1/tokens" }),
  createToken: async (role) => ({ method: "POST", path: "/api/v1/tokens", body: { name: "ci", role: role ?? "auditor" } }),
  revokeToken: async (role) => {
    const userId = role ? fx.users[role].id : fx.users.auditor.id;
    const t = await db.apiToken.create({
      data: { name: "x", prefix: "rpt_x", tokenHash: unique("hash"), role: role ?? "auditor", userId, expiresAt: new Date(Date.now() + 86_400_000) },
    });
    return { method: "DELETE", path: `/api/v1/tokens/${t.id}` };
  },
  listAuditEvents: async () => ({ method: "GET", path: "/api/v1/audit-events" }),
  evaluateArchitecture: async () => ({ method: "POST", path: "/api/v1/architecture/evaluate", body: { answers: ARCHITECTURE_ANSWERS } }),
  createArchitectureDraft: async () => ({ method: "POST", path: "/api/v1/architecture/drafts", body: { answers: { zeroTrust: true }, step: 1 } }),
  listArchitectureDrafts: async () => ({ method: "GET", path: "/api/v1/architecture/drafts" }),
  getArchitectureDraft: async () => ({ method: "GET", path: `/api/v1/architecture/drafts/${await freshDraft()}` }),
  updateArchitectureDraft: async () => ({
    method: "PATCH",
    path: `/api/v1/architecture/drafts/${await freshDraft()}`,
    body: { answers: ARCHITECTURE_ANSWERS, step: 4 },
    headers: { "if-match": '"1"' },
  }),
  listArchitectureDecisions: async () => ({ method: "GET", path: "/api/v1/architecture/decisions" }),
  createArchitectureDecision: async () => ({
    method: "POST",
    path: "/api/v1/architecture/decisions",
    body: { teamId: fx.teamId, applicationIds: [(await freshApp()).id], answers: ARCHITECTURE_ANSWERS },
  }),
  getArchitectureDecision: async () => ({ method: "GET", path: `/api/v1/architecture/decisions/${await freshDecision()}` }),
  // Proposed by the project lead, so the security officer is not accepting their own proposal.
  acceptArchitectureDecision: async () => ({
    method: "POST",
    path: `/api/v1/architecture/decisions/${await freshDecision()}/accept`,
    headers: { "if-match": '"1"' },
  }),
  exportArchitectureDecision: async () => ({ method: "GET", path: `/api/v1/architecture/decisions/${await freshDecision()}/markdown` }),
  getEffectiveArchitecture: async () => ({ method: "GET", path: `/api/v1/architecture/applications/${(await freshApp()).id}` }),
  // Policies: a security officer's case works on a baseline (the only kind they edit without
  // an architecture decision), a project lead's or developer's on their team's application.
  listPolicies: async () => ({ method: "GET", path: "/api/v1/policies" }),
  createPolicy: async (role) => ({
    method: "POST",
    path: "/api/v1/policies",
    body: {
      content: role === "security-officer" ? baselineDocument({}, { environment: unique("env") }) : applicationDocument((await freshApp()).slug),
    },
  }),
  getPolicy: async (role) => ({ method: "GET", path: `/api/v1/policies/${(await freshPolicy(role, ["draft"])).policy.id}` }),
  createPolicyDraft: async (role) => ({
    method: "POST",
    path: `/api/v1/policies/${(await freshPolicy(role, ["published"])).policy.id}/versions`,
    body: {},
  }),
  getPolicyVersion: async (role) => ({ method: "GET", path: await versionPath(role, "draft") }),
  listReviewComments: async (role) => ({ method: "GET", path: `${await versionPath(role, "submitted")}/comments` }),
  addReviewComment: async (role) => ({
    method: "POST",
    path: `${await versionPath(role, "submitted")}/comments`,
    body: { side: "after", line: 1, lineText: "apiVersion: rampart.dev/v1alpha1", body: "Why this?" },
  }),
  updatePolicyDraft: async (role) => {
    const { policy, versions } = await freshPolicy(role, ["draft"]);
    const content = policy.kind === "baseline" ? baselineDocument({}, { environment: policy.environment }) : applicationDocument(policy.name);
    return { method: "PUT", path: `/api/v1/policies/${policy.id}/versions/${versions[0]!.id}`, body: { content }, headers: { "if-match": '"1"' } };
  },
  submitPolicyVersion: async (role) => ({ ...(await transitionCall(role, "draft", "submit")), body: { summary: "Tighten the limits." } }),
  // Four eyes: the version is someone else's change, so an officer may approve it.
  approvePolicyVersion: async (role) => ({ ...(await othersSubmittedVersion(role, "approve")), body: { note: "Reviewed." } }),
  rejectPolicyVersion: async (role) => ({ ...(await transitionCall(role, "submitted", "reject")), body: { note: "Not this way." } }),
  publishPolicyVersion: async (role) => transitionCall(role, "approved", "publish"),
  requestPolicyVersionChanges: async (role) => ({ ...(await othersSubmittedVersion(role, "request-changes")), body: { note: "Name the paths." } }),
  exportPolicyVersion: async (role) => ({ method: "GET", path: `${await versionPath(role, "published")}/export` }),
  diffPolicyVersions: async (role) => {
    const { policy, versions } = await freshPolicy(role, ["published", "draft"]);
    return { method: "GET", path: `/api/v1/policies/${policy.id}/diff?to=${versions[1]!.id}` };
  },
  getEffectivePolicy: async () => ({ method: "GET", path: `/api/v1/applications/${(await appWithBaseline()).id}/policy/effective` }),
  getPolicyBundle: async () => ({ method: "GET", path: `/api/v1/applications/${(await appWithBaseline()).id}/policy/bundle` }),
  listRiskAcceptances: async () => ({ method: "GET", path: `/api/v1/applications/${(await freshApp()).id}/risk-acceptances` }),
  createRiskAcceptance: async () => ({
    method: "POST",
    path: `/api/v1/applications/${(await internetApp()).id}/risk-acceptances`,
    body: { reason: "Launch before the policy is written.", expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString() },
  }),
  listApprovals: async () => ({ method: "GET", path: "/api/v1/approvals?risk=any&sort=newest" }),
  approveApproval: async (role) => ({ ...(await othersSubmittedVersion(role, "approve", "/api/v1/approvals")), body: { note: "Reviewed." } }),
  rejectApproval: async (role) => ({ ...(await othersSubmittedVersion(role, "reject", "/api/v1/approvals")), body: { note: "Not this way." } }),
  requestApprovalChanges: async (role) => ({
    ...(await othersSubmittedVersion(role, "request-changes", "/api/v1/approvals")),
    body: { note: "Name the paths." },
  }),
  createChangeRequest: async () => ({
    method: "POST",
    path: `/api/v1/applications/${(await appUnderArchitecture("C")).id}/change-requests`,
    body: { title: "Allow uploads up to 20 MB", rationale: "Scanned invoices are large." },
  }),
  listChangeRequests: async () => ({ method: "GET", path: "/api/v1/change-requests?status=open" }),
  decideChangeRequest: async () => {
    const app = await appUnderArchitecture("C");
    const request = await db.policyChangeRequest.create({
      data: { applicationId: app.id, title: "Allow uploads", rationale: "Invoices.", authorId: fx.users.developer.id },
    });
    return {
      method: "POST",
      path: `/api/v1/change-requests/${request.id}/decision`,
      body: { decision: "decline", note: "Not now." },
      headers: { "if-match": '"1"' },
    };
  },
  listExceptions: async () => ({ method: "GET", path: "/api/v1/exceptions?expiringWithinDays=30" }),
  exportAuditEvents: async () => ({ method: "GET", path: "/api/v1/audit-events/export?outcome=denied" }),
  listNotifications: async () => ({ method: "GET", path: "/api/v1/notifications?unread=true" }),
  getUnreadNotificationCount: async () => ({ method: "GET", path: "/api/v1/notifications/unread-count" }),
  markNotificationsRead: async () => ({ method: "POST", path: "/api/v1/notifications/read", body: {} }),
  listDeliveryTargets: async () => ({ method: "GET", path: "/api/v1/delivery/targets" }),
  createDeliveryTarget: async () => ({ method: "POST", path: "/api/v1/delivery/targets", body: { kind: "proxy", name: unique("gw"), mode: "gateway" } }),
  getDeliveryTarget: async () => ({ method: "GET", path: `/api/v1/delivery/targets/${(await freshProxyTarget()).id}` }),
  updateDeliveryTarget: async () => ({
    method: "PATCH",
    path: `/api/v1/delivery/targets/${(await freshProxyTarget()).id}`,
    body: { name: unique("renamed") },
    headers: { "if-match": '"1"' },
  }),
  rotateDeliveryToken: async () => ({
    method: "POST",
    path: `/api/v1/delivery/targets/${(await freshProxyTarget()).id}/rotate-token`,
    headers: { "if-match": '"1"' },
  }),
  revokeDeliveryTarget: async () => ({
    method: "POST",
    path: `/api/v1/delivery/targets/${(await freshProxyTarget()).id}/revoke`,
    headers: { "if-match": '"1"' },
  }),
  getDeliveryRollout: async () => ({ method: "GET", path: "/api/v1/delivery/rollout" }),
  getDeliverySigningKey: async () => ({ method: "GET", path: "/api/v1/delivery/signing-key" }),
  getDeliverySigningKeyPem: async () => ({ method: "GET", path: "/api/v1/delivery/signing-key.pem" }),
  removeProxyInstance: async () => {
    const target = await freshProxyTarget();
    const lastSeenAt = new Date(Date.now() - 3_600_000);
    await db.proxyInstanceStatus.create({
      data: {
        targetId: target.id,
        instanceId: "gone-1",
        mode: "gateway",
        startedAt: lastSeenAt,
        lastSeenAt,
        counters: { requests: 0, blocked: 0, upstreamErrors: 0, reloads: 0 },
      },
    });
    return { method: "DELETE", path: `/api/v1/delivery/targets/${target.id}/instances/gone-1` };
  },
  getDeliveryBundle: async () => ({ method: "GET", path: "/api/v1/delivery/bundle", bearer: (await freshProxyTarget()).token }),
  reportDeliveryStatus: async () => ({
    method: "POST",
    path: "/api/v1/delivery/status",
    bearer: (await freshProxyTarget()).token,
    body: statusReport(unique("instance")),
  }),
  ingestSecurityEvents: async () => ({
    method: "POST",
    path: "/api/v1/delivery/events",
    bearer: (await freshProxyTarget()).token,
    body: { batchId: crypto.randomUUID(), instanceId: unique("instance"), events: [], counters: [], dropped: 0 },
  }),
  listSecurityEvents: async () => ({ method: "GET", path: "/api/v1/security-events?action=blocked" }),
  summariseSecurityEvents: async () => ({ method: "GET", path: "/api/v1/security-events/summary" }),
  exportSecurityEvents: async () => ({ method: "GET", path: "/api/v1/security-events/export?limit=10" }),
  getSecurityEvent: async () => ({ method: "GET", path: `/api/v1/security-events/${await securityEventOf((await freshApp()).id)}` }),
  draftExceptionFromEvent: async (role) => ({
    method: "POST",
    path: `/api/v1/security-events/${await editableEvent(role)}/exception-draft`,
    body: { justification: "Support staff search for quoted SQL keywords in notes." },
  }),
  // An earlier published (now superseded) version back in force: a baseline for a security officer.
  rollbackPolicyVersion: async (role) => {
    const { policy, versions } = await freshPolicy(role, ["superseded", "published"]);
    const { version } = await db.policy.findUniqueOrThrow({ where: { id: policy.id }, select: { version: true } });
    return { method: "POST", path: `/api/v1/policies/${policy.id}/versions/${versions[0]!.id}/rollback`, body: {}, headers: { "if-match": `"${version}"` } };
  },
  getKubernetesDelivery: async () => ({ method: "GET", path: `/api/v1/delivery/targets/${(await plannedKubernetesTarget()).targetId}/kubernetes` }),
  planKubernetesDelivery: async () => ({ method: "POST", path: `/api/v1/delivery/targets/${await freshKubernetesTarget()}/kubernetes/plans` }),
  getKubernetesPlan: async () => {
    const { targetId, planId } = await plannedKubernetesTarget();
    return { method: "GET", path: `/api/v1/delivery/targets/${targetId}/kubernetes/plans/${planId}` };
  },
  applyKubernetesPlan: async () => {
    const { targetId, planId } = await plannedKubernetesTarget();
    return { method: "POST", path: `/api/v1/delivery/targets/${targetId}/kubernetes/plans/${planId}/apply` };
  },
  checkKubernetesDrift: async () => ({
    method: "POST",
    path: `/api/v1/delivery/targets/${(await plannedKubernetesTarget({ applied: true })).targetId}/kubernetes/drift-checks`,
  }),
  reapplyKubernetesDelivery: async () => ({
    method: "POST",
    path: `/api/v1/delivery/targets/${(await plannedKubernetesTarget({ applied: true })).targetId}/kubernetes/reapply`,
  }),
  exportGitDelivery: async () => ({ method: "POST", path: `/api/v1/delivery/targets/${await freshGitTarget()}/git/exports` }),
  listGitExports: async () => ({ method: "GET", path: `/api/v1/delivery/targets/${await freshGitTarget()}/git/exports` }),
  downloadDeliveryArchive: async () => ({ method: "GET", path: `/api/v1/delivery/targets/${await freshGitTarget()}/git/archive` }),
  startSsoSignIn: async () => ({ method: "GET", path: "/api/v1/auth/sso/corp/start?next=%2Fapplications" }),
  // Authorization only: a response that is not this browser's ends on the failure page (tests/integration/sso).
  completeSsoSignIn: async () => ({ method: "GET", path: "/api/v1/auth/sso/corp/callback?code=matrix&state=matrix" }),
  getSsoConfiguration: async () => ({ method: "GET", path: "/api/v1/sso" }),
  createSsoGroupMapping: async () => ({
    method: "POST",
    path: "/api/v1/sso/mappings",
    body: { provider: "corp", group: unique("group"), teamId: fx.teamId, role: "developer" },
  }),
  deleteSsoGroupMapping: async () => {
    const mapping = await db.ssoGroupMapping.create({ data: { provider: "corp", group: unique("group"), teamId: fx.teamId, role: "auditor" } });
    return { method: "DELETE", path: `/api/v1/sso/mappings/${mapping.id}` };
  },
  revokeRiskAcceptance: async () => {
    const app = await internetApp();
    const acceptance = await db.riskAcceptance.create({
      data: { applicationId: app.id, reason: "Launch first.", expiresAt: new Date(Date.now() + 86_400_000), acceptedById: fx.users["security-officer"].id },
    });
    return { method: "POST", path: `/api/v1/applications/${app.id}/risk-acceptances/${acceptance.id}/revoke` };
  },
};

function expectedAllowed(access: string, role: Role | null): boolean {
  // A proxy's operations: the case sends the delivery target's token; no role grants or refuses them.
  if (access === "delivery-target") return true;
  if (access === "public") return true;
  if (role === null) return false;
  if (access === "authenticated") return true;
  return scopeOf(role, access) !== null;
}

// The browser's single sign-on steps answer with a redirect, never 2xx.
const REDIRECTING = new Set(["startSsoSignIn", "completeSsoSignIn"]);

describe("authorization matrix", () => {
  it("has a case for every registered operation", () => {
    const missing = registeredOperations()
      .map((op) => op.id)
      .filter((id) => !CASES[id]);
    expect(missing).toEqual([]);
  });

  it("gives a single sign-on user exactly the grants of a password user with the same role", async () => {
    for (const role of ROLES) {
      const password = await loadActor(fx.users[role].id, { kind: "session", sessionId: "x" });
      const sso = await loadActor(fx.ssoUsers[role].id, { kind: "session", sessionId: "x" });
      expect(
        sso!.memberships.map((m) => [m.teamId, m.role]),
        role,
      ).toEqual([[fx.teamId, role]]);
      expect(sso!.grants, role).toEqual(password!.grants);
    }
  });

  for (const op of registeredOperations()) {
    for (const role of [...ROLES, null] as const) {
      const allowed = expectedAllowed(op.access, role);
      it(`${op.id} as ${role ?? "anonymous"} → ${allowed ? "allowed" : "denied"}`, async () => {
        const call = await CASES[op.id]!(role);
        if (role) call.cookie = await sessionCookieFor(fx.users[role].id);
        const response = await callApi(call);
        const text = await response.text();
        if (allowed) {
          if (REDIRECTING.has(op.id)) expect(response.status, text).toBe(303);
          else {
            expect(response.status, text).toBeGreaterThanOrEqual(200);
            expect(response.status, text).toBeLessThan(300);
          }
        } else {
          expect(response.status, text).toBe(role === null ? 401 : 403);
          expect(response.headers.get("content-type")).toBe("application/problem+json");
        }
        if (!role) return;
        // The same request from the role's single sign-on user. A refusal must be the same
        // refusal; a read must succeed the same way; a change already made by the first
        // request may now conflict, but must not be refused.
        const sso = await callApi({ ...call, cookie: await sessionCookieFor(fx.ssoUsers[role].id) });
        const ssoText = await sso.text();
        if (!allowed) expect(sso.status, ssoText).toBe(403);
        else if (op.method === "GET") expect(sso.status, ssoText).toBe(response.status);
        else expect([401, 403], ssoText).not.toContain(sso.status);
      });
    }
  }
});
