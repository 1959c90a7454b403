/**
 * IOC rules as the audit log records them, built by the store from what it writes (the bulk
 * upsert describes its own changes, sqlite-audit-pack.ts): positional, in the order of
 * AUDIT_FIELD_ORDER.IOC_RULES, with values as SQLite holds them (0/1, vendors as JSON text).
 */
import type { IocDraft } from "../../domain/ioc/ioc-model.ts";
import { pushDetailsOf } from "../ioc-rows.ts";

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

const text = JSON.stringify;

/**
 * The audit items (sqlite-audit-pack.ts, `{action, target, before, after}` each, comma-separated)
 * of drafts just created as rules `first`, `first + 1`, ...: the same text JSON.stringify makes of
 * their records (test/sqlite-audit-pack.test.ts compares them), written as a template because a
 * record array and an item object per rule, then stringified, cost a quarter more (issue 13).
 * Enum fields hold checked names, so only free text goes through JSON.stringify.
 */
export function iocCreatedItemsJson(drafts: readonly IocDraft[], first: number, source: string, now: number): string {
  const tail = `,1,${text(source)},${now},${now}]}`;
  const items: string[] = [];
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i] as IocDraft;
    const id = first + i;
    items.push(
      `{"action":"Create","target":"${id}","before":null,"after":[${id},${text(d.indicator)},"${d.type}","${d.severity}",` +
        `${d.expirationDate},${d.defaultExpirationEnabled ? 1 : 0},${text(d.comment)},"${d.reputation}",` +
        `${d.reliability === null ? "null" : `"${d.reliability}"`},${d.vendors === null ? "null" : text(text(d.vendors))},` +
        `${d.klass === null ? "null" : text(d.klass)}${tail}`,
    );
  }
  return items.join(",");
}
