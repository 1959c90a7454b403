import type { ChangeContext } from "../../domain/audit/audit-model.ts";
import type { License, Tenant } from "../../domain/tenants/tenant-model.ts";
import type { TenantStore } from "../ports.ts";
import { sqliteAuditedWrites } from "./sqlite-audit.ts";
import type { SqliteDb } from "./sqlite-database.ts";

interface TenantRow {
  id: number;
  name: string;
  license: License;
  created_at: number;
}

const COLUMNS = "id, name, license, created_at";

function toTenant(row: TenantRow | undefined): Tenant | undefined {
  return row && { id: row.id, name: row.name, license: row.license, createdAt: row.created_at };
}

export function sqliteTenantStore(db: SqliteDb): TenantStore {
  const insert = db.prepare<[{ name: string; license: string; now: number }], TenantRow>(
    // names are unique without regard to case (migration 7 holds the same rule for any writer)
    `INSERT INTO tenants (name, license, created_at)
     SELECT @name, @license, @now WHERE NOT EXISTS (SELECT 1 FROM tenants WHERE lower(name) = lower(@name))
     ON CONFLICT (name) DO NOTHING RETURNING ${COLUMNS}`,
  );
  const byId = db.prepare<[number], TenantRow>(`SELECT ${COLUMNS} FROM tenants WHERE id = ?`);
  const byName = db.prepare<[string], TenantRow>(`SELECT ${COLUMNS} FROM tenants WHERE name = ?`);
  const all = db.prepare<[], TenantRow>(`SELECT ${COLUMNS} FROM tenants ORDER BY id`);
  const create = sqliteAuditedWrites(db)((ctx: ChangeContext, name: string, license: License) =>
    toTenant(insert.get({ name, license, now: ctx.now })),
  );
  return {
    createTenant: async (name, license, ctx) => create(ctx, name, license),
    getTenant: async (tenantId) => toTenant(byId.get(tenantId)),
    findTenantByName: async (name) => toTenant(byName.get(name)),
    listTenants: async () => all.all().map((row) => toTenant(row) as Tenant),
  };
}
