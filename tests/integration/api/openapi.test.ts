import { expect, it } from "vitest";
import { registeredOperations } from "@/lib/api/operation";
import { GET } from "@/app/api/v1/openapi.json/route";

it("publishes every operation in an OpenAPI 3.1 document built from the zod schemas", async () => {
  const doc = await GET().json();
  expect(doc.openapi).toBe("3.1.0");
  const ids = Object.values(doc.paths).flatMap((methods) => Object.values(methods as Record<string, { operationId: string }>).map((o) => o.operationId));
  expect(ids.sort()).toEqual(
    registeredOperations()
      .map((o) => o.id)
      .sort(),
  );

  const create = doc.paths["/api/v1/applications"].post;
  const body = create.requestBody.content["application/json"].schema;
  expect(body.required).toEqual(expect.arrayContaining(["teamId", "slug", "name", "exposure", "upstreamUrl"]));
  expect(body.additionalProperties).toBe(false);
  expect(body.properties.exposure.enum).toEqual(["internet", "internal"]);
  expect(create.responses["201"].content["application/json"].schema.properties.version).toBeDefined();
  expect(create.responses["422"].content["application/problem+json"].schema.$ref).toBe("#/components/schemas/Problem");

  const patch = doc.paths["/api/v1/applications/{id}"].patch;
  expect(patch.parameters.map((p: { name: string }) => p.name)).toEqual(["id", "If-Match"]);
  expect(doc.paths["/api/v1/auth/login"].post.security).toEqual([]);
});
