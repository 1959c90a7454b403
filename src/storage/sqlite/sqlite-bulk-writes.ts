/**
 * Bulk IOC writes on a connection of their own (issue 18, item 8): a 100,000-item insert in one
 * transaction on the main thread held every other request, health checks included, for seconds.
 * Here it is written in chunks that yield to the event loop between them, still in one
 * transaction, so the caller gets one atomic result while readers on the main connection go on
 * seeing the last committed state (WAL) and other writes wait at the write gate.
 */
import type { IocDraft } from "../../domain/ioc/ioc-model.ts";
import type { IocRow } from "../ioc-rows.ts";
import type { IocStore, UpsertOutcome, WriteContext } from "../ports.ts";
import { sqliteChunkedWrite } from "./sqlite-audit.ts";
import { openSqlite, type SqliteDb } from "./sqlite-database.ts";
import { sqliteDraftLinks, type WithLinks } from "./sqlite-draft-links.ts";
import { sqliteIocChanges } from "./sqlite-ioc-changes.ts";
import { type IocUpserter, sqliteIocUpserter, UPSERT_CHUNK } from "./sqlite-ioc-upsert.ts";

/** Writes of more drafts than this go in chunks; smaller ones are quicker in one step. */
export const BULK_DRAFTS = 5_000;

export interface SqliteBulkWrites {
  upsertIocs(tenantId: number, drafts: readonly IocDraft[], ctx: WriteContext): Promise<UpsertOutcome[]>;
  replaceIocsOfSource: IocStore["replaceIocsOfSource"];
  close(): void;
}

export function sqliteBulkWrites(path: string): SqliteBulkWrites {
  let opened: { db: SqliteDb; upserter: IocUpserter; replacer: SourceReplacer; withLinks: WithLinks } | undefined;
  // opened at the first bulk write: most processes (the CLI, small servers) never make one
  const connection = () => {
    if (!opened) {
      const db = openSqlite(path);
      const upserter = sqliteIocUpserter(db);
      opened = { db, upserter, replacer: sourceReplacer(db, upserter), withLinks: sqliteDraftLinks(db) };
    }
    return opened;
  };
  return {
    upsertIocs: (tenantId, drafts, ctx) => {
      const { db, upserter, withLinks } = connection();
      return sqliteChunkedWrite(db, ctx, withLinks(tenantId, ctx, upserter.steps(tenantId, drafts, ctx, UPSERT_CHUNK)));
    },
    replaceIocsOfSource: (tenantId, drafts, ctx) => {
      const { db, replacer } = connection();
      return sqliteChunkedWrite(db, ctx, replacer(tenantId, drafts, ctx));
    },
    close: () => {
      if (opened?.db.open) opened.db.close();
    },
  };
}

type SourceReplacer = (
  tenantId: number,
  drafts: readonly IocDraft[],
  ctx: WriteContext,
) => Generator<void, { outcomes: UpsertOutcome[]; deleted: number }>;

/** `replaceIocsOfSource` (sync_tim_iocs) as steps: the source's rules not in the file deleted, then the upsert. */
function sourceReplacer(db: SqliteDb, upserter: IocUpserter): SourceReplacer {
  const changes = sqliteIocChanges(db);
  const ofSource = db.prepare("SELECT * FROM ioc_rules WHERE tenant_id = ? AND source = ?");
  const drop = db.prepare("DELETE FROM ioc_rules WHERE tenant_id = ? AND rule_id = ?");
  return function* (tenantId, drafts, ctx) {
    const kept = new Set(drafts.map((d) => d.canonical));
    const gone = (ofSource.all(tenantId, ctx.source) as IocRow[]).filter((row) => !kept.has(row.canonical));
    for (let from = 0; from < gone.length; from += UPSERT_CHUNK) {
      const rows = gone.slice(from, from + UPSERT_CHUNK);
      for (const row of rows) drop.run(tenantId, row.rule_id);
      changes.bury(tenantId, rows, ctx.now);
      yield;
    }
    const outcomes = yield* upserter.steps(tenantId, drafts, ctx, UPSERT_CHUNK);
    return { outcomes, deleted: gone.length };
  };
}
