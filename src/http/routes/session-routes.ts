import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import Type from "typebox";
import { ErrorResponse } from "../schemas.ts";

/** Warden's own: who the calling key is, so the console can show the tenant and hide what the role may not do. */
export const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    "/public_api/v1/session/whoami",
    {
      schema: {
        tags: ["Session"],
        summary: "The calling key's id, tenant, role and licence",
        response: {
          200: Type.Object({
            reply: Type.Object({
              key_id: Type.Integer(),
              tenant: Type.String(),
              role: Type.String(),
              license: Type.String(),
            }),
          }),
          401: ErrorResponse,
          402: ErrorResponse,
        },
      },
      config: { permission: "rules:read" },
    },
    async (request) => {
      const { keyId, role, tenant } = request.principal;
      return { reply: { key_id: keyId, tenant: tenant.name, role, license: tenant.license } };
    },
  );
};
