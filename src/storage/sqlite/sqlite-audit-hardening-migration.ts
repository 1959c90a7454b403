/**
 * Migration 6 of the SQLite schema (issue 18, findings 5 and 6): refused writes recorded with a
 * result and a reason; deletes of keys and tenants recorded like every other change (so, as for
 * the others, a tool without Warden's audit functions cannot make them); and the log append-only
 * on every connection. The rule triggers of migration 4 are left as they are.
 */
import { audit, keyDoc, tenantDoc } from "./sqlite-audit-migration.ts";

const appendOnly = (event: "UPDATE" | "DELETE") => `
  CREATE TRIGGER audit_log_no_${event.toLowerCase()} BEFORE ${event} ON audit_log BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
  END;`;

export const AUDIT_HARDENING_MIGRATION = `
  -- SUCCESS for every change made; FAIL for a write Warden refused, with why in reason
  ALTER TABLE audit_log ADD COLUMN result TEXT NOT NULL DEFAULT 'SUCCESS';
  ALTER TABLE audit_log ADD COLUMN reason TEXT;

  CREATE TRIGGER audit_key_delete AFTER DELETE ON api_keys BEGIN
    ${audit("OLD.tenant_id", "API_KEYS", "'Delete'", "OLD.id", keyDoc("OLD"), "NULL")}
  END;
  CREATE TRIGGER audit_tenant_delete AFTER DELETE ON tenants BEGIN
    ${audit("OLD.id", "TENANTS", "'Delete'", "OLD.name", tenantDoc("OLD"), "NULL")}
  END;
  ${appendOnly("UPDATE")}
  ${appendOnly("DELETE")}
`;
