/**
 * Migration 12 of the PostgreSQL schema (issue 17, items 4 and 5).
 *
 * Limits shared across nodes: a token bucket per API key and a failed-authentication window per
 * client address or key id, each one row updated atomically by whichever node served the request
 * (postgres-limits.ts). UNLOGGED: they are counters of the last seconds, not worth a WAL write,
 * and a crash that empties them only forgives a minute of failures.
 *
 * Retention: per-tenant ages for alerts and the audit log (tenant_retention; NULL takes the
 * server's default, 0 keeps forever). The audit log stays append-only; a row may leave only
 * through a prune: the pruning transaction records a window (tenant, cutoff, its own transaction
 * id) and the row trigger lets through deletes of that tenant's rows older than the cutoff, in that
 * transaction alone. UPDATE and TRUNCATE are refused as before. A prune takes the oldest entries
 * (a prefix of the tenant's log), so AUDIT_IDs, numbered from audit_pruned's count, never move.
 */
export const POSTGRES_OPS_MIGRATION = `
  CREATE UNLOGGED TABLE limit_buckets (
    name TEXT PRIMARY KEY,
    tokens DOUBLE PRECISION NOT NULL,
    at BIGINT NOT NULL,
    granted BOOLEAN NOT NULL
  );
  CREATE UNLOGGED TABLE auth_failure_windows (
    name TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    started_at BIGINT NOT NULL
  );

  CREATE TABLE tenant_retention (
    tenant_id BIGINT PRIMARY KEY REFERENCES tenants (id),
    alerts_days INTEGER,
    audit_days INTEGER
  );
  CREATE INDEX alerts_time ON alerts (tenant_id, detection_timestamp);

  -- entries pruned so far per tenant: AUDIT_IDs count on from them, so no entry's id moves
  CREATE TABLE audit_pruned (
    tenant_id BIGINT PRIMARY KEY,
    entries BIGINT NOT NULL
  );

  CREATE TABLE audit_prune_windows (
    txid BIGINT NOT NULL,
    tenant_id BIGINT NOT NULL,
    cutoff BIGINT NOT NULL
  );
  CREATE INDEX audit_prune_windows_txid ON audit_prune_windows (txid);

  DROP TRIGGER audit_log_append_only ON audit_log;
  CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
  CREATE FUNCTION audit_log_prune_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF EXISTS (SELECT 1 FROM audit_prune_windows AS w
               WHERE w.txid = txid_current() AND w.tenant_id = OLD.tenant_id AND OLD.at < w.cutoff) THEN
      RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only (old entries leave only through warden audit prune)'
      USING ERRCODE = 'insufficient_privilege';
  END $$;
  CREATE TRIGGER audit_log_prune_only BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_prune_only();
`;
