import { MutationCache, QueryCache, QueryClient, defaultShouldDehydrateQuery } from "@tanstack/react-query";
import { ApiError, redirectToSignIn } from "./api-client";

// Data rendered on the server is handed to the browser through dehydrate/HydrationBoundary.
// A staleTime above zero keeps the browser from refetching it again right after hydration.
const STALE_TIME_MS = 30_000;

/** One recipe for every QueryClient: per request on the server, one per tab in the browser. */
export function createQueryClient(): QueryClient {
  const onUnauthenticated = (error: unknown, meta: Record<string, unknown> | undefined) => {
    // A 401 on anything but the sign-in form means the session ended (signed out
    // elsewhere, expired, password changed): send the user back through sign-in.
    if (error instanceof ApiError && error.status === 401 && !meta?.allowUnauthenticated) redirectToSignIn();
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => onUnauthenticated(error, query.meta) }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => onUnauthenticated(error, mutation.meta),
    }),
    defaultOptions: {
      queries: {
        staleTime: STALE_TIME_MS,
        // Client errors (403, 404, 409, 422) will not change on retry; only retry the rest.
        retry: (failureCount, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failureCount < 2,
      },
      mutations: { retry: false },
      dehydrate: {
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query) || query.state.status === "pending",
      },
    },
  });
}
