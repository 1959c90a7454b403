/**
 * Migration 2 of the PostgreSQL schema: the audit log, as on SQLite written by triggers in the
 * same transaction as each change. Rule tables use statement-level triggers over transition
 * tables, so a 40,000-row upsert adds one INSERT ... SELECT, not 40,000 trigger calls. Who and
 * when come from transaction-local settings the writing transaction makes (warden.actor,
 * warden.address, warden.at); `warden.audit = off` is for migrate-store, which copies the log.
 * Shipped migrations never change; the helpers below only spell out its SQL.
 */

const iocDoc = (r: string) => `jsonb_build_object('rule_id', ${r}.rule_id, 'indicator', ${r}.indicator,
  'type', ${r}.type, 'severity', ${r}.severity, 'expiration_date', ${r}.expiration_date,
  'default_expiration_enabled', ${r}.default_expiration_enabled, 'comment', ${r}.comment,
  'reputation', ${r}.reputation, 'reliability', ${r}.reliability, 'vendors', ${r}.vendors, 'class', ${r}.klass,
  'enabled', ${r}.enabled, 'source', ${r}.source, 'creation_time', ${r}.creation_time,
  'modification_time', ${r}.modification_time)`;

const biocDoc = (r: string) => `jsonb_build_object('rule_id', ${r}.rule_id, 'name', ${r}.name, 'type', ${r}.type,
  'severity', ${r}.severity, 'comment', ${r}.comment, 'status', ${r}.status, 'is_xql', ${r}.is_xql,
  'indicator', ${r}.indicator, 'mitre_tactic_id_and_name', ${r}.mitre_tactic_id_and_name,
  'mitre_technique_id_and_name', ${r}.mitre_technique_id_and_name, 'source', ${r}.source,
  'creation_time', ${r}.creation_time, 'modification_time', ${r}.modification_time)`;

/** Never the secret's hash or its sealed form. */
export const keyDoc = (
  r: string,
) => `jsonb_build_object('key_id', ${r}.id, 'role', ${r}.role, 'security', ${r}.security,
  'created_at', ${r}.created_at, 'expires_at', ${r}.expires_at, 'revoked_at', ${r}.revoked_at)`;

export const tenantDoc = (r: string) => `jsonb_build_object('name', ${r}.name, 'license', ${r}.license)`;
const expiryDoc = (r: string) => `jsonb_build_object('ioc_type', ${r}.ioc_type, 'days', ${r}.days)`;

export const COLUMNS = "tenant_id, at, actor, address, entity, action, target, before, after";
export const WHO = "audit_at(), audit_actor(), audit_address()";

/** A rule table's three statement-level triggers and the function they share. */
function ruleTriggers(table: string, entity: string, doc: (r: string) => string, updateAction: string): string {
  const fn = `audit_${table}`;
  return `
  CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF audit_off() THEN RETURN NULL; END IF;
    IF TG_OP = 'INSERT' THEN
      INSERT INTO audit_log (${COLUMNS})
      SELECT n.tenant_id, ${WHO}, '${entity}', 'Create', n.rule_id::text, NULL, ${doc("n")}
      FROM new_rows AS n ORDER BY n.tenant_id, n.rule_id;
    ELSIF TG_OP = 'UPDATE' THEN
      -- number_of_issues moves when events match, which is not a change anyone made to the rule
      INSERT INTO audit_log (${COLUMNS})
      SELECT n.tenant_id, ${WHO}, '${entity}', ${updateAction}, n.rule_id::text, ${doc("o")}, ${doc("n")}
      FROM old_rows AS o JOIN new_rows AS n USING (tenant_id, rule_id)
      WHERE o.number_of_issues = n.number_of_issues ORDER BY n.tenant_id, n.rule_id;
    ELSE
      INSERT INTO audit_log (${COLUMNS})
      SELECT o.tenant_id, ${WHO}, '${entity}', 'Delete', o.rule_id::text, ${doc("o")}, NULL
      FROM old_rows AS o ORDER BY o.tenant_id, o.rule_id;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER ${fn}_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();
  CREATE TRIGGER ${fn}_update AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();
  CREATE TRIGGER ${fn}_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();`;
}

const enabledAction = `CASE WHEN o.enabled IS DISTINCT FROM n.enabled THEN CASE WHEN n.enabled THEN 'Enable' ELSE 'Disable' END
  ELSE 'Edit' END`;

export const POSTGRES_AUDIT_MIGRATION = `
  CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    address TEXT,
    entity TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    before JSONB,
    after JSONB
  );
  CREATE INDEX audit_log_time ON audit_log (tenant_id, at);

  CREATE FUNCTION audit_actor() RETURNS text LANGUAGE sql STABLE AS
    $$ SELECT COALESCE(NULLIF(current_setting('warden.actor', true), ''), 'unknown') $$;
  CREATE FUNCTION audit_address() RETURNS text LANGUAGE sql STABLE AS
    $$ SELECT NULLIF(current_setting('warden.address', true), '') $$;
  CREATE FUNCTION audit_at() RETURNS bigint LANGUAGE sql STABLE AS
    $$ SELECT COALESCE(NULLIF(current_setting('warden.at', true), '')::bigint,
                       (extract(epoch FROM clock_timestamp()) * 1000)::bigint) $$;
  CREATE FUNCTION audit_off() RETURNS boolean LANGUAGE sql STABLE AS
    $$ SELECT COALESCE(current_setting('warden.audit', true), '') = 'off' $$;

  ${ruleTriggers("ioc_rules", "IOC_RULES", iocDoc, enabledAction)}
  ${ruleTriggers("bioc_rules", "BIOC_RULES", biocDoc, "'Edit'")}

  CREATE FUNCTION audit_api_keys() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF audit_off() THEN RETURN NULL; END IF;
    IF TG_OP = 'INSERT' THEN
      INSERT INTO audit_log (${COLUMNS})
      VALUES (NEW.tenant_id, ${WHO}, 'API_KEYS', 'Create', NEW.id::text, NULL, ${keyDoc("NEW")});
    ELSE
      INSERT INTO audit_log (${COLUMNS})
      VALUES (NEW.tenant_id, ${WHO}, 'API_KEYS',
        CASE WHEN OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL THEN 'Revoke' ELSE 'Edit' END,
        NEW.id::text, ${keyDoc("OLD")}, ${keyDoc("NEW")});
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER audit_api_keys AFTER INSERT OR UPDATE ON api_keys
    FOR EACH ROW EXECUTE FUNCTION audit_api_keys();

  CREATE FUNCTION audit_tenants() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF audit_off() THEN RETURN NULL; END IF;
    IF TG_OP = 'INSERT' THEN
      INSERT INTO audit_log (${COLUMNS})
      VALUES (NEW.id, ${WHO}, 'TENANTS', 'Create', NEW.name, NULL, ${tenantDoc("NEW")});
    ELSE
      INSERT INTO audit_log (${COLUMNS})
      VALUES (NEW.id, ${WHO}, 'TENANTS', 'Edit', NEW.name, ${tenantDoc("OLD")}, ${tenantDoc("NEW")});
    END IF;
    RETURN NULL;
  END $$;
  -- next ids and rule-set versions move on every write; only what a person sets is audited
  CREATE TRIGGER audit_tenants AFTER INSERT OR UPDATE OF name, license ON tenants
    FOR EACH ROW EXECUTE FUNCTION audit_tenants();

  CREATE FUNCTION audit_tenant_ioc_expiry() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    tenant BIGINT := CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END;
  BEGIN
    IF audit_off() THEN RETURN NULL; END IF;
    INSERT INTO audit_log (${COLUMNS})
    VALUES (tenant, ${WHO}, 'TENANTS', 'Edit', (SELECT name FROM tenants WHERE id = tenant),
      CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE ${expiryDoc("OLD")} END,
      CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE ${expiryDoc("NEW")} END);
    RETURN NULL;
  END $$;
  CREATE TRIGGER audit_tenant_ioc_expiry AFTER INSERT OR UPDATE OR DELETE ON tenant_ioc_expiry
    FOR EACH ROW EXECUTE FUNCTION audit_tenant_ioc_expiry();
`;
