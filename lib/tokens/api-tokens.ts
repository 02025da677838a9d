import "server-only";
import { requireActor, requirePermission, type RequestContext } from "@/lib/auth/actor";
import { API_TOKEN_PREFIX } from "@/lib/auth/authenticate-request";
import { roleRank } from "@/lib/auth/roles";
import { generateSecret, hashSecret } from "@/lib/auth/secret-token";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { createApiTokenInput, type CreateApiTokenInput } from "./token-schemas";

// API tokens for automation. Each token acts for its creator, capped at the role it
// was given (see loadActor), so it can never do more than its creator can today.

export async function findOwnApiTokens({ ctx }: { ctx: RequestContext }) {
  const actor = requirePermission(ctx, "tokens:manage-own");
  const items = await db.apiToken.findMany({
    where: { userId: actor.user.id },
    orderBy: { createdAt: "desc" },
    omit: { tokenHash: true },
  });
  return { items };
}

export async function createApiToken({ ctx, input }: { ctx: RequestContext; input: CreateApiTokenInput }) {
  const actor = requirePermission(ctx, "tokens:manage-own");
  if (actor.kind === "token") throw new AppError("FORBIDDEN", "API tokens cannot create API tokens; sign in to create one.");
  const data = createApiTokenInput.parse(input);
  const highest = Math.max(...actor.memberships.map((m) => roleRank(m.role)));
  if (roleRank(data.role) > highest) {
    throw new AppError("FORBIDDEN", `A token cannot have a higher role than yours (${data.role} requested).`, {
      fieldErrors: [{ path: "body.role", message: "is higher than your own role" }],
    });
  }
  const secret = generateSecret();
  const prefix = secret.slice(0, 8);
  const token = `${API_TOKEN_PREFIX}${secret}`;
  return db.$transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: {
        name: data.name,
        prefix: `${API_TOKEN_PREFIX}${prefix}`,
        tokenHash: hashSecret(token),
        role: data.role,
        userId: actor.user.id,
        expiresAt: new Date(Date.now() + data.expiresInDays * 86_400_000),
      },
      omit: { tokenHash: true },
    });
    await recordAuditEvent(tx, ctx, {
      action: "token.create",
      target: { type: "api-token", id: row.id },
      summary: { after: { name: row.name, role: row.role, expiresAt: row.expiresAt.toISOString() } },
    });
    return { ...row, token };
  });
}

export async function revokeApiToken({ ctx, id }: { ctx: RequestContext; id: string }) {
  const actor = requireActor(ctx);
  requirePermission(ctx, "tokens:manage-own");
  return db.$transaction(async (tx) => {
    const row = await tx.apiToken.findFirst({ where: { id, userId: actor.user.id }, omit: { tokenHash: true } });
    if (!row) throw new AppError("NOT_FOUND", "No such token.");
    if (row.revokedAt) return row;
    const revoked = await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() }, omit: { tokenHash: true } });
    await recordAuditEvent(tx, ctx, {
      action: "token.revoke",
      target: { type: "api-token", id },
      summary: { before: { name: row.name, role: row.role } },
    });
    return revoked;
  });
}
