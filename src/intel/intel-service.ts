/** Imports and exports of threat intelligence for one tenant, for the CLI and the HTTP edge alike. */
import type { Actor } from "../domain/audit/audit-model.ts";
import type { Clock } from "../lib/clock.ts";
import type { IntelLinkStore, IocStore } from "../storage/ports.ts";
import { type IntelImportStore, importIntel } from "./intel-importer.ts";
import type { ImportSummary, IntelBatch } from "./intel-model.ts";

/** The rule source imports go under when the caller names none. */
export const DEFAULT_INTEL_SOURCE = "intel import";

export interface ImportRequest {
  tenantId: number;
  batch: IntelBatch;
  source: string;
  actor: Actor;
  onProgress?: (done: number, total: number) => void;
}

export class IntelService {
  constructor(
    private readonly store: IocStore & IntelLinkStore,
    private readonly clock: Clock,
  ) {}

  import(request: ImportRequest): Promise<ImportSummary> {
    const ctx = { now: this.clock.now(), actor: request.actor, source: request.source };
    const store: IntelImportStore = this.store;
    return importIntel(store, request.tenantId, request.batch, ctx, request.onProgress);
  }
}
