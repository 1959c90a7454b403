/**
 * Correlation rules on stream events (docs/stream.md). A SCHEDULED rule folds events into stored
 * states, which a redelivered message would fold a second time: each message's states are written
 * with its key in stream_folds, in the transaction that stores its alerts, and a message whose key
 * is there already folds nothing. A suppression claimed for a message keeps that message's key, so
 * its redelivery (after a store failure between claim and alert) may claim it again.
 * The same SQL on SQLite and PostgreSQL.
 */
export const STREAM_FOLD_MIGRATION = `
  CREATE TABLE stream_folds (
    tenant_id BIGINT NOT NULL,
    message_key TEXT NOT NULL,
    folded_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, message_key)
  );
  CREATE INDEX stream_folds_age ON stream_folds (folded_at);
  ALTER TABLE correlation_suppressions ADD COLUMN claimant TEXT;
`;
