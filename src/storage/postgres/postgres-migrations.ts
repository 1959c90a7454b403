import type { Migration } from "../sqlite/sqlite-migrations.ts";
import { STREAM_ALERT_KEY_MIGRATION } from "../stream-alert-migration.ts";
import { STREAM_FOLD_MIGRATION } from "../stream-fold-migration.ts";
import { webhookRotationMigration } from "../webhook-rotation-migration.ts";
import { POSTGRES_AUDIT_HARDENING_MIGRATION } from "./postgres-audit-hardening-migration.ts";
import { POSTGRES_AUDIT_MIGRATION } from "./postgres-audit-migration.ts";
import { POSTGRES_CORRELATION_MIGRATION } from "./postgres-correlation-migration.ts";
import { POSTGRES_DELIVERY_MIGRATION } from "./postgres-delivery-store.ts";
import { POSTGRES_INTEL_LINKS_MIGRATION } from "./postgres-intel-links.ts";
import { POSTGRES_OPS_MIGRATION } from "./postgres-ops-migration.ts";

/**
 * The PostgreSQL schema: the same tables as SQLite's, in PostgreSQL's types. The value
 * uniqueness of IOC rules is checked at commit, since one request may move values between rules.
 */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "tenants, keys, nonces, rules, change feed, expiry, alerts",
    sql: `
      CREATE TABLE tenants (
        id BIGSERIAL PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        license TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        next_ioc_rule_id BIGINT NOT NULL DEFAULT 1,
        next_bioc_rule_id BIGINT NOT NULL DEFAULT 1,
        next_alert_id BIGINT NOT NULL DEFAULT 1,
        rules_version BIGINT NOT NULL DEFAULT 0
      );
      CREATE TABLE api_keys (
        id BIGSERIAL PRIMARY KEY,
        tenant_id BIGINT NOT NULL REFERENCES tenants (id),
        role TEXT NOT NULL,
        security TEXT NOT NULL,
        secret_hash BYTEA,
        sealed_secret BYTEA,
        created_at BIGINT NOT NULL,
        expires_at BIGINT,
        revoked_at BIGINT
      );
      CREATE TABLE nonces (
        key_id BIGINT NOT NULL,
        nonce TEXT NOT NULL,
        expires_at BIGINT NOT NULL,
        PRIMARY KEY (key_id, nonce)
      );
      CREATE INDEX nonces_expiry ON nonces (expires_at);
      CREATE TABLE ioc_rules (
        tenant_id BIGINT NOT NULL REFERENCES tenants (id),
        rule_id BIGINT NOT NULL,
        indicator TEXT NOT NULL,
        canonical TEXT NOT NULL,
        type TEXT NOT NULL,
        severity TEXT NOT NULL,
        expiration_date BIGINT NOT NULL,
        default_expiration_enabled BOOLEAN NOT NULL,
        comment TEXT NOT NULL,
        reputation TEXT NOT NULL,
        reliability TEXT,
        vendors JSONB,
        klass TEXT,
        enabled BOOLEAN NOT NULL DEFAULT TRUE,
        creation_time BIGINT NOT NULL,
        modification_time BIGINT NOT NULL,
        source TEXT NOT NULL,
        number_of_issues BIGINT NOT NULL DEFAULT 0,
        expiry_base BIGINT NOT NULL,
        PRIMARY KEY (tenant_id, rule_id),
        CONSTRAINT ioc_rules_value UNIQUE (tenant_id, canonical) DEFERRABLE INITIALLY DEFERRED
      );
      CREATE TABLE tenant_ioc_expiry (
        tenant_id BIGINT NOT NULL REFERENCES tenants (id),
        ioc_type TEXT NOT NULL,
        days INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, ioc_type)
      );
      CREATE TABLE ioc_tombstones (
        tenant_id BIGINT NOT NULL,
        rule_id BIGINT NOT NULL,
        deleted_at BIGINT NOT NULL,
        rule JSONB NOT NULL
      );
      CREATE INDEX ioc_tombstones_time ON ioc_tombstones (tenant_id, deleted_at);
      CREATE TABLE bioc_rules (
        tenant_id BIGINT NOT NULL REFERENCES tenants (id),
        rule_id BIGINT NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        severity TEXT NOT NULL,
        comment TEXT NOT NULL,
        status TEXT NOT NULL,
        is_xql BOOLEAN NOT NULL,
        indicator JSONB NOT NULL,
        mitre_tactic_id_and_name JSONB NOT NULL,
        mitre_technique_id_and_name JSONB NOT NULL,
        creation_time BIGINT NOT NULL,
        modification_time BIGINT NOT NULL,
        source TEXT NOT NULL,
        number_of_issues BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (tenant_id, rule_id)
      );
      CREATE TABLE alerts (
        tenant_id BIGINT NOT NULL REFERENCES tenants (id),
        alert_id BIGINT NOT NULL,
        detection_timestamp BIGINT NOT NULL,
        source TEXT NOT NULL,
        rule_id BIGINT NOT NULL,
        name TEXT NOT NULL,
        severity TEXT NOT NULL,
        field TEXT NOT NULL,
        value TEXT NOT NULL,
        event TEXT NOT NULL,
        PRIMARY KEY (tenant_id, alert_id)
      );
    `,
  },
  {
    version: 2,
    name: "audit log, written by triggers in the same transaction as each change",
    sql: POSTGRES_AUDIT_MIGRATION,
  },
  {
    version: 3,
    name: "index on IOC type",
    // as on SQLite: a get filtered by type counts its matches without reading the whole table
    sql: "CREATE INDEX ioc_rules_type ON ioc_rules (tenant_id, type);",
  },
  {
    version: 4,
    name: "audit: refused writes with result and reason, deletes of keys and tenants, append-only log",
    sql: POSTGRES_AUDIT_HARDENING_MIGRATION,
  },
  {
    version: 5,
    name: "tenant names unique without regard to case",
    // As SQLite's migration 7: tenants whose names already differ only in case keep them, and
    // no new one may join them. The lock makes two concurrent creations check one after the other.
    sql: `
      CREATE INDEX tenants_name_lower ON tenants (lower(name));
      CREATE FUNCTION tenants_name_nocase() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('warden tenant names'));
        IF EXISTS (SELECT 1 FROM tenants WHERE lower(name) = lower(NEW.name) AND id <> NEW.id) THEN
          RAISE EXCEPTION 'a tenant of that name already exists (names are unique without regard to case)'
            USING ERRCODE = 'unique_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER tenants_name_nocase BEFORE INSERT OR UPDATE OF name ON tenants
        FOR EACH ROW EXECUTE FUNCTION tenants_name_nocase();
    `,
  },
  {
    version: 6,
    name: "IOC source names bound to the key that writes under them",
    // as SQLite's migration 8
    sql: `
      CREATE TABLE ioc_source_keys (
        tenant_id BIGINT NOT NULL REFERENCES tenants (id),
        source TEXT NOT NULL,
        key_id BIGINT NOT NULL,
        PRIMARY KEY (tenant_id, source)
      );
    `,
  },
  {
    version: 7,
    name: "audit_entries: the audit log one entry per change, as on SQLite",
    // SQLite packs a write's rule changes into one row (its migration 9) and reads them through a
    // view of this name; here the statement-level triggers already write one row per change, so
    // the view is the log itself, and both stores' readers share one query.
    sql: "CREATE VIEW audit_entries AS SELECT *, 0 AS item FROM audit_log;",
  },
  {
    version: 8,
    name: "correlation rules, their execution state, correlation alert details",
    // as SQLite's migration 10
    sql: POSTGRES_CORRELATION_MIGRATION,
  },
  {
    version: 9,
    name: "links from imported intelligence objects to the IOC rules they made; TAXII feeds",
    sql: POSTGRES_INTEL_LINKS_MIGRATION,
  },
  {
    version: 10,
    name: "the IOC change feed paged by key: indexes on each change time, rule id last",
    // TAXII pages and get_changes read the feed in (change time, rule id) order; with these a page
    // reads only its own rows instead of every rule the tenant has (postgres-ioc-change-page.ts).
    sql: `
      CREATE INDEX ioc_rules_written ON ioc_rules (tenant_id, modification_time, rule_id);
      CREATE INDEX ioc_rules_expiry ON ioc_rules (tenant_id, expiration_date, rule_id);
      CREATE INDEX ioc_tombstones_key ON ioc_tombstones (tenant_id, deleted_at, rule_id);
      DROP INDEX ioc_tombstones_time;
    `,
  },
  {
    version: 11,
    name: "alert delivery: webhook and syslog targets, the outbox filled with the alerts, dead letters",
    sql: POSTGRES_DELIVERY_MIGRATION,
  },
  {
    version: 12,
    name: "limits shared across nodes (unlogged counters); retention: per-tenant ages, audit prune windows",
    sql: POSTGRES_OPS_MIGRATION,
  },
  {
    version: 13,
    name: "alerts from the JetStream consumer keyed by message and line, so a redelivery raises none twice",
    // as SQLite's migration 14
    sql: STREAM_ALERT_KEY_MIGRATION,
  },
  {
    version: 14,
    name: "correlation states of a stream message folded once, and suppressions claimed by message",
    sql: STREAM_FOLD_MIGRATION,
  },
  {
    version: 15,
    name: "webhook secrets rotated with an overlap: the previous secret kept until a time",
    sql: webhookRotationMigration("BYTEA"),
  },
];
