// GET  /api/v1/applications — list applications the caller may see
// POST /api/v1/applications — register an application
import { handleOperation } from "@/lib/api/handle-operation";
import { createApplicationOperation, listApplicationsOperation } from "@/lib/api/operations";
import { createApplication } from "@/lib/applications/create-application";
import { findApplications } from "@/lib/applications/find-applications";

export const GET = handleOperation(listApplicationsOperation, ({ actor, query }) => findApplications({ actor, query }));
export const POST = handleOperation(createApplicationOperation, ({ ctx, body }) => createApplication({ ctx, input: body }));
