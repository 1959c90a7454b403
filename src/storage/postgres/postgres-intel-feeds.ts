import type pg from "pg";
import type { IntelFeed, IntelFeedStore } from "../ports.ts";

const COLUMNS = `id, tenant_id AS "tenantId", name, url, collection_id AS "collectionId", username,
  sealed_password AS "sealedPassword", poll_seconds AS "pollSeconds", added_after AS "addedAfter",
  last_pull_at AS "lastPullAt", last_error AS "lastError", last_summary AS "lastSummary"`;

export function postgresIntelFeedStore(pool: pg.Pool): IntelFeedStore {
  return {
    createFeed: async (feed) => {
      const { rows } = await pool.query<IntelFeed>(
        `INSERT INTO intel_feeds (tenant_id, name, url, collection_id, username, sealed_password, poll_seconds)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (tenant_id, name) DO NOTHING RETURNING ${COLUMNS}`,
        [feed.tenantId, feed.name, feed.url, feed.collectionId, feed.username, feed.sealedPassword, feed.pollSeconds],
      );
      return rows[0];
    },
    listFeeds: async (tenantId) => {
      const where = tenantId === null ? "" : "WHERE tenant_id = $1";
      const order = tenantId === null ? "ORDER BY id" : "ORDER BY name";
      const { rows } = await pool.query<IntelFeed>(
        `SELECT ${COLUMNS} FROM intel_feeds ${where} ${order}`,
        tenantId === null ? [] : [tenantId],
      );
      return rows;
    },
    deleteFeed: async (tenantId, name) => {
      const { rowCount } = await pool.query("DELETE FROM intel_feeds WHERE tenant_id = $1 AND name = $2", [
        tenantId,
        name,
      ]);
      return (rowCount ?? 0) > 0;
    },
    recordPull: async (id, pull) => {
      await pool.query(
        "UPDATE intel_feeds SET added_after = $2, last_pull_at = $3, last_error = $4, last_summary = $5 WHERE id = $1",
        [id, pull.addedAfter, pull.lastPullAt, pull.lastError, pull.lastSummary],
      );
    },
  };
}
