/**
 * One page of the IOC change feed (ports.ts `iocChangePage`), as on PostgreSQL
 * (postgres-ioc-change-page.ts): three keyset scans merged. SQLite has no index on the change
 * times (each would slow every bulk insert), so a page here scans the tenant's rules inside
 * SQLite, but builds only its own rows.
 */
import { mergeChanges } from "../ioc-change-merge.ts";
import { type IocRow, toRule } from "../ioc-rows.ts";
import type { IocChange, IocChangeKey } from "../ports.ts";
import type { SqliteDb } from "./sqlite-database.ts";

const EXPIRED = "expiration_date >= 0 AND expiration_date <= @now AND expiration_date > modification_time";

export function sqliteIocChangePage(db: SqliteDb) {
  const written = db.prepare(
    `SELECT *, modification_time AS change_time FROM ioc_rules
     WHERE tenant_id = @tenantId AND (modification_time, rule_id) > (@time, @ruleId) AND NOT (${EXPIRED})
     ORDER BY modification_time, rule_id LIMIT @limit`,
  );
  const expired = db.prepare(
    `SELECT *, expiration_date AS change_time FROM ioc_rules
     WHERE tenant_id = @tenantId AND (expiration_date, rule_id) > (@time, @ruleId) AND ${EXPIRED}
     ORDER BY expiration_date, rule_id LIMIT @limit`,
  );
  const deleted = db.prepare(
    `SELECT rule, deleted_at FROM ioc_tombstones
     WHERE tenant_id = @tenantId AND (deleted_at, rule_id) > (@time, @ruleId)
     ORDER BY deleted_at, rule_id LIMIT @limit`,
  );

  function page(tenantId: number, after: IocChangeKey, now: number, limit: number): IocChange[] {
    const params = { tenantId, time: after.time, ruleId: after.ruleId, now, limit };
    const live = (row: IocRow & { change_time: number }): IocChange => ({
      rule: toRule(row),
      changeTime: row.change_time,
      deleted: false,
    });
    const rows = (statement: typeof written) => statement.all(params) as (IocRow & { change_time: number })[];
    const dead = (
      deleted.all({ tenantId, time: after.time, ruleId: after.ruleId, limit }) as {
        rule: string;
        deleted_at: number;
      }[]
    ).map((row): IocChange => ({ rule: toRule(JSON.parse(row.rule)), changeTime: row.deleted_at, deleted: true }));
    return mergeChanges([rows(written).map(live), rows(expired).map(live), dead], limit);
  }

  // one read transaction: the three scans see the same moment
  return db.transaction(page);
}
