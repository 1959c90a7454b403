/**
 * Migration 4 of the PostgreSQL schema, as SQLite's 6 (issue 18, findings 5 and 6): refused
 * writes recorded with a result and a reason; deletes of keys and tenants recorded; the log
 * append-only (UPDATE, DELETE and TRUNCATE refused, whoever asks, migrate-store included: it only
 * inserts). The rule triggers of migration 2 are left as they are.
 */
import { COLUMNS, keyDoc, tenantDoc, WHO } from "./postgres-audit-migration.ts";

export const POSTGRES_AUDIT_HARDENING_MIGRATION = `
  ALTER TABLE audit_log ADD COLUMN result TEXT NOT NULL DEFAULT 'SUCCESS';
  ALTER TABLE audit_log ADD COLUMN reason TEXT;

  CREATE FUNCTION audit_api_keys_delete() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF audit_off() THEN RETURN NULL; END IF;
    INSERT INTO audit_log (${COLUMNS})
    VALUES (OLD.tenant_id, ${WHO}, 'API_KEYS', 'Delete', OLD.id::text, ${keyDoc("OLD")}, NULL);
    RETURN NULL;
  END $$;
  CREATE TRIGGER audit_api_keys_delete AFTER DELETE ON api_keys
    FOR EACH ROW EXECUTE FUNCTION audit_api_keys_delete();

  CREATE FUNCTION audit_tenants_delete() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF audit_off() THEN RETURN NULL; END IF;
    INSERT INTO audit_log (${COLUMNS})
    VALUES (OLD.id, ${WHO}, 'TENANTS', 'Delete', OLD.name, ${tenantDoc("OLD")}, NULL);
    RETURN NULL;
  END $$;
  CREATE TRIGGER audit_tenants_delete AFTER DELETE ON tenants
    FOR EACH ROW EXECUTE FUNCTION audit_tenants_delete();

  CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'insufficient_privilege';
  END $$;
  CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
`;
