"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { apiRequest } from "@/lib/query/api-client";

/** Disables or re-enables an account. Disabling also ends its sessions and API tokens (server side). */
export function UserAccessButton({ user }: { user: { id: string; name: string; disabled: boolean; version: number } }) {
  const router = useRouter();
  const toggle = useMutation({
    mutationFn: () =>
      apiRequest(`/users/${user.id}`, { method: "PATCH", ifMatch: user.version, body: { disabled: !user.disabled } }),
    onSuccess: () => router.refresh(),
  });
  return (
    <div className="inline-action">
      <button
        type="button"
        className={user.disabled ? "button button-small button-secondary" : "button button-small button-danger-outline"}
        onClick={() => toggle.mutate()}
        disabled={toggle.isPending}
        aria-label={`${user.disabled ? "Enable" : "Disable"} ${user.name}`}
      >
        {toggle.isPending ? "Saving…" : user.disabled ? "Enable" : "Disable"}
      </button>
      {toggle.error ? (
        <p className="field-error" role="alert">
          {toggle.error.message}
        </p>
      ) : null}
    </div>
  );
}
