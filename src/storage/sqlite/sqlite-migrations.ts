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
];
