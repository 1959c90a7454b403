import { fail, ok, type Result } from "../../lib/result.ts";
import type { AuditStore, RulePageResult } from "../../storage/ports.ts";
import type { RuleFilter, WireFilter } from "../filters/filter-model.ts";
import { parseFilters, parsePage } from "../filters/filter-parse.ts";
import { AUDIT_FILTER_FIELDS } from "./audit-filters.ts";
import { AUDIT_SORT_FIELDS, type AuditEntry, type AuditOrder, type AuditSortField } from "./audit-model.ts";

/** The live service answers at most 100 entries a call. */
export const AUDIT_PAGE_SIZE = 100;

/** A `management_logs` body as the edge lets it through. */
export interface AuditQuery {
  filters: readonly WireFilter[];
  searchFrom?: number | undefined;
  searchTo?: number | undefined;
  sort?: { field?: string | undefined; keyword?: string | undefined } | undefined;
}

/** What the operator's `warden audit` asks for. */
export interface OperatorAuditQuery {
  tenantId: number | null;
  since?: number | undefined;
  from: number;
  to: number;
  oldestFirst: boolean;
}

const NEWEST_FIRST: AuditOrder = { field: "timestamp", descending: true };

function parseOrder(sort: AuditQuery["sort"]): Result<AuditOrder> {
  if (!sort) return ok(NEWEST_FIRST);
  const field = (sort.field ?? "timestamp").toLowerCase();
  if (!(AUDIT_SORT_FIELDS as readonly string[]).includes(field))
    return fail(`sort.field must be one of ${AUDIT_SORT_FIELDS.join(", ")}; got '${sort.field}'`);
  const keyword = (sort.keyword ?? "desc").toLowerCase();
  if (keyword !== "asc" && keyword !== "desc") return fail(`sort.keyword must be asc or desc; got '${sort.keyword}'`);
  return ok({ field: field as AuditSortField, descending: keyword === "desc" });
}

/** Reading the audit log: a tenant's own over the API, any tenant's (or all) from the CLI. */
export class AuditService {
  constructor(private readonly store: AuditStore) {}

  /** `audits/management_logs` for the calling key's tenant only. */
  async forTenant(tenantId: number, query: AuditQuery): Promise<Result<RulePageResult<AuditEntry>>> {
    const filters = parseFilters(query.filters, AUDIT_FILTER_FIELDS);
    if (!filters.ok) return filters;
    const page = parsePage(query.searchFrom, query.searchTo, AUDIT_PAGE_SIZE, "audit entries");
    if (!page.ok) return page;
    const order = parseOrder(query.sort);
    if (!order.ok) return order;
    return ok(await this.store.findAudit(tenantId, filters.value, page.value, order.value));
  }

  forOperator(query: OperatorAuditQuery): Promise<RulePageResult<AuditEntry>> {
    const filters: RuleFilter[] =
      query.since === undefined ? [] : [{ field: "timestamp", operator: "GTE", values: [query.since] }];
    const order = { field: "timestamp", descending: !query.oldestFirst } as const;
    return this.store.findAudit(query.tenantId, filters, { from: query.from, to: query.to }, order);
  }
}
