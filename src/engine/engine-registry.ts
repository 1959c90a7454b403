import type { FilterTree } from "../domain/bioc/bioc-tree.ts";
import { checkBiocQuery, xqlText } from "../domain/xql/xql-bioc.ts";
import type { Clock } from "../lib/clock.ts";
import type { BuildKind } from "../metrics/warden-metrics.ts";
import type { MatchableBioc, RuleSetStore } from "../storage/ports.ts";
import type { BiocEntry } from "./bioc-index.ts";
import { CompiledMatcher } from "./compiled-matcher.ts";
import { IocIndex } from "./ioc-index.ts";
import type { Matcher } from "./rule-hit.ts";
import { iocColumnsBuilder, type RuleSnapshot } from "./rule-snapshot.ts";
import { TenantCache } from "./tenant-cache.ts";

/**
 * A stored rule as the engine takes it. An XQL rule whose query no longer passes the checks
 * (stored before they existed) is left out rather than failing the tenant's whole matcher.
 */
function toEntry(rule: MatchableBioc): BiocEntry[] {
  const { ruleId, name, severity } = rule;
  if (!rule.isXql) return [{ ruleId, name, severity, tree: rule.indicator as FilterTree }];
  const plan = checkBiocQuery(xqlText(rule.indicator) ?? "");
  return plan.ok ? [{ ruleId, name, severity, xql: plan.value }] : [];
}

/**
 * Each tenant's rules as the engine uses them: a compiled matcher (matching on this thread), or a
 * snapshot of the rules for worker threads to build their own matchers from. Both are rebuilt
 * whole when the tenant's rule-set version moves; a process uses one or the other.
 */
/** Told how long each build took (the metrics, in a server). */
export interface BuildObserver {
  matcherBuilt(kind: BuildKind, seconds: number): void;
}

export class EngineRegistry {
  private readonly matchers: TenantCache<Matcher>;
  private readonly snapshots: TenantCache<RuleSnapshot>;

  constructor(
    private readonly store: RuleSetStore,
    clock: Clock,
    private readonly observer?: BuildObserver,
  ) {
    const version = (tenantId: number) => store.ruleSetVersion(tenantId);
    this.matchers = new TenantCache(clock, version, (tenantId) => this.timed("matcher", this.buildMatcher(tenantId)));
    this.snapshots = new TenantCache(clock, version, (tenantId, v) =>
      this.timed("snapshot", this.buildSnapshot(tenantId, v)),
    );
  }

  private async timed<T>(kind: BuildKind, build: Promise<T>): Promise<T> {
    const start = performance.now();
    const built = await build;
    this.observer?.matcherBuilt(kind, (performance.now() - start) / 1000);
    return built;
  }

  /** The tenant's matcher for its current rules, or (with `maxStaleMs`) one at most that old: see TenantCache.get. */
  matcherFor(tenantId: number, maxStaleMs = 0): Promise<Matcher> {
    return this.matchers.get(tenantId, maxStaleMs);
  }

  /** The tenant's rules as worker threads take them, with the same staleness allowance. */
  snapshotFor(tenantId: number, maxStaleMs = 0): Promise<RuleSnapshot> {
    return this.snapshots.get(tenantId, maxStaleMs);
  }

  private async buildMatcher(tenantId: number): Promise<Matcher> {
    const iocs = IocIndex.builder();
    await this.store.forEachMatchableIoc(tenantId, (rule) => iocs.add(rule));
    const biocs = (await this.store.listMatchableBiocs(tenantId)).flatMap(toEntry);
    return CompiledMatcher.of(iocs.finish(), biocs);
  }

  private async buildSnapshot(tenantId: number, version: number): Promise<RuleSnapshot> {
    const iocs = iocColumnsBuilder();
    await this.store.forEachMatchableIoc(tenantId, (rule) => iocs.add(rule));
    const biocs = (await this.store.listMatchableBiocs(tenantId)).flatMap(toEntry);
    return { tenantId, version, iocs: iocs.finish(), biocs };
  }
}
