/**
 * Retention: each tenant keeps its alerts and audit log for a number of days (its own setting, or
 * the server's default), and older entries are deleted in small batches, one transaction each,
 * with a turn of the event loop between them, so the API keeps answering while a large backlog
 * goes. Every prune leaves an entry in the tenant's audit log: who, the cutoff, how many.
 */
import type { RetentionDefaults } from "../../config.ts";
import type { Clock } from "../../lib/clock.ts";
import { nextTurn } from "../../lib/next-turn.ts";
import { fail, ok, type Result } from "../../lib/result.ts";
import type { TenantStore } from "../../storage/ports.ts";
import type { PruneRecord, RetentionStore, TenantRetention } from "../../storage/retention-ports.ts";
import type { Actor } from "../audit/audit-model.ts";
import type { Tenant } from "../tenants/tenant-model.ts";
import { cutoffOf } from "./retention-ages.ts";

/** Rows per transaction: a few milliseconds of work, however large the backlog. */
export const PRUNE_BATCH = 1_000;
/** Correlation runs are kept this long (their latest per rule always): enough to see what ran lately. */
const CORRELATION_RUNS_KEPT_MS = 7 * 86_400_000;

export const RETENTION_ACTOR: Actor = { name: "Warden (retention)", address: null };

/** A tenant's retention as in force: its own ages, or the server's where it has none. */
export interface EffectiveRetention {
  tenant: string;
  /** Days kept; 0 keeps forever. */
  alertsDays: number;
  auditDays: number;
  /** Which of them are the server's defaults. */
  alertsDefault: boolean;
  auditDefault: boolean;
}

export interface PruneSummary {
  tenant: string;
  alerts: number;
  audit: number;
}

/** Told how many entries each prune deleted (the metrics, in a server). */
export interface PruneObserver {
  pruned(what: PruneRecord["pruned"], count: number): void;
}

export class RetentionService {
  constructor(
    private readonly store: RetentionStore & Pick<TenantStore, "findTenantByName" | "listTenants">,
    private readonly clock: Clock,
    private readonly defaults: RetentionDefaults,
    private readonly batch = PRUNE_BATCH,
    private readonly observer?: PruneObserver,
  ) {}

  async show(name: string): Promise<Result<EffectiveRetention>> {
    const tenant = await this.store.findTenantByName(name);
    if (!tenant) return fail(`no tenant named '${name}'`);
    return ok(this.effective(tenant, await this.store.getRetention(tenant.id)));
  }

  /** Changes the ages given (undefined: left as it is; null: back to the server's default). */
  async set(name: string, change: Partial<TenantRetention>, actor: Actor): Promise<Result<EffectiveRetention>> {
    const tenant = await this.store.findTenantByName(name);
    if (!tenant) return fail(`no tenant named '${name}'`);
    const next = { ...(await this.store.getRetention(tenant.id)), ...change };
    await this.store.setRetention(tenant.id, next, { now: this.clock.now(), actor });
    return ok(this.effective(tenant, next));
  }

  /**
   * `warden audit prune`: the audit entries older than `before` of one tenant (or every tenant),
   * or with `dryRun` only how many there are. Answers the count per tenant.
   */
  async pruneAudit(options: {
    tenant?: string;
    before: number;
    dryRun: boolean;
    actor: Actor;
  }): Promise<Result<PruneSummary[]>> {
    const tenants = await this.tenantsNamed(options.tenant);
    if (!tenants.ok) return tenants;
    const summaries: PruneSummary[] = [];
    for (const tenant of tenants.value) {
      const audit = options.dryRun
        ? (await this.store.countPrunable(tenant.id, options.before)).audit
        : await this.prune(tenant.id, "audit_log", options.before, options.actor);
      summaries.push({ tenant: tenant.name, alerts: 0, audit });
    }
    return ok(summaries);
  }

  /** One pass over every tenant by its retention, then the correlation state nothing reads; what the server runs. */
  async runOnce(actor: Actor = RETENTION_ACTOR): Promise<PruneSummary[]> {
    const now = this.clock.now();
    const summaries: PruneSummary[] = [];
    for (const tenant of await this.store.listTenants()) {
      const { alertsDays, auditDays } = this.effective(tenant, await this.store.getRetention(tenant.id));
      const alertsCutoff = cutoffOf(alertsDays, now);
      const auditCutoff = cutoffOf(auditDays, now);
      const alerts = alertsCutoff === undefined ? 0 : await this.prune(tenant.id, "alerts", alertsCutoff, actor);
      const audit = auditCutoff === undefined ? 0 : await this.prune(tenant.id, "audit_log", auditCutoff, actor);
      if (alerts + audit > 0) summaries.push({ tenant: tenant.name, alerts, audit });
    }
    await this.pruneCorrelationState(now);
    return summaries;
  }

  /** Batch after batch until none is left, a turn of the event loop between them; recorded once at the end. */
  private async prune(tenantId: number, what: PruneRecord["pruned"], before: number, actor: Actor): Promise<number> {
    let deleted = 0;
    for (;;) {
      const batch =
        what === "alerts"
          ? await this.store.pruneAlerts(tenantId, before, this.batch)
          : await this.store.pruneAudit(tenantId, before, this.batch);
      deleted += batch;
      if (batch === 0) break;
      this.observer?.pruned(what, batch);
      await nextTurn();
    }
    if (deleted > 0) await this.store.recordPrune(tenantId, { pruned: what, before, deleted }, this.ctx(actor));
    return deleted;
  }

  private async pruneCorrelationState(now: number): Promise<void> {
    while ((await this.store.pruneCorrelationState(now, now - CORRELATION_RUNS_KEPT_MS, this.batch)) > 0)
      await nextTurn();
  }

  private ctx(actor: Actor) {
    return { now: this.clock.now(), actor };
  }

  private async tenantsNamed(name: string | undefined): Promise<Result<Tenant[]>> {
    if (name === undefined) return ok(await this.store.listTenants());
    const tenant = await this.store.findTenantByName(name);
    return tenant ? ok([tenant]) : fail(`no tenant named '${name}'`);
  }

  private effective(tenant: Tenant, own: TenantRetention): EffectiveRetention {
    return {
      tenant: tenant.name,
      alertsDays: own.alertsDays ?? this.defaults.alertsDays,
      auditDays: own.auditDays ?? this.defaults.auditDays,
      alertsDefault: own.alertsDays === null,
      auditDefault: own.auditDays === null,
    };
  }
}
