import type { Limits } from "../../config.ts";
import type { Clock } from "../../lib/clock.ts";
import { ok, type Result } from "../../lib/result.ts";
import type { IocStore, RulePageResult } from "../../storage/ports.ts";
import type { RuleQuery, WireFilter } from "../filters/filter-model.ts";
import { parseDeleteFilters, parseQuery } from "../filters/filter-parse.ts";
import { InsertOutcomes, splitItemsInTurns } from "../items/insert-report.ts";
import { changeBy, type Principal, sourceOf } from "../keys/principal.ts";
import { withEffectiveExpiry } from "./ioc-expiry.ts";
import { IOC_FILTER_FIELDS } from "./ioc-filters.ts";
import { parseIocItem } from "./ioc-item.ts";
import type { IocRule } from "./ioc-model.ts";

/** Insert, get and delete of IOC rules (spec/API.md 4.1 and 4.3). */
export class IocService {
  constructor(
    private readonly store: IocStore,
    private readonly clock: Clock,
    private readonly limits: Limits,
  ) {}

  /** The outcomes, worded as the answer is written (a large answer never becomes 40,000 objects). */
  async insert(principal: Principal, items: readonly unknown[]): Promise<InsertOutcomes> {
    const { drafts, rejected } = await splitItemsInTurns(items, (item) => parseIocItem(item, this.limits.stringLength));
    const ctx = { ...changeBy(principal, this.clock.now()), source: sourceOf(principal) };
    const effective = await withEffectiveExpiry(this.store, principal.tenant.id, drafts, ctx.now);
    const outcomes = drafts.length > 0 ? await this.store.upsertIocs(principal.tenant.id, effective, ctx) : [];
    const field = (index: number, name: string) => (items[index] as Record<string, unknown>)[name];
    return new InsertOutcomes(items.length, rejected, outcomes, {
      created: (id) => `Created a new IOC rule with the ID: ${id} successfully`,
      updated: (_id, index) =>
        `Updated the IOC rule with the indicator: '${String(field(index, "indicator")).trim()}' successfully`,
      failed: (reason) => `Failed to create indicator due to: ${reason}`,
      storeFailure: (reason, index) =>
        reason === "indicator_exists"
          ? "IOC indicator exists"
          : `IOC rule with the ID: ${field(index, "rule_id")} does not exist`,
    });
  }

  async get(principal: Principal, query: RuleQuery): Promise<Result<RulePageResult<IocRule>>> {
    const parsed = parseQuery(query, IOC_FILTER_FIELDS, this.limits.pageSize);
    if (!parsed.ok) return parsed;
    const { filters, page } = parsed.value;
    return ok(await this.store.findIocs(principal.tenant.id, filters, page, this.clock.now()));
  }

  async delete(principal: Principal, wireFilters: readonly WireFilter[]): Promise<Result<number[]>> {
    const filters = parseDeleteFilters(wireFilters, IOC_FILTER_FIELDS);
    if (!filters.ok) return filters;
    const ctx = changeBy(principal, this.clock.now());
    return ok(await this.store.deleteIocs(principal.tenant.id, filters.value, ctx));
  }
}
