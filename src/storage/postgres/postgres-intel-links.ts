import type pg from "pg";
import type { IntelLink, IntelLinkStore } from "../ports.ts";
import type { PgClient } from "./postgres-database.ts";

/** As SQLite's (sqlite-intel-links.ts): no foreign key to ioc_rules, liveness read by a join. */
export const POSTGRES_INTEL_LINKS_MIGRATION = `
  CREATE TABLE intel_links (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    external_id TEXT NOT NULL,
    part TEXT NOT NULL,
    rule_id BIGINT NOT NULL,
    fingerprint TEXT NOT NULL,
    PRIMARY KEY (tenant_id, external_id, part)
  );
  CREATE INDEX intel_links_rule ON intel_links (tenant_id, rule_id);

  CREATE TABLE intel_feeds (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    name TEXT NOT NULL,
    url TEXT NOT NULL,
    collection_id TEXT NOT NULL,
    username TEXT,
    sealed_password BYTEA,
    poll_seconds BIGINT NOT NULL,
    added_after TEXT,
    last_pull_at BIGINT,
    last_error TEXT,
    last_summary TEXT,
    UNIQUE (tenant_id, name)
  );
`;

interface LinkRow {
  externalId: string;
  part: string;
  ruleId: number;
  fingerprint: string;
  live?: boolean;
}

const COLUMNS = 'l.external_id AS "externalId", l.part, l.rule_id AS "ruleId", l.fingerprint';

export function postgresIntelLinkStore(pool: pg.Pool): IntelLinkStore {
  return {
    findIntelLinks: async (tenantId, externalIds) => {
      const { rows } = await pool.query<LinkRow & { live: boolean }>(
        `SELECT ${COLUMNS}, r.rule_id IS NOT NULL AS live FROM intel_links l
         LEFT JOIN ioc_rules r ON r.tenant_id = l.tenant_id AND r.rule_id = l.rule_id
         WHERE l.tenant_id = $1 AND l.external_id = ANY($2::text[])`,
        [tenantId, externalIds],
      );
      return rows;
    },
    saveIntelLinks: (tenantId, links) => saveIntelLinksPg(pool, tenantId, links),
    removeIntelLinks: async (tenantId, links) => {
      if (links.length === 0) return;
      await pool.query(
        `DELETE FROM intel_links l USING unnest($2::text[], $3::text[]) AS gone (external_id, part)
         WHERE l.tenant_id = $1 AND l.external_id = gone.external_id AND l.part = gone.part`,
        [tenantId, links.map((l) => l.externalId), links.map((l) => l.part)],
      );
    },
    intelLinksOfRules: async (tenantId, ruleIds) => {
      const { rows } = await pool.query<LinkRow>(
        `SELECT ${COLUMNS} FROM intel_links l WHERE l.tenant_id = $1 AND l.rule_id = ANY($2::bigint[])`,
        [tenantId, ruleIds],
      );
      return rows;
    },
  };
}

/** Saves links on the pool, or on a client inside the caller's transaction (upsertIocs). */
export async function saveIntelLinksPg(db: PgClient, tenantId: number, links: readonly IntelLink[]): Promise<void> {
  if (links.length === 0) return;
  await db.query(
    `INSERT INTO intel_links (tenant_id, external_id, part, rule_id, fingerprint)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[])
     ON CONFLICT (tenant_id, external_id, part) DO UPDATE SET rule_id = excluded.rule_id, fingerprint = excluded.fingerprint`,
    [
      tenantId,
      links.map((l) => l.externalId),
      links.map((l) => l.part),
      links.map((l) => l.ruleId),
      links.map((l) => l.fingerprint),
    ],
  );
}
