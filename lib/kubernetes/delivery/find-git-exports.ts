import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { gitExportSelect, toGitExportView } from "./kubernetes-delivery-records";
import { loadDeliveryTarget } from "./load-delivery-target";

/** The latest exports of a Git target, newest first (a short history: the repository's log is the full one). */
export async function findGitExports({ actor, targetId, limit = 20 }: { actor: Actor; targetId: string; limit?: number }) {
  const target = await loadDeliveryTarget({ actor, id: targetId, kinds: ["git"] });
  const records = await db.gitExport.findMany({ where: { targetId: target.id }, orderBy: { createdAt: "desc" }, take: limit, select: gitExportSelect });
  return {
    items: records.map((record) => {
      const view = toGitExportView(record);
      return { ...view, sources: view.sources.filter((s) => target.shows(s.slug)) };
    }),
  };
}
