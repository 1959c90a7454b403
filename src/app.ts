import type { FastifyInstance } from "fastify";
import type { Config, NatsConfig } from "./config.ts";
import { DeliveryDispatcher } from "./delivery/delivery-dispatcher.ts";
import { DeliveryService } from "./delivery/delivery-service.ts";
import { AlertService } from "./domain/alerts/alert-service.ts";
import { AuditService } from "./domain/audit/audit-service.ts";
import { BiocService } from "./domain/bioc/bioc-service.ts";
import { CorrelationService } from "./domain/correlations/correlation-service.ts";
import { IocService } from "./domain/ioc/ioc-service.ts";
import { LegacyIocService } from "./domain/ioc/legacy-ioc-service.ts";
import { KeyService } from "./domain/keys/key-service.ts";
import { loadMasterKey } from "./domain/keys/master-key.ts";
import { RetentionService } from "./domain/retention/retention-service.ts";
import { TenantService } from "./domain/tenants/tenant-service.ts";
import { CorrelationEngine } from "./engine/correlations/correlation-engine.ts";
import { EngineRegistry } from "./engine/engine-registry.ts";
import { createHttpServer } from "./http/server.ts";
import { type EventMatching, eventMatching } from "./ingest/event-matching.ts";
import { StreamConsumer } from "./ingest/stream/stream-consumer.ts";
import { FeedService } from "./intel/feed-service.ts";
import { IntelService } from "./intel/intel-service.ts";
import { type Clock, systemClock } from "./lib/clock.ts";
import { countStoreErrors } from "./metrics/store-error-counting.ts";
import { registerStreamMetrics } from "./metrics/stream-metrics.ts";
import { WardenMetrics } from "./metrics/warden-metrics.ts";
import { openStore } from "./storage/open-store.ts";
import type { Store } from "./storage/ports.ts";

export interface AppOptions {
  clock?: Clock;
  /** Fastify's logger setting; tests pass false. */
  logger?: boolean | { level: string };
}

/** Everything one Warden process needs, wired once. */
export interface Services {
  store: Store;
  clock: Clock;
  tenants: TenantService;
  keys: KeyService;
  iocs: IocService;
  legacy: LegacyIocService;
  biocs: BiocService;
  correlations: CorrelationService;
  engine: EngineRegistry;
  /** Where events are matched (worker threads unless configured off); closed with the store. */
  matching: EventMatching;
  alerts: AlertService;
  /** Runs correlation rules: on ingest, and on their schedules (`warden correlations run`, serve's timer). */
  correlationEngine: CorrelationEngine;
  audit: AuditService;
  /** STIX, MISP and CSV intelligence in and out (src/intel). */
  intel: IntelService;
  /** TAXII 2.1 feeds the tenants pull from. */
  feeds: FeedService;
  /** Alerts and audit entries past their tenant's retention, deleted in small batches. */
  retention: RetentionService;
  /** Prometheus metrics (src/metrics); other rooms add theirs with metrics.counter/gauge/histogram. */
  metrics: WardenMetrics;
  /** Webhooks and syslog receivers, their dead letters (src/delivery). */
  delivery: DeliveryService;
  /** Sends what the outbox owes; `serve` runs it on a timer. */
  dispatcher: DeliveryDispatcher;
  /** The JetStream consumer when configured (`serve` starts it; its `counters` are for /metrics). */
  stream: StreamConsumer | undefined;
}

/** The JetStream consumer, its figures on /metrics. */
function streamConsumer(
  config: NatsConfig,
  deps: Omit<ConstructorParameters<typeof StreamConsumer>[0], "config">,
  metrics: WardenMetrics,
): StreamConsumer {
  const consumer = new StreamConsumer({ config, ...deps });
  registerStreamMetrics(metrics, consumer.counters);
  return consumer;
}

/** Opens the store and builds the domain services on it (used by the server and the CLI alike). */
export async function buildServices(config: Config, clock: Clock = systemClock): Promise<Services> {
  const masterKey = loadMasterKey(config.masterKey, config.dataDir);
  const opened = await openStore(config.database);
  const metrics = new WardenMetrics({
    tenantLabels: config.metricsTenantLabels,
    countRules: () => opened.countRules(),
  });
  const store = countStoreErrors(opened, metrics);
  const engine = new EngineRegistry(store, clock, metrics);
  const matching = eventMatching(engine, config.matchWorkers, config.limits.matchTimeoutMs);
  const correlationEngine = new CorrelationEngine(store, clock);
  const intel = new IntelService(store, clock);
  return {
    store,
    clock,
    tenants: new TenantService(store, clock),
    keys: new KeyService(store, masterKey, clock, config.limits.timestampWindowMs),
    iocs: new IocService(store, clock, config.limits),
    legacy: new LegacyIocService(store, clock, config.limits),
    biocs: new BiocService(store, clock, config.limits),
    correlations: new CorrelationService(store, clock, config.limits),
    engine,
    matching,
    alerts: new AlertService(matching, store, clock, config.limits, correlationEngine, metrics),
    correlationEngine,
    audit: new AuditService(store),
    intel,
    feeds: new FeedService(store, intel, masterKey, clock, config.intelFeedHosts),
    retention: new RetentionService(store, clock, config.retention, undefined, metrics),
    metrics,
    delivery: new DeliveryService(store, masterKey, clock, config.delivery),
    dispatcher: new DeliveryDispatcher(store, masterKey, clock, config.delivery),
    stream:
      config.nats && streamConsumer(config.nats, { matching, store, clock, correlations: correlationEngine }, metrics),
  };
}

/** The composition root: a ready Fastify instance that has not started listening. */
export async function buildApp(
  config: Config,
  options: AppOptions = {},
): Promise<{ app: FastifyInstance; services: Services }> {
  const services = await buildServices(config, options.clock);
  const app = await createHttpServer({
    ...services,
    refusals: services.store,
    limits: config.limits,
    trustedProxies: config.trustedProxies,
    metrics: services.metrics,
    sharedLimits: services.store.sharedLimits,
    // with a metrics port of its own, the API's port does not answer /metrics
    serveMetrics: config.metricsPort === null,
    logger: options.logger ?? { level: config.logLevel },
  });
  app.addHook("onClose", async () => {
    await services.matching.close();
    await services.store.close();
  });
  return { app, services };
}
