"use client";
import { useRouter } from "next/navigation";
import { apiRequest } from "@/lib/query/api-client";
import { ActionButton } from "@/components/action-button";

export function RemoveGroupMappingButton({ id, description }: { id: string; description: string }) {
  const router = useRouter();
  return (
    <ActionButton
      action={() => apiRequest(`/sso/mappings/${id}`, { method: "DELETE" })}
      onDone={() => router.refresh()}
      label={`Remove the mapping of ${description}`}
      pendingLabel="Removing…"
      className="button button-small button-danger-outline"
    >
      Remove
    </ActionButton>
  );
}
