/**
 * Request metrics, and `/metrics` itself when it is served on the API's port. The route label is
 * the route's pattern (`/public_api/v1/audits/{id}` style, as Fastify registered it), never the raw
 * URL: a URL would give every scanner's guess a series of its own. Requests no route matched
 * share the label `unmatched`.
 */
import type { FastifyInstance } from "fastify";
import type { WardenMetrics } from "../../metrics/warden-metrics.ts";

export const METRICS_PATH = "/metrics";

export function installRequestMetrics(app: FastifyInstance, metrics: WardenMetrics): void {
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    metrics.request(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
}

/** `/metrics` without the API's authentication (it has no `permission`): for Prometheus to scrape. */
export async function metricsRoute(app: FastifyInstance, metrics: WardenMetrics): Promise<void> {
  app.get(
    METRICS_PATH,
    {
      schema: {
        summary: "Prometheus metrics (Warden extension; text exposition format, no API key)",
        description:
          "Requests by route and status, rules per tenant and kind, matcher builds, events and alerts, store errors, process metrics. Not served here when WARDEN_METRICS_PORT is set. See docs/metrics.md.",
        tags: ["Operations"],
        security: [],
        response: { 200: { type: "string", description: "Prometheus text format 0.0.4" } },
      },
    },
    async (_request, reply) => reply.type(metrics.contentType).send(await metrics.scrape()),
  );
}
