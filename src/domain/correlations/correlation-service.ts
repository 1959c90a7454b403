import type { Limits } from "../../config.ts";
import type { Clock } from "../../lib/clock.ts";
import { fail, ok, type Result } from "../../lib/result.ts";
import type { CorrelationStore } from "../../storage/correlation-ports.ts";
import type { RulePageResult } from "../../storage/ports.ts";
import type { RuleQuery, WireFilter } from "../filters/filter-model.ts";
import { parseDeleteFilters, parseQuery } from "../filters/filter-parse.ts";
import { buildReport, type InsertReport, splitItems } from "../items/insert-report.ts";
import { changeBy, type Principal, sourceOf } from "../keys/principal.ts";
import { CORRELATION_FILTER_FIELDS } from "./correlation-filters.ts";
import { parseCorrelationItem } from "./correlation-item.ts";
import type { CorrelationDraft, CorrelationRule } from "./correlation-model.ts";

/** Insert, get and delete of correlation rules (spec/API.md section 8). */
export class CorrelationService {
  constructor(
    private readonly store: CorrelationStore,
    private readonly clock: Clock,
    private readonly limits: Limits,
  ) {}

  async insert(principal: Principal, items: readonly unknown[]): Promise<InsertReport> {
    const { drafts, rejected } = splitItems(items, (item) => parseCorrelationItem(item, this.limits));
    const ctx = { ...changeBy(principal, this.clock.now()), source: sourceOf(principal) };
    const outcomes = drafts.length > 0 ? await this.store.upsertCorrelations(principal.tenant.id, drafts, ctx) : [];
    const draftAt = draftsByIndex(items.length, rejected, drafts);
    return buildReport(items.length, rejected, outcomes, {
      created: (id) => `Created a new correlation rule with the ID: ${id} successfully`,
      updated: (id) => `Updated the correlation rule with the ID: ${id} successfully`,
      failed: (reason) => `Failed to create correlation rule due to: ${reason}`,
      storeFailure: (_reason, index) =>
        `a correlation rule named '${draftAt.get(index)?.definition.name}' already exists (names are unique in a tenant)`,
    });
  }

  async get(principal: Principal, query: RuleQuery): Promise<Result<RulePageResult<CorrelationRule>>> {
    const parsed = parseQuery(query, CORRELATION_FILTER_FIELDS, this.limits.pageSize);
    if (!parsed.ok) return parsed;
    return ok(await this.store.findCorrelations(principal.tenant.id, parsed.value.filters, parsed.value.page));
  }

  async delete(principal: Principal, wireFilters: readonly WireFilter[]): Promise<Result<number[]>> {
    // The contract's delete has no NEQ: "every rule but X" is too easy a wipe.
    const neq = wireFilters.findIndex((f) => f.operator.toUpperCase() === "NEQ");
    if (neq !== -1) return fail(`filters[${neq}]: a correlations/delete takes EQ, IN, GTE and LTE, not NEQ`);
    const filters = parseDeleteFilters(wireFilters, CORRELATION_FILTER_FIELDS);
    if (!filters.ok) return filters;
    const ctx = changeBy(principal, this.clock.now());
    return ok(await this.store.deleteCorrelations(principal.tenant.id, filters.value, ctx));
  }
}

/** Which draft each request item became (the rejected ones became none). */
function draftsByIndex(
  count: number,
  rejected: ReadonlyMap<number, string>,
  drafts: readonly CorrelationDraft[],
): Map<number, CorrelationDraft> {
  const byIndex = new Map<number, CorrelationDraft>();
  let next = 0;
  for (let index = 0; index < count; index++)
    if (!rejected.has(index)) byIndex.set(index, drafts[next++] as CorrelationDraft);
  return byIndex;
}
