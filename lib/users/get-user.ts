import "server-only";
import { db, type DbTransaction } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { toUserView, userInclude } from "./to-user-view";

export async function getUser({ id, tx }: { id: string; tx?: DbTransaction }) {
  const row = await (tx ?? db).user.findUnique({ where: { id }, include: userInclude });
  if (!row) throw new AppError("NOT_FOUND", "No such user.");
  return { row, view: toUserView(row) };
}
