import { queryOptions } from "@tanstack/react-query";
import { applicationPageSchema, applicationSchema, type ListApplicationsQuery } from "@/lib/applications/application-schemas";
import { apiRequest, toSearchParams } from "./api-client";
import { queryKeys } from "./query-keys";

// Browser-side reads of applications. Server components prefetch the same keys from
// lib/applications/* directly and hand the result over with HydrationBoundary.

export function applicationListQuery(query: ListApplicationsQuery) {
  return queryOptions({
    queryKey: queryKeys.applications.list(query),
    queryFn: ({ signal }) => apiRequest(`/applications?${toSearchParams(query)}`, { schema: applicationPageSchema, signal }),
  });
}

export function applicationDetailQuery(id: string) {
  return queryOptions({
    queryKey: queryKeys.applications.detail(id),
    queryFn: ({ signal }) => apiRequest(`/applications/${encodeURIComponent(id)}`, { schema: applicationSchema, signal }),
  });
}
