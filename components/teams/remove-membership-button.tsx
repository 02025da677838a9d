"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { apiRequest } from "@/lib/query/api-client";

export function RemoveMembershipButton({ teamId, membershipId, description }: { teamId: string; membershipId: string; description: string }) {
  const router = useRouter();
  const remove = useMutation({
    mutationFn: () => apiRequest(`/teams/${teamId}/memberships/${membershipId}`, { method: "DELETE" }),
    onSuccess: () => router.refresh(),
  });
  return (
    <div className="inline-action">
      <button
        type="button"
        className="button button-small button-danger-outline"
        onClick={() => remove.mutate()}
        disabled={remove.isPending}
        aria-label={`Remove ${description}`}
      >
        {remove.isPending ? "Removing…" : "Remove"}
      </button>
      {remove.error ? (
        <p className="field-error" role="alert">
          {remove.error.message}
        </p>
      ) : null}
    </div>
  );
}
