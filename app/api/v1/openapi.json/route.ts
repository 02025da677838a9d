// GET /api/v1/openapi.json — the OpenAPI 3.1 document, generated from the operations' zod schemas
import { buildOpenApiDocument } from "@/lib/api/openapi-document";

export const dynamic = "force-static";

export function GET() {
  return Response.json(buildOpenApiDocument());
}
