import type { MatchableBioc, MatchableIoc, RuleSetStore } from "../ports.ts";
import type { SqliteDb } from "./sqlite-database.ts";
import { sqliteRuleVersion } from "./sqlite-rule-version.ts";

/** Reads a tenant's enabled rules for the engine, streaming the IOCs so a million fit in memory once. */
export function sqliteRuleSetStore(db: SqliteDb): RuleSetStore {
  const version = sqliteRuleVersion(db);
  const iocs = db.prepare(
    `SELECT rule_id AS ruleId, canonical, indicator, type, severity, expiration_date AS expirationDate
     FROM ioc_rules WHERE tenant_id = ? AND enabled = 1`,
  );
  const biocs = db.prepare(
    `SELECT rule_id, name, severity, is_xql, indicator FROM bioc_rules
     WHERE tenant_id = ? AND lower(status) = 'enabled' ORDER BY rule_id`,
  );
  return {
    ruleSetVersion: async (tenantId) => version.read(tenantId),
    forEachMatchableIoc: async (tenantId, visit) => {
      for (const row of iocs.iterate(tenantId)) visit(row as MatchableIoc);
    },
    listMatchableBiocs: async (tenantId) =>
      (
        biocs.all(tenantId) as {
          rule_id: number;
          name: string;
          severity: MatchableBioc["severity"];
          is_xql: number;
          indicator: string;
        }[]
      ).map((row) => ({
        ruleId: row.rule_id,
        name: row.name,
        severity: row.severity,
        isXql: row.is_xql === 1,
        indicator: JSON.parse(row.indicator),
      })),
  };
}
