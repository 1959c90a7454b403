import type { IntelFeed, IntelFeedStore } from "../ports.ts";
import type { SqliteDb } from "./sqlite-database.ts";

const COLUMNS = `id, tenant_id AS tenantId, name, url, collection_id AS collectionId, username,
  sealed_password AS sealedPassword, poll_seconds AS pollSeconds, added_after AS addedAfter,
  last_pull_at AS lastPullAt, last_error AS lastError, last_summary AS lastSummary`;

export function sqliteIntelFeedStore(db: SqliteDb): IntelFeedStore {
  const insert = db.prepare(
    `INSERT INTO intel_feeds (tenant_id, name, url, collection_id, username, sealed_password, poll_seconds)
     VALUES (@tenantId, @name, @url, @collectionId, @username, @sealedPassword, @pollSeconds)
     ON CONFLICT (tenant_id, name) DO NOTHING RETURNING id`,
  );
  const one = db.prepare(`SELECT ${COLUMNS} FROM intel_feeds WHERE id = ?`);
  const ofTenant = db.prepare(`SELECT ${COLUMNS} FROM intel_feeds WHERE tenant_id = ? ORDER BY name`);
  const all = db.prepare(`SELECT ${COLUMNS} FROM intel_feeds ORDER BY id`);
  const remove = db.prepare("DELETE FROM intel_feeds WHERE tenant_id = ? AND name = ?");
  const record = db.prepare(
    `UPDATE intel_feeds SET added_after = @addedAfter, last_pull_at = @lastPullAt, last_error = @lastError,
     last_summary = @lastSummary WHERE id = @id`,
  );
  return {
    createFeed: async (feed) => {
      const row = insert.get(feed) as { id: number } | undefined;
      return row && (one.get(row.id) as IntelFeed);
    },
    listFeeds: async (tenantId) => (tenantId === null ? all.all() : ofTenant.all(tenantId)) as IntelFeed[],
    deleteFeed: async (tenantId, name) => remove.run(tenantId, name).changes > 0,
    recordPull: async (id, pull) => {
      record.run({ id, ...pull });
    },
  };
}
