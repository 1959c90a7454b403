/**
 * Migration 8 of the PostgreSQL schema, as SQLite's migration 10: correlation rules (audited by
 * a trigger in the writing transaction), the state their execution keeps, and correlation alert
 * details. Row-level triggers: correlation rules are written a few at a time, never 40,000.
 */
import { COLUMNS, WHO } from "./postgres-audit-migration.ts";

const doc = (r: string) => `jsonb_build_object('rule_id', ${r}.rule_id, 'name', ${r}.name,
  'definition', ${r}.definition, 'created_by', ${r}.created_by,
  'insert_time', ${r}.insert_time, 'modify_time', ${r}.modify_time)`;

export const POSTGRES_CORRELATION_MIGRATION = `
  CREATE TABLE correlation_rules (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    rule_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    severity TEXT NOT NULL,
    is_enabled BOOLEAN NOT NULL,
    execution_mode TEXT NOT NULL,
    definition JSONB NOT NULL,
    created_by TEXT NOT NULL,
    insert_time BIGINT NOT NULL,
    modify_time BIGINT NOT NULL,
    hits BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, rule_id)
  );
  CREATE UNIQUE INDEX correlation_rules_name ON correlation_rules (tenant_id, name);
  ALTER TABLE tenants ADD COLUMN next_correlation_rule_id BIGINT NOT NULL DEFAULT 1;

  CREATE TABLE correlation_partials (
    tenant_id BIGINT NOT NULL,
    rule_id BIGINT NOT NULL,
    bucket BIGINT NOT NULL,
    group_key TEXT NOT NULL,
    state TEXT NOT NULL
  );
  CREATE INDEX correlation_partials_bucket ON correlation_partials (tenant_id, rule_id, bucket);

  CREATE TABLE correlation_runs (
    tenant_id BIGINT NOT NULL,
    rule_id BIGINT NOT NULL,
    tick BIGINT NOT NULL,
    ran_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, rule_id, tick)
  );

  CREATE TABLE correlation_suppressions (
    tenant_id BIGINT NOT NULL,
    rule_id BIGINT NOT NULL,
    suppression_key TEXT NOT NULL,
    until BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, rule_id, suppression_key)
  );

  ALTER TABLE alerts ADD COLUMN details TEXT;

  CREATE FUNCTION audit_correlation_rules() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF audit_off() THEN RETURN NULL; END IF;
    IF TG_OP = 'INSERT' THEN
      INSERT INTO audit_log (${COLUMNS})
      VALUES (NEW.tenant_id, ${WHO}, 'CORRELATION_RULES', 'Create', NEW.rule_id::text, NULL, ${doc("NEW")});
    ELSIF TG_OP = 'UPDATE' THEN
      -- hits move when alerts are raised, which is not a change anyone made to the rule
      IF OLD.hits IS DISTINCT FROM NEW.hits THEN RETURN NULL; END IF;
      INSERT INTO audit_log (${COLUMNS})
      VALUES (NEW.tenant_id, ${WHO}, 'CORRELATION_RULES',
        CASE WHEN OLD.is_enabled IS DISTINCT FROM NEW.is_enabled THEN
          CASE WHEN NEW.is_enabled THEN 'Enable' ELSE 'Disable' END ELSE 'Edit' END,
        NEW.rule_id::text, ${doc("OLD")}, ${doc("NEW")});
    ELSE
      INSERT INTO audit_log (${COLUMNS})
      VALUES (OLD.tenant_id, ${WHO}, 'CORRELATION_RULES', 'Delete', OLD.rule_id::text, ${doc("OLD")}, NULL);
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER audit_correlation_rules AFTER INSERT OR UPDATE OR DELETE ON correlation_rules
    FOR EACH ROW EXECUTE FUNCTION audit_correlation_rules();
`;
