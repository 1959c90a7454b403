/** Imports and exports of threat intelligence for one tenant, for the CLI and the HTTP edge alike. */
import type { Actor } from "../domain/audit/audit-model.ts";
import type { WireFilter } from "../domain/filters/filter-model.ts";
import { parseFilters } from "../domain/filters/filter-parse.ts";
import { IOC_FILTER_FIELDS } from "../domain/ioc/ioc-filters.ts";
import type { Tenant } from "../domain/tenants/tenant-model.ts";
import type { Clock } from "../lib/clock.ts";
import { ok, type Result } from "../lib/result.ts";
import type { IntelLinkStore, IocStore } from "../storage/ports.ts";
import { type ExportResult, exportIntel } from "./intel-exporter.ts";
import { type IntelImportStore, importIntel, type OnRule } from "./intel-importer.ts";
import type { ImportSummary, IntelBatch, IntelFormat } from "./intel-model.ts";

/** The rule source imports go under when the caller names none. */
export const DEFAULT_INTEL_SOURCE = "intel import";

export interface ImportRequest {
  tenantId: number;
  batch: IntelBatch;
  source: string;
  actor: Actor;
  onProgress?: (done: number, total: number) => void;
  /** Told of each rule an object made or kept (the console lists them). */
  onRule?: OnRule;
}

export class IntelService {
  constructor(
    private readonly store: IocStore & IntelLinkStore,
    private readonly clock: Clock,
  ) {}

  import(request: ImportRequest): Promise<ImportSummary> {
    const ctx = { now: this.clock.now(), actor: request.actor, source: request.source };
    const store: IntelImportStore = this.store;
    return importIntel(store, request.tenantId, request.batch, ctx, request.onProgress, request.onRule);
  }

  /** The tenant's rules (those the filters of `indicators/get` select, or all) in `format`. */
  async export(
    tenant: Tenant,
    format: IntelFormat,
    wireFilters: readonly WireFilter[] = [],
  ): Promise<Result<ExportResult>> {
    const filters = parseFilters(wireFilters, IOC_FILTER_FIELDS);
    if (!filters.ok) return filters;
    return ok(await exportIntel(this.store, tenant, format, filters.value, this.clock.now()));
  }
}
