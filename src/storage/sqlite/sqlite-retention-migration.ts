/**
 * Migration 13 of the SQLite schema (issue 17, item 4): retention.
 *
 * Per-tenant ages for alerts and the audit log (tenant_retention; NULL takes the server's default,
 * 0 keeps forever). The audit log stays append-only; a row may leave only through a prune, whose
 * transaction writes a window (tenant, cutoff), deletes that tenant's rows older than the cutoff,
 * and removes the window before it commits, so no window outlives the transaction that made it.
 * UPDATE is refused as before. A prune takes the oldest entries (a prefix of the tenant's log),
 * so AUDIT_IDs, numbered on from audit_pruned's count, never move.
 */
export const RETENTION_MIGRATION = `
  CREATE TABLE tenant_retention (
    tenant_id INTEGER PRIMARY KEY REFERENCES tenants (id),
    alerts_days INTEGER,
    audit_days INTEGER
  );
  CREATE INDEX alerts_time ON alerts (tenant_id, detection_timestamp);

  -- entries pruned so far per tenant: AUDIT_IDs count on from them, so no entry's id moves
  CREATE TABLE audit_pruned (
    tenant_id INTEGER PRIMARY KEY,
    entries INTEGER NOT NULL
  );

  CREATE TABLE audit_prune_windows (
    tenant_id INTEGER NOT NULL,
    cutoff INTEGER NOT NULL
  );

  DROP TRIGGER audit_log_no_delete;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  WHEN NOT EXISTS (SELECT 1 FROM audit_prune_windows AS w WHERE w.tenant_id = OLD.tenant_id AND OLD.at < w.cutoff)
  BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only (old entries leave only through warden audit prune)');
  END;
`;
