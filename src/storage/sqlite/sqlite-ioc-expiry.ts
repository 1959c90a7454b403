import type { ChangeContext } from "../../domain/audit/audit-model.ts";
import { DAY_MS, type ExpiryDefaults, type IocType } from "../../domain/ioc/ioc-model.ts";
import type { IocStore } from "../ports.ts";
import { sqliteAuditedWrites } from "./sqlite-audit.ts";
import type { SqliteDb } from "./sqlite-database.ts";
import { sqliteRuleVersion } from "./sqlite-rule-version.ts";

/** Per-tenant default expiry per IOC type, and re-dating the rules that follow it. */
export function sqliteIocExpiry(db: SqliteDb): Pick<IocStore, "getExpiryDefaults" | "setExpiryDefault"> {
  const version = sqliteRuleVersion(db);
  const write = sqliteAuditedWrites(db);
  const all = db.prepare("SELECT ioc_type, days FROM tenant_ioc_expiry WHERE tenant_id = ?");
  const save = db.prepare(
    `INSERT INTO tenant_ioc_expiry (tenant_id, ioc_type, days) VALUES (?, ?, ?)
     ON CONFLICT (tenant_id, ioc_type) DO UPDATE SET days = excluded.days`,
  );
  const clear = db.prepare("DELETE FROM tenant_ioc_expiry WHERE tenant_id = ? AND ioc_type = ?");
  // A default expiry counts from when a client last wrote the rule (expiry_base).
  const redate = db.prepare(
    `UPDATE ioc_rules SET expiration_date = CASE WHEN @days IS NULL THEN -1 ELSE expiry_base + @days * ${DAY_MS} END,
       modification_time = @now
     WHERE tenant_id = @tenantId AND type = @type AND default_expiration_enabled = 1`,
  );
  const set = write((ctx: ChangeContext, tenantId: number, type: IocType, days: number | null) => {
    if (days === null) clear.run(tenantId, type);
    else save.run(tenantId, type, days);
    version.bump(tenantId);
    return redate.run({ tenantId, type, days, now: ctx.now }).changes;
  });
  return {
    getExpiryDefaults: async (tenantId) => {
      const rows = all.all(tenantId) as { ioc_type: IocType; days: number }[];
      return Object.fromEntries(rows.map((row) => [row.ioc_type, row.days])) as ExpiryDefaults;
    },
    setExpiryDefault: async (tenantId, type, days, ctx) => set(ctx, tenantId, type, days),
  };
}
