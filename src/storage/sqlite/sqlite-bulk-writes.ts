/**
 * Bulk IOC writes on a connection of their own (issue 18, item 8): a 100,000-item insert in one
 * transaction on the main thread held every other request, health checks included, for seconds.
 * Here it is written in chunks that yield to the event loop between them, still in one
 * transaction, so the caller gets one atomic result while readers on the main connection go on
 * seeing the last committed state (WAL) and other writes wait at the write gate.
 */
import type { IocDraft } from "../../domain/ioc/ioc-model.ts";
import type { UpsertOutcome, WriteContext } from "../ports.ts";
import { sqliteChunkedWrite } from "./sqlite-audit.ts";
import { openSqlite, type SqliteDb } from "./sqlite-database.ts";
import { type IocUpserter, sqliteIocUpserter, UPSERT_CHUNK } from "./sqlite-ioc-upsert.ts";

/** Writes of more drafts than this go in chunks; smaller ones are quicker in one step. */
export const BULK_DRAFTS = 5_000;

export interface SqliteBulkWrites {
  upsertIocs(tenantId: number, drafts: readonly IocDraft[], ctx: WriteContext): Promise<UpsertOutcome[]>;
  close(): void;
}

export function sqliteBulkWrites(path: string): SqliteBulkWrites {
  let opened: { db: SqliteDb; upserter: IocUpserter } | undefined;
  // opened at the first bulk write: most processes (the CLI, small servers) never make one
  const connection = () => {
    if (!opened) {
      const db = openSqlite(path);
      opened = { db, upserter: sqliteIocUpserter(db) };
    }
    return opened;
  };
  return {
    upsertIocs: (tenantId, drafts, ctx) => {
      const { db, upserter } = connection();
      return sqliteChunkedWrite(db, ctx, upserter.steps(tenantId, drafts, ctx, UPSERT_CHUNK));
    },
    close: () => {
      if (opened?.db.open) opened.db.close();
    },
  };
}
