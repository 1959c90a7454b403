/**
 * Alerts raised from the JetStream consumer carry a key naming their message and line (and the
 * hit rule and field), unique per tenant: a redelivered message then inserts nothing new. Alerts
 * from HTTP ingest have no key; the index skips them. The same SQL on SQLite and PostgreSQL.
 */
export const STREAM_ALERT_KEY_MIGRATION = `
  ALTER TABLE alerts ADD COLUMN stream_key TEXT;
  CREATE UNIQUE INDEX alerts_stream_key ON alerts (tenant_id, stream_key) WHERE stream_key IS NOT NULL;
`;
