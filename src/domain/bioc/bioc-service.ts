import type { Limits } from "../../config.ts";
import type { Clock } from "../../lib/clock.ts";
import { ok, type Result } from "../../lib/result.ts";
import type { BiocStore, RulePageResult } from "../../storage/ports.ts";
import type { RuleQuery, WireFilter } from "../filters/filter-model.ts";
import { parseDeleteFilters, parseQuery } from "../filters/filter-parse.ts";
import { buildReport, type InsertReport, splitItems } from "../items/insert-report.ts";
import { changeBy, type Principal, sourceOf } from "../keys/principal.ts";
import { BIOC_FILTER_FIELDS } from "./bioc-filters.ts";
import { parseBiocItem } from "./bioc-item.ts";
import type { BiocRule } from "./bioc-model.ts";

/** Insert, get and delete of BIOC rules (spec/API.md 4.2 and 4.3). */
export class BiocService {
  constructor(
    private readonly store: BiocStore,
    private readonly clock: Clock,
    private readonly limits: Limits,
  ) {}

  async insert(principal: Principal, items: readonly unknown[]): Promise<InsertReport> {
    const { drafts, rejected } = splitItems(items, (item) => parseBiocItem(item, this.limits));
    const ctx = { ...changeBy(principal, this.clock.now()), source: sourceOf(principal) };
    const outcomes = drafts.length > 0 ? await this.store.upsertBiocs(principal.tenant.id, drafts, ctx) : [];
    return buildReport(items.length, rejected, outcomes, {
      created: (id) => `Created a new BIOC rule with the ID: ${id} successfully`,
      updated: (id) => `Updated the BIOC rule with the ID: ${id} successfully`,
      failed: (reason) => `Failed to create bioc due to: ${reason}`,
      storeFailure: (_reason, index) =>
        `BIOC rule with the ID: ${(items[index] as Record<string, unknown>).rule_id} does not exist`,
    });
  }

  async get(principal: Principal, query: RuleQuery): Promise<Result<RulePageResult<BiocRule>>> {
    const parsed = parseQuery(query, BIOC_FILTER_FIELDS, this.limits.pageSize);
    if (!parsed.ok) return parsed;
    return ok(await this.store.findBiocs(principal.tenant.id, parsed.value.filters, parsed.value.page));
  }

  async delete(principal: Principal, wireFilters: readonly WireFilter[]): Promise<Result<number[]>> {
    const filters = parseDeleteFilters(wireFilters, BIOC_FILTER_FIELDS);
    if (!filters.ok) return filters;
    const ctx = changeBy(principal, this.clock.now());
    return ok(await this.store.deleteBiocs(principal.tenant.id, filters.value, ctx));
  }
}
