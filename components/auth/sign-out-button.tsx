"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiRequest } from "@/lib/query/api-client";

export function SignOutButton() {
  const queryClient = useQueryClient();
  const signOut = useMutation({
    mutationFn: () => apiRequest<{ endSessionUrl: string | null }>("/auth/logout", { method: "POST" }),
    meta: { allowUnauthenticated: true },
    // Whatever the server said, this tab forgets everything and starts from sign-in; after
    // single sign-on, by way of the provider, which ends its own session and sends it back.
    onSettled: (result) => {
      queryClient.clear();
      // A full load (not the router) drops the old session's router cache too.
      window.location.assign(result?.endSessionUrl ?? "/sign-in");
    },
  });
  return (
    <button type="button" className="button button-secondary" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
      {signOut.isPending ? "Signing out…" : "Sign out"}
    </button>
  );
}
