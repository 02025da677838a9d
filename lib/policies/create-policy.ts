import "server-only";
import { requirePermission, teamScope, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/unique-violation";
import { AppError } from "@/lib/errors/app-error";
import type { Prisma } from "@/lib/generated/prisma/client";
import { invalidPolicy, parsePolicyContent } from "./parse-policy-content";
import { versionAuditView } from "./policy-audit-view";
import { authoredSource } from "./authored-source";
import { policyContentHash } from "./policy-content-hash";
import { requireCanEditPolicy } from "./policy-permissions";
import { draftsOf, policyInclude, toPolicyView } from "./policy-records";
import { createPolicyInput, type CreatePolicyInput } from "./policy-schemas";
import { assertPolicyEditable, policyScopeKey } from "./policy-target";
import { validatePolicyContent, type PolicyTarget } from "./validate-policy-content";

const ROOT = "body.content";

/**
 * A new policy with its first draft. The document says what it is for (a baseline's
 * metadata.environment, an application policy's metadata.application), so a YAML file
 * kept in Git imports as it is.
 */
export async function createPolicy({ ctx, input }: { ctx: RequestContext; input: CreatePolicyInput }) {
  const actor = requirePermission(ctx, "policies:edit");
  const data = createPolicyInput.parse(input);
  const now = new Date();
  const document = parsePolicyContent(data.content, { root: ROOT });
  try {
    return await db.$transaction(async (tx) => {
      let target: PolicyTarget;
      let application: { id: string; slug: string; teamId: string; archivedAt: Date | null } | null = null;
      if (document.kind === "BaselinePolicy") {
        target = { kind: "baseline", environment: document.metadata.environment ?? null };
      } else {
        // Scoped like every read: another team's application is as unknown as a missing one.
        application = await tx.application.findFirst({
          where: { slug: document.metadata.application, ...teamScope(actor, "policies:read") },
          select: { id: true, slug: true, teamId: true, archivedAt: true },
        });
        if (!application) {
          throw invalidPolicy([{ path: `${ROOT}.metadata.application`, message: `no application "${document.metadata.application}" that you can see` }]);
        }
        target = { kind: "application", application };
      }
      const kind = target.kind;
      await requireCanEditPolicy({ ctx, policy: { kind, application }, tx });
      assertPolicyEditable({ kind, environment: null, application });
      await validatePolicyContent({ tx, target, input: document, root: ROOT, now });

      const scope = policyScopeKey(target);
      const existing = await tx.policy.findUnique({ where: { scope }, select: { id: true } });
      if (existing) throw alreadyExists(target, existing.id);
      const policy = await tx.policy.create({
        data: {
          kind,
          scope,
          name: document.kind === "BaselinePolicy" ? document.metadata.name : document.metadata.application,
          environment: target.kind === "baseline" ? target.environment : null,
          applicationId: application?.id ?? null,
        },
      });
      const version = await tx.policyVersion.create({
        data: {
          policyId: policy.id,
          number: 1,
          content: document as unknown as Prisma.InputJsonValue,
          contentHash: policyContentHash(document),
          sourceText: authoredSource(data.content),
          note: data.note,
          authorId: actor.user.id,
          editors: { create: { userId: actor.user.id } },
        },
      });
      await recordAuditEvent(tx, ctx, {
        action: "policy.create",
        target: { type: "policy", id: policy.id },
        teamId: application?.teamId ?? null,
        summary: { scope, kind, after: versionAuditView(version) },
      });
      const created = await tx.policy.findUniqueOrThrow({ where: { id: policy.id }, include: policyInclude });
      return toPolicyView(created, (await draftsOf([policy.id], tx)).get(policy.id) ?? null);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", "A policy for the same scope was created at the same time; reload and create a new draft of it.");
    }
    throw error;
  }
}

function alreadyExists(target: PolicyTarget, policyId: string) {
  const what =
    target.kind === "application"
      ? `${target.application.slug} already has a policy`
      : target.environment
        ? `A baseline for ${target.environment} already exists`
        : "A baseline for every environment already exists";
  return new AppError("CONFLICT", `${what}; create a new draft of it instead.`, { details: { policyId } });
}
