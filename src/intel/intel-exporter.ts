/** A tenant's IOC rules (all, or those the filters select) written out as STIX 2.1, MISP or CSV. */
import type { RuleFilter } from "../domain/filters/filter-model.ts";
import type { Tenant } from "../domain/tenants/tenant-model.ts";
import { CSV_HEADER, csvLine } from "./csv-writer.ts";
import type { IntelFormat, IntelRejection } from "./intel-model.ts";
import { type ExportStore, type LinkedRule, linkedRules } from "./intel-rules.ts";
import { mispAttribute, mispEvent } from "./misp-writer.ts";
import { stixIndicator } from "./stix-writer.ts";
import { uuidV5 } from "./uuid-v5.ts";

export interface ExportResult {
  content: string;
  exported: number;
  /** Rules no object of the format can hold (MIXED values), with why. */
  skipped: IntelRejection[];
}

export async function exportIntel(
  store: ExportStore,
  tenant: Tenant,
  format: IntelFormat,
  filters: readonly RuleFilter[],
  now: number,
): Promise<ExportResult> {
  const written: string[] = [];
  const skipped: IntelRejection[] = [];
  const write = writerFor(format, tenant.id, now);
  for await (const page of linkedRules(store, tenant.id, filters, now)) {
    for (const linked of page) {
      const text = write(linked);
      if (text === undefined)
        skipped.push({ ref: `rule ${linked.rule.ruleId}`, reason: `a ${linked.rule.type} rule has no ${format} form` });
      else written.push(text);
    }
  }
  return { content: wrap(format, tenant, now, written), exported: written.length, skipped };
}

/** One rule as its JSON or CSV text, or undefined when the format cannot hold it. */
function writerFor(format: IntelFormat, tenantId: number, now: number): (linked: LinkedRule) => string | undefined {
  const json = (value: unknown) => (value === undefined ? undefined : JSON.stringify(value));
  if (format === "stix") return (linked) => json(stixIndicator(linked, { tenantId, now, revokeExpired: false }));
  if (format === "misp") return (linked) => json(mispAttribute(linked, tenantId, now));
  return (linked) => (linked.rule.type === "MIXED" ? undefined : csvLine(linked));
}

/** The document around the rules, joined as text so 100,000 rules are not built twice as objects. */
function wrap(format: IntelFormat, tenant: Tenant, now: number, written: string[]): string {
  if (format === "csv") return `${[CSV_HEADER, ...written].join("\n")}\n`;
  if (format === "stix") {
    const id = `bundle--${uuidV5(`stix-export/${tenant.id}/${now}`)}`;
    return `{"type":"bundle","id":"${id}","objects":[${written.join(",")}]}`;
  }
  const event = JSON.stringify(mispEvent(tenant.name, tenant.id, now, []));
  return event.replace('"Attribute":[]', `"Attribute":[${written.join(",")}]`);
}
