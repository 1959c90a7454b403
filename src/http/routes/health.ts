import type { FastifyInstance } from "fastify";

/** Public liveness probe (spec/API.md section 1): no key needed. */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    "/public_api/v1/healthcheck",
    { schema: { summary: "Is the service up", tags: ["health"], security: [] } },
    async () => ({ status: "available" }),
  );
}
