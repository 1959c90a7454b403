import type { SqliteDb } from "./sqlite-database.ts";

/** Each tenant's rule-set version: bumped inside every transaction that changes what can match. */
export function sqliteRuleVersion(db: SqliteDb) {
  const bump = db.prepare("UPDATE tenants SET rules_version = rules_version + 1 WHERE id = ?");
  const read = db.prepare("SELECT rules_version FROM tenants WHERE id = ?").pluck();
  return {
    bump: (tenantId: number): void => {
      bump.run(tenantId);
    },
    read: (tenantId: number): number => (read.get(tenantId) as number | undefined) ?? 0,
  };
}
