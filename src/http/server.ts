import zlib from "node:zlib";
import compress from "@fastify/compress";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Limits } from "../config.ts";
import type { DeliveryService } from "../delivery/delivery-service.ts";
import type { AlertService } from "../domain/alerts/alert-service.ts";
import type { AuditService } from "../domain/audit/audit-service.ts";
import type { BiocService } from "../domain/bioc/bioc-service.ts";
import type { CorrelationService } from "../domain/correlations/correlation-service.ts";
import type { IocService } from "../domain/ioc/ioc-service.ts";
import type { LegacyIocService } from "../domain/ioc/legacy-ioc-service.ts";
import type { KeyService } from "../domain/keys/key-service.ts";
import type { FeedService } from "../intel/feed-service.ts";
import type { IntelService } from "../intel/intel-service.ts";
import type { Clock } from "../lib/clock.ts";
import type { WardenMetrics } from "../metrics/warden-metrics.ts";
import type { SharedLimitStore } from "../storage/limit-ports.ts";
import type { AuditStore, IntelLinkStore, IocStore } from "../storage/ports.ts";
import { registerConsole } from "./console.ts";
import { registerOpenApi } from "./openapi.ts";
import { installAuth } from "./plugins/auth.ts";
import { installBodyDepthLimit } from "./plugins/body-depth.ts";
import { installErrorHandling } from "./plugins/error-handler.ts";
import { installJsonInTurns } from "./plugins/json-in-turns.ts";
import { installConcurrencyCap } from "./plugins/limits.ts";
import { installRequestMetrics, metricsRoute } from "./plugins/metrics.ts";
import { installRefusalAudit } from "./plugins/refusal-audit.ts";
import { installSecurityHeaders } from "./plugins/security-headers.ts";
import { OneLineRequestLog } from "./request-log.ts";
import { auditRoutes } from "./routes/audit-routes.ts";
import { biocRoutes } from "./routes/bioc-routes.ts";
import { correlationRoutes } from "./routes/correlation-routes.ts";
import { eventRoutes } from "./routes/event-routes.ts";
import { healthRoutes } from "./routes/health.ts";
import { indicatorRoutes } from "./routes/indicator-routes.ts";
import { intelFeedRoutes } from "./routes/intel-feed-routes.ts";
import { intelRoutes } from "./routes/intel-routes.ts";
import { legacyIndicatorRoutes } from "./routes/legacy-indicator-routes.ts";
import { sessionRoutes } from "./routes/session-routes.ts";
import { taxiiRoutes } from "./routes/taxii-routes.ts";
import { webhookRoutes } from "./routes/webhook-routes.ts";
import { xqlRoutes } from "./routes/xql-routes.ts";

export interface HttpDeps {
  keys: KeyService;
  iocs: IocService;
  legacy: LegacyIocService;
  biocs: BiocService;
  correlations: CorrelationService;
  alerts: AlertService;
  audit: AuditService;
  intel: IntelService;
  feeds: FeedService;
  store: Pick<IocStore, "getExpiryDefaults" | "iocChanges" | "iocChangePage" | "findIocs"> &
    Pick<IntelLinkStore, "intelLinksOfRules" | "findIntelLinks">;
  delivery: DeliveryService;
  /** Where refused writes are recorded. */
  refusals: Pick<AuditStore, "recordRefusal">;
  clock: Clock;
  limits: Limits;
  /** Proxies whose X-Forwarded-For is believed (Config.trustedProxies). */
  trustedProxies?: readonly string[];
  /** Requests are counted here when given; `/metrics` is served on this port when serveMetrics is also true. */
  metrics?: WardenMetrics;
  serveMetrics?: boolean;
  /** Limit counters shared by every node (the PostgreSQL store's); absent, each process counts its own. */
  sharedLimits?: SharedLimitStore | undefined;
  logger: FastifyBaseLogger | boolean | { level: string };
}

/** The HTTP edge: parsing, auth, errors and routes. It never listens; `serve` does. */
export async function createHttpServer(deps: HttpDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger,
    logController: new OneLineRequestLog(),
    bodyLimit: deps.limits.bodyBytes,
    // request.ip is the client's address: the proxy's own unless it is one we were told to trust
    trustProxy: deps.trustedProxies && deps.trustedProxies.length > 0 ? [...deps.trustedProxies] : false,
    // Slow clients: a request must arrive whole within requestTimeoutMs (headers sooner, below).
    requestTimeout: deps.limits.requestTimeoutMs,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    // Reject what does not fit the schema instead of quietly fixing it up.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const routeMethods = new Map<string, string[]>();
  app.addHook("onRoute", (route) => {
    const path = route.url.replace(/\/+$/, "");
    const methods = [route.method].flat().filter((m) => m !== "HEAD");
    routeMethods.set(path, [...(routeMethods.get(path) ?? []), ...methods]);
  });

  installErrorHandling(app, routeMethods);
  installSecurityHeaders(app);
  acceptJsonWithAnyContentType(app);
  installJsonInTurns(app);
  await app.register(compress, {
    global: true,
    threshold: 1024,
    // Answers up to 4 MiB (a 50,000-item insert's) are compressed in place: streamed, each 16 KiB
    // of output was a round trip to libuv's threadpool, and a 40,000-item answer waited ~12 ms on
    // them; at level 1, 4 MiB takes ~8 ms, within the 15 ms a bulk write's step holds the loop.
    syncThreshold: 4 * 1024 * 1024,
    // Bulk answers run to megabytes; the fastest levels keep most of the saving at a fraction of the CPU.
    zlibOptions: { level: 1 },
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } },
    requestEncodings: ["gzip", "deflate"],
    onInvalidRequestPayload: (encoding) =>
      Object.assign(new Error(`the request body is not valid ${encoding} data`), { statusCode: 400 }),
  });
  if (deps.metrics) installRequestMetrics(app, deps.metrics);
  installConcurrencyCap(app, deps.limits);
  const limiters = installAuth(app, deps.keys, deps.limits, deps.clock, deps.sharedLimits);
  installBodyDepthLimit(app);
  installRefusalAudit(app, deps.refusals, deps.clock);
  await registerOpenApi(app);
  if (deps.metrics && deps.serveMetrics) await metricsRoute(app, deps.metrics);
  await app.register(healthRoutes);
  await app.register(indicatorRoutes, { iocs: deps.iocs, clock: deps.clock, maxItems: deps.limits.itemsPerRequest });
  await app.register(legacyIndicatorRoutes, {
    legacy: deps.legacy,
    store: deps.store,
    clock: deps.clock,
    maxItems: deps.limits.itemsPerRequest,
    maxBytes: deps.limits.bodyBytes,
  });
  await app.register(biocRoutes, { biocs: deps.biocs, maxItems: deps.limits.itemsPerRequest });
  await app.register(correlationRoutes, { correlations: deps.correlations, maxItems: deps.limits.itemsPerRequest });
  await app.register(sessionRoutes);
  await registerConsole(app);
  await app.register(xqlRoutes, { maxLength: deps.limits.stringLength });
  await app.register(eventRoutes, { alerts: deps.alerts, maxEvents: deps.limits.itemsPerRequest });
  await app.register(auditRoutes, { audit: deps.audit });
  await app.register(intelRoutes, { intel: deps.intel, legacy: deps.legacy });
  await app.register(intelFeedRoutes, { feeds: deps.feeds });
  await app.register(taxiiRoutes, { keys: deps.keys, limiters, store: deps.store, clock: deps.clock });
  await app.register(webhookRoutes, { delivery: deps.delivery });
  app.server.headersTimeout = deps.limits.headersTimeoutMs;
  return app;
}

/**
 * Clients send bodies as form data (`curl -d`), as text/plain (`fetch` with a string) or with no
 * type at all (Python `requests` with `data=`); the API only
 * speaks JSON, so every body is read as JSON (with prototype-poisoning keys refused).
 */
function acceptJsonWithAnyContentType(app: FastifyInstance): void {
  app.removeContentTypeParser("text/plain");
  app.addContentTypeParser("*", { parseAs: "string" }, app.getDefaultJsonParser("error", "error"));
}
