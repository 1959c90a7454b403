import type { Limits } from "../../config.ts";
import type { CorrelationEngine } from "../../engine/correlations/correlation-engine.ts";
import { type MalformedEvent, TOO_DEEP } from "../../engine/event-input.ts";
import type { EndpointEvent } from "../../engine/event-model.ts";
import type { RuleHit } from "../../engine/rule-hit.ts";
import type { EventMatching } from "../../ingest/event-matching.ts";
import { valuePieces } from "../../ingest/event-pieces.ts";
import type { MatchInput, MatchResult } from "../../ingest/match-job.ts";
import { MatchOverrun } from "../../ingest/match-pool.ts";
import type { Clock } from "../../lib/clock.ts";
import { MAX_JSON_DEPTH, tooDeepMessage } from "../../lib/json-depth.ts";
import { fail, ok, type Result } from "../../lib/result.ts";
import type { AlertStore, RulePageResult } from "../../storage/ports.ts";
import type { RuleQuery } from "../filters/filter-model.ts";
import type { Principal } from "../keys/principal.ts";
import { parseAlertQuery } from "./alert-filters.ts";
import type { Alert, NewAlert } from "./alert-model.ts";

/** How old a matcher ingest may use while a newer one builds (rule changes are matched within a second). */
const INGEST_STALENESS_MS = 1000;

export interface EvaluatedHit extends RuleHit {
  eventIndex: number;
}

/** Told what each ingest matched and stored (the metrics, in a server). */
export interface IngestObserver {
  ingested(tenantName: string, report: { events: number; matchedEvents: number; alerts: number }): void;
}

/** A body of events, read once: its pieces handed out as they are cut, or the one error of an unreadable body. */
export interface EventBody {
  /** `each` answers a promise that settles (never rejects) when nothing will read the piece again. */
  read(each: (piece: MatchInput) => Promise<unknown>): Promise<MalformedEvent | undefined>;
}

export interface IngestReport {
  events: number;
  matchedEvents: number;
  alerts: number;
  malformed: MalformedEvent[];
}

/** The hit fields of a correlation alert (rules/evaluate answers hits, not alerts). */
function hitOf(alert: NewAlert): RuleHit {
  const { source, ruleId, name, severity, field, value } = alert;
  return { source, ruleId, name, severity, field, value };
}

/**
 * A body with a line nested deeper than MAX_JSON_DEPTH is refused whole, as every body that deep
 * is (the depth is checked where each line is parsed, on the matching threads).
 */
function tooDeep(malformed: readonly MalformedEvent[]): Result<never> | undefined {
  return malformed.some((m) => m.error === TOO_DEEP) ? fail(tooDeepMessage(MAX_JSON_DEPTH)) : undefined;
}

/** Events in, hits out: testing rules without a trace, ingesting with alerts, and reading alerts back. */
export class AlertService {
  constructor(
    private readonly matching: EventMatching,
    private readonly store: AlertStore,
    private readonly clock: Clock,
    private readonly limits: Limits,
    /** Correlation rules run on the same events (absent: IOC and BIOC rules only). */
    private readonly correlations?: CorrelationEngine,
    private readonly observer?: IngestObserver,
  ) {}

  /** rules/evaluate: which rules each event would hit; nothing is stored. */
  async evaluate(principal: Principal, events: readonly EndpointEvent[]): Promise<Result<EvaluatedHit[]>> {
    const options = { now: this.clock.now(), maxStaleMs: 0, withEventText: false };
    const result = await this.matched(() => this.matching.match(principal.tenant.id, valuePieces(events), options));
    if (!result.ok) return result;
    const hits = result.value.matched.flatMap(({ index, hits }) => hits.map((hit) => ({ ...hit, eventIndex: index })));
    const correlated = (await this.correlations?.evaluate(principal.tenant.id, events, options.now)) ?? [];
    return ok([...hits, ...correlated.map(({ eventIndex, alert }) => ({ ...hitOf(alert), eventIndex }))]);
  }

  /**
   * logs/v1/event: a body of events (NDJSON or a JSON array) parsed and matched; every hit becomes
   * an alert, and raises its rule's number_of_issues, all stored at once. Rule changes reach
   * ingest within INGEST_STALENESS_MS (evaluate always sees them at once). The body is matched
   * piece by piece as it is read (streamed-body.ts); its read errors (too large, cut short) reject.
   */
  async ingest(principal: Principal, body: EventBody): Promise<Result<IngestReport>> {
    const now = this.clock.now();
    const tenantId = principal.tenant.id;
    // Correlation rules run where the body is parsed: with these on this thread, a worker's own copy on a worker.
    const correlations = await this.correlations?.rulesFor(tenantId, INGEST_STALENESS_MS);
    const options = { now, maxStaleMs: INGEST_STALENESS_MS, withEventText: true, correlations };
    const stream = await this.matching.stream(tenantId, options);
    const unreadable = await body.read((piece) => stream.add(piece));
    if (unreadable)
      return tooDeep([unreadable]) ?? ok({ events: 0, matchedEvents: 0, alerts: 0, malformed: [unreadable] });
    const result = await this.matched(() => stream.done());
    if (!result.ok) return result;
    const { events, malformed, matched } = result.value;
    const refused = tooDeep(malformed);
    if (refused) return refused;
    const alerts: NewAlert[] = [];
    for (const { hits, text = "" } of matched)
      for (const hit of hits) alerts.push({ ...hit, detectionTimestamp: now, event: text });
    const { correlated } = result.value;
    if (this.correlations && correlated)
      alerts.push(...(await this.correlations.storeCorrelated(tenantId, correlated, now)));
    await this.store.recordAlerts(tenantId, alerts); // IOC, BIOC and correlation alerts in one transaction
    const report = { events, matchedEvents: matched.length, alerts: alerts.length, malformed };
    this.observer?.ingested(principal.tenant.name, report);
    return ok(report);
  }

  /** A batch that overran the matching time budget is the caller's to fix (a costly rule, huge events). */
  private async matched(work: () => Promise<MatchResult>): Promise<Result<MatchResult>> {
    try {
      return ok(await work());
    } catch (error) {
      if (!(error instanceof MatchOverrun)) throw error;
      return fail(
        `${error.message}: a rule (a regular expression, most likely) is too costly for these events; nothing was stored`,
      );
    }
  }

  async alerts(principal: Principal, query: RuleQuery): Promise<Result<RulePageResult<Alert>>> {
    const parsed = parseAlertQuery(query, this.limits.pageSize);
    if (!parsed.ok) return parsed;
    return ok(await this.store.findAlerts(principal.tenant.id, parsed.value.filters, parsed.value.page));
  }
}
