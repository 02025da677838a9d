import "server-only";
import { getUser } from "@/lib/users/get-user";
import type { Actor } from "./actor";

export async function describeMe(actor: Actor) {
  const { view } = await getUser({ id: actor.user.id });
  return {
    ...view,
    authenticatedBy: actor.kind,
    tokenRole: actor.tokenRole,
    permissions: [...actor.grants.keys()].sort(),
  };
}
