import type { Limits } from "../../config.ts";
import type { Clock } from "../../lib/clock.ts";
import { lineNestedDeeperThan, MAX_JSON_DEPTH } from "../../lib/json-depth.ts";
import { fail, ok, type Result } from "../../lib/result.ts";
import { clip } from "../../lib/text.ts";
import type { IocChange, IocStore, KeyStore } from "../../storage/ports.ts";
import { splitItemsInTurns } from "../items/insert-report.ts";
import { isJsonObject } from "../items/item-reader.ts";
import { changeBy, isKeySource, type Principal, sourceOf } from "../keys/principal.ts";
import { withEffectiveExpiry } from "./ioc-expiry.ts";
import type { IocDraft } from "./ioc-model.ts";
import { canonicalCandidates } from "./ioc-values.ts";
import { csvRows } from "./legacy-csv.ts";
import { parseLegacyItem } from "./legacy-item.ts";

/** A rejected item as the legacy endpoints report it. */
export interface ValidationError {
  indicator: string;
  error: string;
}

export interface LegacyWriteReport {
  stored: number;
  validationErrors: ValidationError[];
}

export interface SyncReport extends LegacyWriteReport {
  deleted: number;
}

/** Reports name the value, cut short: a refused 16 KiB value need not come back whole. */
const REPORTED_LENGTH = 256;

function indicatorOf(item: unknown): string {
  const text = isJsonObject(item) && typeof item.indicator === "string" ? item.indicator : (JSON.stringify(item) ?? "");
  return clip(text, REPORTED_LENGTH);
}

/**
 * The legacy XDR IOC endpoints used by the XSOAR IOC sync (spec/API.md section 6). They share the
 * IOC store and its rules with `indicators/insert`: a rule written by one is read by the other.
 */
export class LegacyIocService {
  constructor(
    private readonly store: IocStore & Pick<KeyStore, "claimSource">,
    private readonly clock: Clock,
    private readonly limits: Limits,
  ) {}

  /**
   * The source a write goes under: the one the client names (x-iocs-source), bound to the key
   * that first writes under it until that key is revoked or expires, so no other key can replace
   * its rules with sync_tim_iocs (issue 18, finding 10); the key's own source when none is named.
   */
  async source(principal: Principal, requested: string | undefined): Promise<Result<string>> {
    const own = sourceOf(principal);
    if (requested === undefined || requested === own) return ok(own);
    if (isKeySource(requested)) return fail(`source '${requested}' is another API key's own`);
    const now = this.clock.now();
    const holder = await this.store.claimSource(principal.tenant.id, requested, principal.keyId, now);
    if (holder === principal.keyId) return ok(requested);
    return fail(
      `source '${requested}' belongs to API key ${holder}, which wrote under it first; use another name, or revoke that key`,
    );
  }

  /**
   * Parses items, reporting the bad ones; `label` names an item in its error (e.g. its CSV row).
   * A few thousand items a turn, so a 100,000-item body does not hold other requests meanwhile.
   */
  private async parse(items: readonly unknown[], label: (index: number) => string = () => "") {
    const { drafts, rejected } = await splitItemsInTurns(items, (item) =>
      parseLegacyItem(item, this.limits.stringLength),
    );
    const validationErrors: ValidationError[] = [...rejected].map(([index, error]) => ({
      indicator: indicatorOf(items[index]),
      error: `${label(index)}${error}`,
    }));
    return { drafts, validationErrors };
  }

  private async context(principal: Principal, source: string, drafts: IocDraft[]) {
    const now = this.clock.now();
    const effective = await withEffectiveExpiry(this.store, principal.tenant.id, drafts, now);
    return { effective, ctx: { ...changeBy(principal, now), source } };
  }

  /** insert_jsons and tim_insert_jsons: the good items are stored, the bad ones reported. */
  async insertJsons(principal: Principal, source: string, items: readonly unknown[]): Promise<LegacyWriteReport> {
    const { drafts, validationErrors } = await this.parse(items);
    const { effective, ctx } = await this.context(principal, source, drafts);
    if (effective.length > 0) await this.store.upsertIocs(principal.tenant.id, effective, ctx);
    return { stored: effective.length, validationErrors };
  }

  /** insert_csv: malformed CSV fails the request; a bad row fails only itself. */
  async insertCsv(principal: Principal, source: string, csv: string): Promise<Result<LegacyWriteReport>> {
    const rows = csvRows(csv);
    if (!rows.ok) return rows;
    const good = rows.value.flatMap((row) => ("item" in row ? [row] : []));
    const rowErrors = rows.value.flatMap((row) =>
      "error" in row ? [{ indicator: clip(row.indicator, REPORTED_LENGTH), error: row.error }] : [],
    );
    const { drafts, validationErrors } = await this.parse(
      good.map((row) => row.item),
      (index) => `row ${good[index]?.row}: `,
    );
    const { effective, ctx } = await this.context(principal, source, drafts);
    if (effective.length > 0) await this.store.upsertIocs(principal.tenant.id, effective, ctx);
    return ok({ stored: effective.length, validationErrors: [...rowErrors, ...validationErrors] });
  }

  /**
   * sync_tim_iocs: the file (one JSON object a line) replaces every rule of this source, in one
   * transaction. A line that is not JSON fails the whole request and changes nothing.
   */
  async sync(principal: Principal, source: string, ndjson: string): Promise<Result<SyncReport>> {
    const items = parseNdjson(ndjson);
    if (!items.ok) return items;
    const { drafts, validationErrors } = await this.parse(items.value.items, (i) => `line ${items.value.lines[i]}: `);
    const { effective, ctx } = await this.context(principal, source, drafts);
    const { deleted } = await this.store.replaceIocsOfSource(principal.tenant.id, effective, ctx);
    return ok({ stored: effective.length, deleted, validationErrors });
  }

  /** enable_iocs / disable_iocs by value, whatever type each value was stored as. */
  async setEnabled(principal: Principal, values: readonly string[], enabled: boolean): Promise<number[]> {
    const canonicals = [...new Set(values.flatMap(canonicalCandidates))];
    const ctx = changeBy(principal, this.clock.now());
    return this.store.setIocsEnabled(principal.tenant.id, canonicals, enabled, ctx);
  }

  /** get_changes: everything written, expired or deleted after `since`. */
  changes(principal: Principal, since: number): Promise<IocChange[]> {
    return this.store.iocChanges(principal.tenant.id, since, this.clock.now());
  }
}

/** Splits NDJSON into items, remembering each one's line; blank lines are skipped. */
export function parseNdjson(text: string): Result<{ items: unknown[]; lines: number[] }> {
  const items: unknown[] = [];
  const lines: number[] = [];
  let line = 0;
  for (const raw of text.split("\n")) {
    line += 1;
    const trimmed = raw.trim();
    if (trimmed === "") continue;
    if (lineNestedDeeperThan(trimmed, MAX_JSON_DEPTH))
      return fail(`line ${line} is nested deeper than ${MAX_JSON_DEPTH} levels`);
    try {
      items.push(JSON.parse(trimmed));
      lines.push(line);
    } catch (error) {
      return fail(`line ${line} is not valid JSON: ${(error as Error).message}`);
    }
  }
  return ok({ items, lines });
}
