/**
 * The process's Prometheus metrics (prom-client), on a registry of its own. What is counted where:
 * HTTP requests by the request plugin (src/http/plugins/metrics.ts), matcher builds by the engine
 * registry, events and alerts by the alert service, store errors by the store wrapper
 * (store-error-counting.ts), rules per tenant and kind read from the store on each scrape.
 */
import {
  Counter,
  type CounterConfiguration,
  collectDefaultMetrics,
  Gauge,
  type GaugeConfiguration,
  Histogram,
  type HistogramConfiguration,
  Registry,
} from "prom-client";
import type { RuleCount } from "../storage/rule-counts.ts";

export interface MetricsOptions {
  /** When false, no metric carries a tenant's name (they are summed over tenants instead). */
  tenantLabels: boolean;
  /** Read on each scrape; absent in processes that have no store to ask. */
  countRules?: () => Promise<RuleCount[]>;
}

/** Where in the code a matcher or snapshot build happened (the engine registry has both). */
export type BuildKind = "matcher" | "snapshot";

const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class WardenMetrics {
  readonly registry = new Registry();
  readonly tenantLabels: boolean;
  private readonly requestCount: Counter<"method" | "route" | "status_code">;
  private readonly requests: Histogram<"method" | "route" | "status_code">;
  private readonly buildCount: Counter<"kind">;
  private readonly builds: Histogram<"kind">;
  private readonly events: Counter<"tenant">;
  private readonly matchedEvents: Counter<"tenant">;
  private readonly alerts: Counter<"tenant">;
  private readonly storeErrors: Counter<"method" | "unavailable">;
  private readonly prunedEntries: Counter<"what">;

  constructor(options: MetricsOptions) {
    this.tenantLabels = options.tenantLabels;
    collectDefaultMetrics({ register: this.registry });
    const tenant = this.tenantLabels ? (["tenant"] as const) : [];
    // The counters repeat the histograms' _count series: some tools (and text-format parsers) read
    // labelled histograms poorly, and a plain counter is what rate() dashboards start from.
    this.requestCount = this.counter({
      name: "warden_http_requests_total",
      help: "HTTP requests by method, route pattern and status code",
      labelNames: ["method", "route", "status_code"],
    });
    this.requests = this.histogram({
      name: "warden_http_request_duration_seconds",
      help: "HTTP requests by method, route pattern and status code, with their latency",
      labelNames: ["method", "route", "status_code"],
      buckets: LATENCY_BUCKETS,
    });
    this.buildCount = this.counter({
      name: "warden_matcher_builds_total",
      help: "Rule matchers (and worker snapshots) built after a rule change",
      labelNames: ["kind"],
    });
    this.builds = this.histogram({
      name: "warden_matcher_build_duration_seconds",
      help: "Rule matchers (and worker snapshots) built after a rule change, with how long each took",
      labelNames: ["kind"],
      buckets: LATENCY_BUCKETS,
    });
    this.events = this.counter({
      name: "warden_events_total",
      help: "Events matched against rules",
      labelNames: tenant,
    });
    this.matchedEvents = this.counter({
      name: "warden_events_matched_total",
      help: "Events that hit at least one rule",
      labelNames: tenant,
    });
    this.alerts = this.counter({ name: "warden_alerts_raised_total", help: "Alerts stored", labelNames: tenant });
    this.storeErrors = this.counter({
      name: "warden_store_errors_total",
      help: "Store calls that failed, by method; unavailable=true when the database could not be reached",
      labelNames: ["method", "unavailable"],
    });
    this.prunedEntries = this.counter({
      name: "warden_retention_pruned_total",
      help: "Alerts and audit entries deleted by retention and warden audit prune run in this process",
      labelNames: ["what"],
    });
    if (options.countRules) this.ruleGauge(options.countRules);
  }

  /** A counter on this registry: the hook for metrics of other rooms (ingest, delivery). */
  counter<T extends string>(config: CounterConfiguration<T>): Counter<T> {
    return new Counter({ ...config, registers: [this.registry] });
  }

  gauge<T extends string>(config: GaugeConfiguration<T>): Gauge<T> {
    return new Gauge({ ...config, registers: [this.registry] });
  }

  histogram<T extends string>(config: HistogramConfiguration<T>): Histogram<T> {
    return new Histogram({ ...config, registers: [this.registry] });
  }

  /** The labels a per-tenant metric gets: the tenant's name, or none when tenant labels are off. */
  tenant(name: string): Partial<Record<"tenant", string>> {
    return this.tenantLabels ? { tenant: name } : {};
  }

  request(method: string, route: string, statusCode: number, seconds: number): void {
    const labels = { method, route, status_code: statusCode };
    this.requestCount.inc(labels);
    this.requests.observe(labels, seconds);
  }

  matcherBuilt(kind: BuildKind, seconds: number): void {
    this.buildCount.inc({ kind });
    this.builds.observe({ kind }, seconds);
  }

  ingested(tenantName: string, report: { events: number; matchedEvents: number; alerts: number }): void {
    const labels = this.tenant(tenantName);
    this.events.inc(labels, report.events);
    this.matchedEvents.inc(labels, report.matchedEvents);
    this.alerts.inc(labels, report.alerts);
  }

  storeError(method: string, unavailable: boolean): void {
    this.storeErrors.inc({ method, unavailable: String(unavailable) });
  }

  pruned(what: "alerts" | "audit_log", count: number): void {
    this.prunedEntries.inc({ what }, count);
  }

  /** The Prometheus text exposition of every metric. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Read from the store at scrape time (one grouped count per rule table), so it costs nothing between scrapes. */
  private ruleGauge(countRules: () => Promise<RuleCount[]>): void {
    const tenantLabels = this.tenantLabels;
    this.gauge({
      name: "warden_rules",
      help: "Rules stored, by tenant and kind (ioc, bioc, correlation)",
      labelNames: tenantLabels ? ["tenant", "kind"] : ["kind"],
      async collect() {
        this.reset();
        for (const { tenant, kind, count } of await countRules())
          this.inc(tenantLabels ? { tenant, kind } : { kind }, count);
      },
    });
  }
}
