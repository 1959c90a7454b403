import type { IntelLink, IntelLinkStore } from "../ports.ts";
import type { SqliteDb } from "./sqlite-database.ts";

/**
 * No foreign key to ioc_rules: a rule deleted through the API leaves its link, which then reads
 * as not live (the next import of the object makes the rule again) and is replaced when saved.
 */
export const INTEL_LINKS_MIGRATION = `
  CREATE TABLE intel_links (
    tenant_id INTEGER NOT NULL REFERENCES tenants (id),
    external_id TEXT NOT NULL,
    part TEXT NOT NULL,
    rule_id INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    PRIMARY KEY (tenant_id, external_id, part)
  ) WITHOUT ROWID;
  CREATE INDEX intel_links_rule ON intel_links (tenant_id, rule_id);
`;

interface LinkRow {
  external_id: string;
  part: string;
  rule_id: number;
  fingerprint: string;
  live?: number;
}

const toLink = (row: LinkRow) => ({
  externalId: row.external_id,
  part: row.part,
  ruleId: row.rule_id,
  fingerprint: row.fingerprint,
});

/** CROSS JOIN keeps the wanted list outside, so each wanted id is one primary-key probe (SQLite plans no better for json_each). */
export function sqliteIntelLinkStore(db: SqliteDb): IntelLinkStore {
  const find = db.prepare(
    `SELECT l.external_id, l.part, l.rule_id, l.fingerprint, r.rule_id IS NOT NULL AS live
     FROM json_each(?) AS wanted CROSS JOIN intel_links l ON l.tenant_id = ? AND l.external_id = wanted.value
     LEFT JOIN ioc_rules r ON r.tenant_id = l.tenant_id AND r.rule_id = l.rule_id`,
  );
  const save = db.prepare(
    `INSERT INTO intel_links (tenant_id, external_id, part, rule_id, fingerprint) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (tenant_id, external_id, part) DO UPDATE SET rule_id = excluded.rule_id, fingerprint = excluded.fingerprint`,
  );
  const remove = db.prepare("DELETE FROM intel_links WHERE tenant_id = ? AND external_id = ? AND part = ?");
  const ofRules = db.prepare(
    `SELECT l.external_id, l.part, l.rule_id, l.fingerprint FROM json_each(?) AS wanted
     CROSS JOIN intel_links l ON l.tenant_id = ? AND l.rule_id = wanted.value`,
  );
  const saveAll = db.transaction((tenantId: number, links: readonly IntelLink[]) => {
    for (const link of links) save.run(tenantId, link.externalId, link.part, link.ruleId, link.fingerprint);
  });
  const removeAll = db.transaction((tenantId: number, links: readonly Pick<IntelLink, "externalId" | "part">[]) => {
    for (const link of links) remove.run(tenantId, link.externalId, link.part);
  });
  return {
    findIntelLinks: async (tenantId, externalIds) =>
      (find.all(JSON.stringify(externalIds), tenantId) as LinkRow[]).map((row) => ({
        ...toLink(row),
        live: row.live === 1,
      })),
    saveIntelLinks: async (tenantId, links) => saveAll(tenantId, links),
    removeIntelLinks: async (tenantId, links) => removeAll(tenantId, links),
    intelLinksOfRules: async (tenantId, ruleIds) =>
      (ofRules.all(JSON.stringify(ruleIds), tenantId) as LinkRow[]).map(toLink),
  };
}
