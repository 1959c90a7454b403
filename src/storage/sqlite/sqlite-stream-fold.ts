import type { StreamFold } from "../stream-ports.ts";
import { sqlitePartialsAdder } from "./sqlite-correlation-store.ts";
import type { SqliteDb } from "./sqlite-database.ts";

/**
 * Adds a stream message's correlation states unless its key says they were added before
 * (stream-fold-migration.ts). Runs inside the caller's transaction, with the message's alerts.
 */
export function sqliteStreamFold(db: SqliteDb): (tenantId: number, fold: StreamFold) => void {
  const claim = db.prepare(
    "INSERT INTO stream_folds (tenant_id, message_key, folded_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
  );
  const add = sqlitePartialsAdder(db);
  return (tenantId, { messageKey, partials, at }) => {
    if (partials.length === 0) return;
    if (claim.run(tenantId, messageKey, at).changes === 0) return; // folded when it came before
    add(tenantId, partials);
  };
}
