/**
 * IOC rules as the audit log records them, built by the store from what it writes (the bulk
 * upsert describes its own changes, sqlite-audit-pack.ts): positional, in the order of
 * AUDIT_FIELD_ORDER.IOC_RULES, with values as SQLite holds them (0/1, vendors as JSON text).
 * A batch of new rules has SQLite build its records from the rows (`iocCreatedAudit`).
 */
import type { IocDraft } from "../../domain/ioc/ioc-model.ts";
import { pushDetailsOf } from "../ioc-rows.ts";
import type { AuditWho } from "./sqlite-audit-pack.ts";
import type { SqliteDb } from "./sqlite-database.ts";

/** The columns of a stored rule's record, in record order (`SELECT ... ` then `.raw()`). */
export const IOC_RECORD_COLUMNS =
  "rule_id, indicator, type, severity, expiration_date, default_expiration_enabled, comment, reputation, " +
  "reliability, vendors, klass, enabled, source, creation_time, modification_time";

/** Where a stored record keeps what an upsert does not change. */
const ENABLED = 11;
const CREATION_TIME = 13;

/** The record of `draft` written as rule `ruleId`; `before` is the rule it replaces, if any. */
export function iocRecordAfter(
  ruleId: number,
  d: IocDraft,
  source: string,
  now: number,
  before: readonly unknown[] | undefined,
): unknown[] {
  const record: unknown[] = [ruleId, d.indicator, d.type, d.severity];
  pushDetailsOf(record, d);
  record.push(before ? before[ENABLED] : 1, source, before ? before[CREATION_TIME] : now, now);
  return record;
}

/** The record of a rule an upsert writes, made when the audit pack is written (sqlite-audit-pack.ts). */
export class IocRecordAfter {
  constructor(
    private readonly ruleId: number,
    private readonly draft: IocDraft,
    private readonly source: string,
    private readonly now: number,
    private readonly before: readonly unknown[] | undefined,
  ) {}

  toJSON(): unknown[] {
    return iocRecordAfter(this.ruleId, this.draft, this.source, this.now, this.before);
  }
}

/** A stored rule's record as SQL builds it from its row: the JSON text of IOC_RECORD_COLUMNS in order. */
const RECORD_JSON = `json_array(${IOC_RECORD_COLUMNS})`;

/**
 * Writes the audit of rules `first` .. `first + count - 1` of a tenant, all just created, in one
 * statement: SQLite reads the rows back and builds their records itself (JSON text of the same
 * shape the pack writes), one packed row for the batch, or a plain row for one rule. Building
 * 40,000 records as JavaScript strings was a quarter of a 40,000-rule insert, most of it garbage
 * collection (issue 13). Throws unless it described exactly `count` rules. The items follow the
 * primary key's range scan, rule id order; `ORDER BY rule_id` in the aggregate cost a sort (a
 * fifth of the statement) for the order the scan gives anyway, and test/sqlite-audit-pack.test.ts
 * checks it.
 */
export function iocCreatedAudit(db: SqliteDb): (tenantId: number, who: AuditWho, first: number, count: number) => void {
  // positional: a single-rule insert (the most common write) runs this once per request
  const single = db
    .prepare(
      `INSERT INTO audit_log (tenant_id, at, actor, address, entity, action, target, before, after)
     SELECT tenant_id, ?, ?, ?, 'IOC_RULES', 'Create', CAST(rule_id AS TEXT), NULL, ${RECORD_JSON}
     FROM ioc_rules WHERE tenant_id = ? AND rule_id = ? RETURNING items_count`,
    )
    .pluck();
  const packed = db
    .prepare(
      `INSERT INTO audit_log (tenant_id, at, actor, address, entity, action, target, items, items_count)
     SELECT ?, ?, ?, ?, 'IOC_RULES', 'Batch', count(*) || ' rules',
       json_group_array(json_object('action', 'Create', 'target', CAST(rule_id AS TEXT), 'before', NULL,
         'after', ${RECORD_JSON})), count(*)
     FROM ioc_rules WHERE tenant_id = ? AND rule_id >= ? AND rule_id < ? RETURNING items_count`,
    )
    .pluck();
  return (tenant, [at, actor, address], first, count) => {
    const written =
      count === 1
        ? single.get(at, actor, address, tenant, first)
        : packed.get(tenant, at, actor, address, tenant, first, first + count);
    if (written !== count) throw new Error(`audit: ${count} rules created but ${written ?? 0} described`);
  };
}
