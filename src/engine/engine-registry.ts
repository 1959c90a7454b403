import type { FilterTree } from "../domain/bioc/bioc-tree.ts";
import { checkBiocQuery, xqlText } from "../domain/xql/xql-bioc.ts";
import type { Clock } from "../lib/clock.ts";
import type { MatchableBioc, RuleSetStore } from "../storage/ports.ts";
import type { BiocEntry } from "./bioc-index.ts";
import { CompiledMatcher } from "./compiled-matcher.ts";
import { IocIndex } from "./ioc-index.ts";
import type { Matcher } from "./rule-hit.ts";

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

interface Built {
  version: number;
  matcher: Matcher;
  builtAt: number;
}

/**
 * One compiled matcher per tenant, rebuilt whole when the tenant's rule-set version moves (every
 * rule write bumps it, in whichever process made the write) and swapped in at once. Concurrent
 * requests share one build.
 */
export class EngineRegistry {
  private readonly built = new Map<number, Built>();
  private readonly building = new Map<number, Promise<Built>>();

  constructor(
    private readonly store: RuleSetStore,
    private readonly clock: Clock,
  ) {}

  /**
   * The tenant's matcher for its current rules. With `maxStaleMs`, a matcher built less than that
   * long ago may be answered instead: ingest can take a second's delay, so a stream of writes
   * neither makes every event wait for a rebuild nor keeps the process rebuilding back to back.
   * A matcher younger than half the allowance is used as it is; an older one is still answered
   * while its successor builds in the background; past the allowance the caller waits.
   */
  async matcherFor(tenantId: number, maxStaleMs = 0): Promise<Matcher> {
    const version = await this.store.ruleSetVersion(tenantId);
    const current = this.built.get(tenantId);
    if (current && current.version === version) return current.matcher;
    const age = current ? this.clock.now() - current.builtAt : Number.POSITIVE_INFINITY;
    if (current && age < maxStaleMs / 2) return current.matcher;
    const pending = this.rebuild(tenantId, version);
    if (current && age < maxStaleMs) {
      pending.catch(() => undefined); // a failed background build is retried on the next call
      return current.matcher;
    }
    return (await pending).matcher;
  }

  private rebuild(tenantId: number, version: number): Promise<Built> {
    let pending = this.building.get(tenantId);
    if (!pending) {
      pending = this.build(tenantId, version)
        .then((fresh) => {
          // A build that started before a later write is still used once; the next call sees the new version.
          this.built.set(tenantId, fresh);
          return fresh;
        })
        .finally(() => this.building.delete(tenantId));
      this.building.set(tenantId, pending);
    }
    return pending;
  }

  private async build(tenantId: number, version: number): Promise<Built> {
    const iocs = IocIndex.builder();
    await this.store.forEachMatchableIoc(tenantId, (rule) => iocs.add(rule));
    const biocs = (await this.store.listMatchableBiocs(tenantId)).flatMap(toEntry);
    return { version, matcher: CompiledMatcher.of(iocs.finish(), biocs), builtAt: this.clock.now() };
  }
}
