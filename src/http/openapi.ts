import type { SwaggerTransform } from "@fastify/swagger";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import type { TSchema } from "typebox";

export const OPENAPI_PATH = "/public_api/v1/openapi.json";

/**
 * Insert bodies are checked loosely at the edge (each item is judged alone later), so the
 * document shows the item schema the domain actually applies.
 */
export function documentItems(item: TSchema): SwaggerTransform {
  return ({ schema, url }) => ({
    url,
    schema: {
      ...schema,
      body: {
        type: "object",
        required: ["request_data"],
        properties: { request_data: { type: "array", items: item } },
      },
    },
  });
}

/** The OpenAPI 3 document, generated from the route schemas, and a page to read it at /docs. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: {
        title: "Warden",
        version: "1",
        description: "Cortex XSIAM / XDR compatible rule API: IOC and BIOC rules for many tenants.",
      },
      components: {
        securitySchemes: {
          apiKeyId: { type: "apiKey", in: "header", name: "x-xdr-auth-id" },
          apiKey: { type: "apiKey", in: "header", name: "Authorization" },
        },
      },
      security: [{ apiKeyId: [], apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  app.get(OPENAPI_PATH, { schema: { hide: true } }, async () => app.swagger());
}
