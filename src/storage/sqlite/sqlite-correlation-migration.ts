/**
 * Migration 10 of the SQLite schema: correlation rules (audited by triggers, as the other rule
 * kinds), the state their execution keeps, and the details correlation alerts carry.
 */
import { audit } from "./sqlite-audit-migration.ts";

/** The rule as the audit log shows it: its whole definition, never its hit counter. */
const correlationDoc = (r: string) => `json_object('rule_id', ${r}.rule_id, 'name', ${r}.name,
  'definition', ${r}.definition, 'created_by', ${r}.created_by,
  'insert_time', ${r}.insert_time, 'modify_time', ${r}.modify_time)`;

const enabledAction = `CASE WHEN OLD.is_enabled IS NOT NEW.is_enabled THEN
  CASE WHEN NEW.is_enabled THEN 'Enable' ELSE 'Disable' END ELSE 'Edit' END`;

export const CORRELATION_MIGRATION = `
  CREATE TABLE correlation_rules (
    tenant_id INTEGER NOT NULL REFERENCES tenants (id),
    rule_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    severity TEXT NOT NULL,
    is_enabled INTEGER NOT NULL,
    execution_mode TEXT NOT NULL,
    -- every field the client wrote, as JSON with the wire's names
    definition TEXT NOT NULL,
    created_by TEXT NOT NULL,
    insert_time INTEGER NOT NULL,
    modify_time INTEGER NOT NULL,
    hits INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, rule_id)
  ) WITHOUT ROWID;
  CREATE UNIQUE INDEX correlation_rules_name ON correlation_rules (tenant_id, name);
  ALTER TABLE tenants ADD COLUMN next_correlation_rule_id INTEGER NOT NULL DEFAULT 1;

  -- aggregate states of scheduled rules: one row per rule, time bucket, group key and written
  -- batch (appended, never updated, so nodes never contend); merged and pruned when a rule runs
  CREATE TABLE correlation_partials (
    tenant_id INTEGER NOT NULL,
    rule_id INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    group_key TEXT NOT NULL,
    state TEXT NOT NULL
  );
  CREATE INDEX correlation_partials_bucket ON correlation_partials (tenant_id, rule_id, bucket);

  -- a schedule tick runs once: whoever inserts its row runs it
  CREATE TABLE correlation_runs (
    tenant_id INTEGER NOT NULL,
    rule_id INTEGER NOT NULL,
    tick INTEGER NOT NULL,
    ran_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, rule_id, tick)
  ) WITHOUT ROWID;

  CREATE TABLE correlation_suppressions (
    tenant_id INTEGER NOT NULL,
    rule_id INTEGER NOT NULL,
    suppression_key TEXT NOT NULL,
    until INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, rule_id, suppression_key)
  ) WITHOUT ROWID;

  -- a correlation alert's name, category, description, MITRE and group-key values, as JSON
  ALTER TABLE alerts ADD COLUMN details TEXT;

  CREATE TRIGGER audit_correlation_insert AFTER INSERT ON correlation_rules BEGIN
    ${audit("NEW.tenant_id", "CORRELATION_RULES", "'Create'", "NEW.rule_id", "NULL", correlationDoc("NEW"))}
  END;
  -- hits move when alerts are raised, which is not a change anyone made to the rule
  CREATE TRIGGER audit_correlation_update AFTER UPDATE ON correlation_rules
  WHEN OLD.hits IS NEW.hits BEGIN
    ${audit("NEW.tenant_id", "CORRELATION_RULES", enabledAction, "NEW.rule_id", correlationDoc("OLD"), correlationDoc("NEW"))}
  END;
  CREATE TRIGGER audit_correlation_delete AFTER DELETE ON correlation_rules BEGIN
    ${audit("OLD.tenant_id", "CORRELATION_RULES", "'Delete'", "OLD.rule_id", correlationDoc("OLD"), "NULL")}
  END;
`;
