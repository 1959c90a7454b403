import { STREAM_ALERT_KEY_MIGRATION } from "../stream-alert-migration.ts";
import { STREAM_FOLD_MIGRATION } from "../stream-fold-migration.ts";
import { webhookRotationMigration } from "../webhook-rotation-migration.ts";
import { AUDIT_HARDENING_MIGRATION } from "./sqlite-audit-hardening-migration.ts";
import { AUDIT_MIGRATION } from "./sqlite-audit-migration.ts";
import { AUDIT_PACKING_MIGRATION } from "./sqlite-audit-packing-migration.ts";
import { CORRELATION_MIGRATION } from "./sqlite-correlation-migration.ts";
import { DELIVERY_MIGRATION } from "./sqlite-delivery-store.ts";
import { INTEL_LINKS_MIGRATION } from "./sqlite-intel-links.ts";
import { RETENTION_MIGRATION } from "./sqlite-retention-migration.ts";
import { RULE_TRIGGER_MIGRATION } from "./sqlite-rule-trigger-migration.ts";

/**
 * The SQLite schema, as numbered migrations applied in order and recorded in schema_migrations.
 * Never edit a migration that has shipped; add a new one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "tenants, keys, nonces, IOC and BIOC rules",
    sql: `
      CREATE TABLE tenants (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        license TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        -- rule ids are per tenant, so one tenant's ids reveal nothing of another's
        next_ioc_rule_id INTEGER NOT NULL DEFAULT 1,
        next_bioc_rule_id INTEGER NOT NULL DEFAULT 1
      );

      CREATE TABLE api_keys (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant_id INTEGER NOT NULL REFERENCES tenants (id),
        role TEXT NOT NULL,
        security TEXT NOT NULL,
        secret_hash BLOB,
        sealed_secret BLOB,
        created_at INTEGER NOT NULL,
        expires_at INTEGER,
        revoked_at INTEGER
      );

      CREATE TABLE nonces (
        key_id INTEGER NOT NULL,
        nonce TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (key_id, nonce)
      ) WITHOUT ROWID;
      CREATE INDEX nonces_expiry ON nonces (expires_at);

      CREATE TABLE ioc_rules (
        tenant_id INTEGER NOT NULL REFERENCES tenants (id),
        rule_id INTEGER NOT NULL,
        indicator TEXT NOT NULL,
        canonical TEXT NOT NULL,
        type TEXT NOT NULL,
        severity TEXT NOT NULL,
        expiration_date INTEGER NOT NULL,
        default_expiration_enabled INTEGER NOT NULL,
        comment TEXT NOT NULL,
        reputation TEXT NOT NULL,
        reliability TEXT,
        enabled INTEGER NOT NULL DEFAULT 1,
        creation_time INTEGER NOT NULL,
        modification_time INTEGER NOT NULL,
        source TEXT NOT NULL,
        number_of_issues INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (tenant_id, rule_id)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX ioc_rules_value ON ioc_rules (tenant_id, canonical);

      CREATE TABLE bioc_rules (
        tenant_id INTEGER NOT NULL REFERENCES tenants (id),
        rule_id INTEGER NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        severity TEXT NOT NULL,
        comment TEXT NOT NULL,
        status TEXT NOT NULL,
        is_xql INTEGER NOT NULL,
        indicator TEXT NOT NULL,
        mitre_tactic_id_and_name TEXT NOT NULL,
        mitre_technique_id_and_name TEXT NOT NULL,
        creation_time INTEGER NOT NULL,
        modification_time INTEGER NOT NULL,
        source TEXT NOT NULL,
        number_of_issues INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (tenant_id, rule_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: "legacy IOC fields, per-tenant default expiry, deletion tombstones for the change feed",
    sql: `
      ALTER TABLE ioc_rules ADD COLUMN vendors TEXT;
      ALTER TABLE ioc_rules ADD COLUMN klass TEXT;
      -- when a client last wrote the rule: a default expiry counts from here
      ALTER TABLE ioc_rules ADD COLUMN expiry_base INTEGER NOT NULL DEFAULT 0;
      UPDATE ioc_rules SET expiry_base = modification_time;
      -- No index on source, modification or expiry time: each costs a quarter of bulk-insert speed,
      -- while the sync and the change feed read a tenant's rules in one pass of the primary key.

      CREATE TABLE tenant_ioc_expiry (
        tenant_id INTEGER NOT NULL REFERENCES tenants (id),
        ioc_type TEXT NOT NULL,
        days INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, ioc_type)
      ) WITHOUT ROWID;

      -- what a deleted rule was, so get_changes can report the deletion
      CREATE TABLE ioc_tombstones (
        tenant_id INTEGER NOT NULL,
        rule_id INTEGER NOT NULL,
        deleted_at INTEGER NOT NULL,
        rule TEXT NOT NULL
      );
      CREATE INDEX ioc_tombstones_time ON ioc_tombstones (tenant_id, deleted_at);
    `,
  },
  {
    version: 3,
    name: "rule-set versions for the engine, alerts",
    sql: `
      -- bumped by every write that can change what matches, so each process knows when to rebuild
      ALTER TABLE tenants ADD COLUMN rules_version INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE tenants ADD COLUMN next_alert_id INTEGER NOT NULL DEFAULT 1;

      CREATE TABLE alerts (
        tenant_id INTEGER NOT NULL REFERENCES tenants (id),
        alert_id INTEGER NOT NULL,
        detection_timestamp INTEGER NOT NULL,
        source TEXT NOT NULL,
        rule_id INTEGER NOT NULL,
        name TEXT NOT NULL,
        severity TEXT NOT NULL,
        field TEXT NOT NULL,
        value TEXT NOT NULL,
        event TEXT NOT NULL,
        PRIMARY KEY (tenant_id, alert_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    name: "audit log, written by triggers in the same transaction as each change",
    sql: AUDIT_MIGRATION,
  },
  {
    version: 5,
    name: "index on IOC type; planner statistics for IOC rules",
    // A get filtered by type counts every match for objects_count; without this index that count
    // walks the tenant's whole table (4-5 ms at 40,000 rules, 0.4 ms with it). It costs bulk
    // inserts about a tenth of their speed; the other filter fields stay unindexed.
    //
    // Without statistics SQLite guesses that a tenant holds ten rules, and so answers a get by
    // value (ORDER BY rule_id LIMIT n) by walking the tenant's rules in id order instead of
    // looking the value up. Hand-written statistics (SQLite's documented way to steer its
    // planner) say what is true of every store: a tenant holds many rules, a value names one,
    // a type many. Nothing runs ANALYZE, so these stay as written.
    sql: `
      CREATE INDEX ioc_rules_type ON ioc_rules (tenant_id, type);
      ANALYZE sqlite_schema;
      DELETE FROM sqlite_stat1 WHERE tbl = 'ioc_rules';
      INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
        ('ioc_rules', 'sqlite_autoindex_ioc_rules_1', '1000000 100000 1'),
        ('ioc_rules', 'ioc_rules_value', '1000000 100000 1'),
        ('ioc_rules', 'ioc_rules_type', '1000000 100000 20000');
      ANALYZE sqlite_schema;
    `,
  },
  {
    version: 6,
    name: "audit: refused writes with result and reason, deletes of keys and tenants, append-only log",
    sql: AUDIT_HARDENING_MIGRATION,
  },
  {
    version: 7,
    name: "tenant names unique without regard to case",
    // Tenants whose names already differ only in case (made by an older version) keep their
    // names and are still found by them exactly; no new one may join them. A unique index on
    // lower(name) would refuse to build over such a store, so triggers keep the rule instead.
    sql: `
      CREATE INDEX tenants_name_lower ON tenants (lower(name));
      CREATE TRIGGER tenants_name_nocase_insert BEFORE INSERT ON tenants
      WHEN EXISTS (SELECT 1 FROM tenants WHERE lower(name) = lower(NEW.name)) BEGIN
        SELECT RAISE(ABORT, 'a tenant of that name already exists (names are unique without regard to case)');
      END;
      CREATE TRIGGER tenants_name_nocase_update BEFORE UPDATE OF name ON tenants
      WHEN EXISTS (SELECT 1 FROM tenants WHERE lower(name) = lower(NEW.name) AND id <> NEW.id) BEGIN
        SELECT RAISE(ABORT, 'a tenant of that name already exists (names are unique without regard to case)');
      END;
    `,
  },
  {
    version: 8,
    name: "IOC source names bound to the key that writes under them",
    // x-iocs-source names a feed whose rules sync_tim_iocs replaces; the first key to write under
    // a name holds it (until it is revoked or expires), so no other key can replace its rules.
    sql: `
      CREATE TABLE ioc_source_keys (
        tenant_id INTEGER NOT NULL REFERENCES tenants (id),
        source TEXT NOT NULL,
        key_id INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, source)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 9,
    name: "audit: a write's rule changes packed into one row, read one entry per rule through audit_entries",
    sql: AUDIT_PACKING_MIGRATION,
  },
  {
    version: 10,
    name: "correlation rules, their execution state, correlation alert details",
    sql: CORRELATION_MIGRATION,
  },
  {
    version: 11,
    name: "links from imported intelligence objects to the IOC rules they made; TAXII feeds",
    sql: INTEL_LINKS_MIGRATION,
  },
  {
    version: 12,
    name: "alert delivery: webhook and syslog targets, the outbox filled with the alerts, dead letters",
    sql: DELIVERY_MIGRATION,
  },
  {
    version: 13,
    name: "retention: per-tenant ages for alerts and the audit log; audit prune windows",
    sql: RETENTION_MIGRATION,
  },
  {
    version: 14,
    name: "alerts from the JetStream consumer keyed by message and line, so a redelivery raises none twice",
    sql: STREAM_ALERT_KEY_MIGRATION,
  },
  {
    version: 15,
    name: "correlation states of a stream message folded once, and suppressions claimed by message",
    sql: STREAM_FOLD_MIGRATION,
  },
  {
    version: 16,
    name: "webhook secrets rotated with an overlap: the previous secret kept until a time",
    sql: webhookRotationMigration("BLOB"),
  },
  {
    version: 17,
    name: "audit: one trigger per rule table and event; a store-recorded change costs one call, checked by SQLite's change count",
    sql: RULE_TRIGGER_MIGRATION,
  },
];
