"use client";
import { useRouter } from "next/navigation";
import { apiRequest } from "@/lib/query/api-client";
import { ActionButton } from "@/components/action-button";

export function RemoveMembershipButton({ teamId, membershipId, description }: { teamId: string; membershipId: string; description: string }) {
  const router = useRouter();
  return (
    <ActionButton
      action={() => apiRequest(`/teams/${teamId}/memberships/${membershipId}`, { method: "DELETE" })}
      onDone={() => router.refresh()}
      label={`Remove ${description}`}
      pendingLabel="Removing…"
      className="button button-small button-danger-outline"
    >
      Remove
    </ActionButton>
  );
}
