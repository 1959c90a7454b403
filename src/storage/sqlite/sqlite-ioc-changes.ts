import { type IocRow, toRule } from "../ioc-rows.ts";
import type { IocChange } from "../ports.ts";
import type { SqliteDb } from "./sqlite-database.ts";

/**
 * The IOC change feed: rules written since a time, rules whose expiry passed since then (an
 * expiry is a change nobody wrote), and deleted rules, kept as tombstones.
 */
export function sqliteIocChanges(db: SqliteDb) {
  const insertTombstone = db.prepare(
    "INSERT INTO ioc_tombstones (tenant_id, rule_id, deleted_at, rule) VALUES (?, ?, ?, ?)",
  );
  const changedRules = db.prepare(
    `SELECT *, max(modification_time,
        CASE WHEN expiration_date >= 0 AND expiration_date <= @now THEN expiration_date ELSE 0 END) AS change_time
     FROM ioc_rules
     WHERE tenant_id = @tenantId AND (modification_time > @since
        OR (expiration_date > @since AND expiration_date <= @now))`,
  );
  const tombstones = db.prepare(
    "SELECT rule, deleted_at FROM ioc_tombstones WHERE tenant_id = ? AND deleted_at > ? ORDER BY deleted_at, rule_id",
  );

  /** Records deleted rows (inside the caller's transaction). */
  function bury(tenantId: number, rows: readonly IocRow[], now: number): void {
    for (const row of rows) insertTombstone.run(tenantId, row.rule_id, now, JSON.stringify(row));
  }

  function since(tenantId: number, sinceMs: number, now: number): IocChange[] {
    const live = (changedRules.all({ tenantId, since: sinceMs, now }) as (IocRow & { change_time: number })[]).map(
      (row): IocChange => ({ rule: toRule(row), changeTime: row.change_time, deleted: false }),
    );
    const dead = (tombstones.all(tenantId, sinceMs) as { rule: string; deleted_at: number }[]).map(
      (row): IocChange => ({ rule: toRule(JSON.parse(row.rule)), changeTime: row.deleted_at, deleted: true }),
    );
    return [...live, ...dead].sort((a, b) => a.changeTime - b.changeTime || a.rule.ruleId - b.rule.ruleId);
  }

  return { bury, since: db.transaction(since) };
}
