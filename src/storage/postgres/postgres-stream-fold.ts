import type pg from "pg";
import type { StreamFold } from "../stream-ports.ts";
import { insertCorrelationPartials } from "./postgres-correlation-store.ts";

/**
 * Adds a stream message's correlation states unless its key says they were added before
 * (stream-fold-migration.ts). Runs inside the caller's transaction, with the message's alerts;
 * two nodes given the same message both try the key, and the second waits for the first, then adds nothing.
 */
export async function postgresStreamFold(client: pg.PoolClient, tenantId: number, fold: StreamFold): Promise<void> {
  if (fold.partials.length === 0) return;
  const claimed = await client.query(
    "INSERT INTO stream_folds (tenant_id, message_key, folded_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    [tenantId, fold.messageKey, fold.at],
  );
  if (claimed.rowCount === 0) return; // folded when it came before
  await insertCorrelationPartials(client, tenantId, fold.partials);
}
