import type { Limits } from "../../config.ts";
import type { EngineRegistry } from "../../engine/engine-registry.ts";
import type { MalformedEvent, NumberedEvent } from "../../engine/event-input.ts";
import type { EndpointEvent } from "../../engine/event-model.ts";
import type { RuleHit } from "../../engine/rule-hit.ts";
import type { Clock } from "../../lib/clock.ts";
import { ok, type Result } from "../../lib/result.ts";
import type { AlertStore, RulePageResult } from "../../storage/ports.ts";
import type { RuleQuery } from "../filters/filter-model.ts";
import { type FieldCatalog, parseQuery } from "../filters/filter-parse.ts";
import { SEVERITIES } from "../ioc/ioc-model.ts";
import type { Principal } from "../keys/principal.ts";
import type { Alert, NewAlert } from "./alert-model.ts";

/** How old a matcher ingest may use while a newer one builds (rule changes are matched within a second). */
const INGEST_STALENESS_MS = 1000;

export interface EvaluatedHit extends RuleHit {
  eventIndex: number;
}

export interface IngestReport {
  events: number;
  matchedEvents: number;
  alerts: number;
  malformed: MalformedEvent[];
}

const ALERT_FILTER_FIELDS: FieldCatalog = {
  alert_id: { kind: "number" },
  rule_id: { kind: "number" },
  source: { kind: "string", allowed: ["IOC", "BIOC"], normalize: (v) => [v.toUpperCase()] },
  severity: { kind: "string", allowed: SEVERITIES },
  detection_timestamp: { kind: "number" },
  name: { kind: "string" },
  field: { kind: "string" },
};

/** Events in, hits out: testing rules without a trace, ingesting with alerts, and reading alerts back. */
export class AlertService {
  constructor(
    private readonly engine: EngineRegistry,
    private readonly store: AlertStore,
    private readonly clock: Clock,
    private readonly limits: Limits,
  ) {}

  /** rules/evaluate: which rules each event would hit; nothing is stored. */
  async evaluate(principal: Principal, events: readonly EndpointEvent[]): Promise<EvaluatedHit[]> {
    const matcher = await this.engine.matcherFor(principal.tenant.id);
    const now = this.clock.now();
    return events.flatMap((event, eventIndex) => matcher.match(event, now).map((hit) => ({ ...hit, eventIndex })));
  }

  /**
   * logs/v1/event: every hit becomes an alert, and raises its rule's number_of_issues. Rule
   * changes reach ingest within INGEST_STALENESS_MS (evaluate always sees them at once).
   */
  async ingest(
    principal: Principal,
    events: readonly NumberedEvent[],
    malformed: MalformedEvent[],
  ): Promise<IngestReport> {
    const matcher = await this.engine.matcherFor(principal.tenant.id, INGEST_STALENESS_MS);
    const now = this.clock.now();
    const alerts: NewAlert[] = [];
    let matchedEvents = 0;
    for (const { event } of events) {
      const hits = matcher.match(event, now);
      if (hits.length > 0) matchedEvents += 1;
      if (hits.length === 0) continue;
      const text = JSON.stringify(event);
      for (const hit of hits) alerts.push({ ...hit, detectionTimestamp: now, event: text });
    }
    await this.store.recordAlerts(principal.tenant.id, alerts);
    return { events: events.length, matchedEvents, alerts: alerts.length, malformed };
  }

  async alerts(principal: Principal, query: RuleQuery): Promise<Result<RulePageResult<Alert>>> {
    const parsed = parseQuery(query, ALERT_FILTER_FIELDS, this.limits.pageSize);
    if (!parsed.ok) return parsed;
    return ok(await this.store.findAlerts(principal.tenant.id, parsed.value.filters, parsed.value.page));
  }
}
