import { queryOptions } from "@tanstack/react-query";
import { rolloutSchema } from "@/lib/delivery/delivery-schemas";
import { apiRequest } from "./api-client";
import { queryKeys } from "./query-keys";

/** The rollout view, refreshed every couple of seconds while the Delivery page is open. */
export function deliveryRolloutQuery() {
  return queryOptions({
    queryKey: queryKeys.delivery.rollout,
    queryFn: ({ signal }) => apiRequest("/delivery/rollout", { schema: rolloutSchema, signal }),
    refetchInterval: 2_000,
    staleTime: 0,
  });
}
