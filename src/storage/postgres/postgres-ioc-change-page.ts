/**
 * One page of the IOC change feed (ports.ts `iocChangePage`): three keyset scans, each on its own
 * index (PostgreSQL migration 14), merged. A rule's change time is when it was last written, or
 * when its expiry passed if that came later and is not after `now`; deleted rules are tombstones.
 */
import type pg from "pg";
import { mergeChanges } from "../ioc-change-merge.ts";
import { type IocRow, toRule } from "../ioc-rows.ts";
import type { IocChange, IocChangeKey } from "../ports.ts";

// $1 tenant, $2 and $3 the key to start after, $4 now, $5 the page size
const EXPIRED = "expiration_date >= 0 AND expiration_date <= $4 AND expiration_date > modification_time";

const WRITTEN = `SELECT *, modification_time AS change_time FROM ioc_rules
  WHERE tenant_id = $1 AND (modification_time, rule_id) > ($2::bigint, $3::bigint) AND NOT (${EXPIRED})
  ORDER BY modification_time, rule_id LIMIT $5`;

const EXPIRED_ROWS = `SELECT *, expiration_date AS change_time FROM ioc_rules
  WHERE tenant_id = $1 AND (expiration_date, rule_id) > ($2::bigint, $3::bigint) AND ${EXPIRED}
  ORDER BY expiration_date, rule_id LIMIT $5`;

const DELETED = `SELECT rule, deleted_at FROM ioc_tombstones
  WHERE tenant_id = $1 AND (deleted_at, rule_id) > ($2::bigint, $3::bigint) AND $4::bigint IS NOT NULL
  ORDER BY deleted_at, rule_id LIMIT $5`;

export async function iocChangePagePg(
  pool: pg.Pool,
  tenantId: number,
  after: IocChangeKey,
  now: number,
  limit: number,
): Promise<IocChange[]> {
  const params = [tenantId, after.time, after.ruleId, now, limit];
  const live = (row: IocRow & { change_time: number }): IocChange => ({
    rule: toRule(row),
    changeTime: row.change_time,
    deleted: false,
  });
  const [written, expired, deleted] = await Promise.all([
    pool.query<IocRow & { change_time: number }>(WRITTEN, params),
    pool.query<IocRow & { change_time: number }>(EXPIRED_ROWS, params),
    pool.query<{ rule: IocRow; deleted_at: number }>(DELETED, params),
  ]);
  const dead = deleted.rows.map((row) => ({ rule: toRule(row.rule), changeTime: row.deleted_at, deleted: true }));
  return mergeChanges([written.rows.map(live), expired.rows.map(live), dead], limit);
}
