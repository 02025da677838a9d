"use client";
import { useRouter } from "next/navigation";
import { apiRequest } from "@/lib/query/api-client";
import { ActionButton } from "@/components/action-button";

/** Disables or re-enables an account. Disabling also ends its sessions and API tokens (server side). */
export function UserAccessButton({ user }: { user: { id: string; name: string; disabled: boolean; version: number } }) {
  const router = useRouter();
  return (
    <ActionButton
      action={() => apiRequest(`/users/${user.id}`, { method: "PATCH", ifMatch: user.version, body: { disabled: !user.disabled } })}
      onDone={() => router.refresh()}
      label={`${user.disabled ? "Enable" : "Disable"} ${user.name}`}
      pendingLabel="Saving…"
      className={user.disabled ? "button button-small button-secondary" : "button button-small button-danger-outline"}
    >
      {user.disabled ? "Enable" : "Disable"}
    </ActionButton>
  );
}
