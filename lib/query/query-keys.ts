import type { ListApplicationsQuery } from "@/lib/applications/application-schemas";

// Query keys in one place, so that server prefetches, client queries and mutation
// invalidations agree. Invalidating a prefix (e.g. applications.all) refreshes everything under it.
export const queryKeys = {
  applications: {
    all: ["applications"] as const,
    lists: ["applications", "list"] as const,
    list: (query: ListApplicationsQuery) => ["applications", "list", query] as const,
    detail: (id: string) => ["applications", "detail", id] as const,
  },
  tokens: ["tokens"] as const,
  delivery: { rollout: ["delivery", "rollout"] as const },
};
