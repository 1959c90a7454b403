import type pg from "pg";
import type { SharedLimitStore } from "../limit-ports.ts";

/**
 * One round trip each. The bucket's refill, the take and the answer happen in one upsert, under
 * the row lock PostgreSQL takes for it, so two nodes taking at once never both get the last token.
 * A node whose clock is behind the bucket's refills nothing rather than a negative amount.
 */
const LEVEL = "LEAST($2::float8, b.tokens + GREATEST(0, $4::bigint - b.at) / 1000.0 * $3::float8)";
const TAKE = `
  INSERT INTO limit_buckets AS b (name, tokens, at, granted) VALUES ($1, $2::float8 - 1, $4, true)
  ON CONFLICT (name) DO UPDATE SET
    tokens = CASE WHEN ${LEVEL} >= 1 THEN ${LEVEL} - 1 ELSE ${LEVEL} END,
    granted = ${LEVEL} >= 1,
    at = GREATEST(b.at, $4::bigint)
  RETURNING tokens, granted`;

const FAIL = `
  INSERT INTO auth_failure_windows AS w (name, count, started_at)
  SELECT name, 1, $2 FROM unnest($1::text[]) AS name
  ON CONFLICT (name) DO UPDATE SET
    count = CASE WHEN w.started_at + $3 <= $2 THEN 1 ELSE w.count + 1 END,
    started_at = CASE WHEN w.started_at + $3 <= $2 THEN $2 ELSE w.started_at END
  RETURNING count, started_at AS "startedAt"`;

export function postgresLimitStore(pool: pg.Pool): SharedLimitStore {
  return {
    takeToken: async (name, capacity, perSecond, now) => {
      const { rows } = await pool.query<{ tokens: number; granted: boolean }>(TAKE, [name, capacity, perSecond, now]);
      return rows[0] ?? { tokens: 0, granted: false };
    },
    countFailures: async (names, windowMs, now) =>
      (await pool.query<{ count: number; startedAt: number }>(FAIL, [names, now, windowMs])).rows,
    forgetIdle: async (before) => {
      await pool.query("DELETE FROM limit_buckets WHERE at < $1", [before]);
      await pool.query("DELETE FROM auth_failure_windows WHERE started_at < $1", [before]);
    },
  };
}
