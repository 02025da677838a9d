// GET /api/v1/security-events/summary — time buckets, top rules, paths and clients
import { handleOperation } from "@/lib/api/handle-operation";
import { summariseSecurityEventsOperation } from "@/lib/api/operations";
import { summariseSecurityEvents } from "@/lib/security-events/summarise-security-events";

export const GET = handleOperation(summariseSecurityEventsOperation, async ({ actor, query }) => summariseSecurityEvents({ actor, query }));
