"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiRequest } from "@/lib/query/api-client";

export function SignOutButton() {
  const queryClient = useQueryClient();
  const signOut = useMutation({
    mutationFn: () => apiRequest("/auth/logout", { method: "POST" }),
    meta: { allowUnauthenticated: true },
    // Whatever the server said, this tab forgets everything and starts from sign-in.
    onSettled: () => {
      queryClient.clear();
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load drops the old session's router cache too
      window.location.assign("/sign-in");
    },
  });
  return (
    <button type="button" className="button button-secondary" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
      {signOut.isPending ? "Signing out…" : "Sign out"}
    </button>
  );
}
