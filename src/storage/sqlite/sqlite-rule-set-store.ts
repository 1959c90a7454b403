import type { IocType, Severity } from "../../domain/ioc/ioc-model.ts";
import type { MatchableBioc, RuleSetStore } from "../ports.ts";
import type { SqliteDb } from "./sqlite-database.ts";
import { sqliteRuleVersion } from "./sqlite-rule-version.ts";

/** IOC rules are read this many at a time, the event loop serving other requests in between. */
const PAGE = 2_000;

type IocRow = [
  ruleId: number,
  canonical: string,
  indicator: string | null,
  type: IocType,
  severity: Severity,
  expiry: number,
];

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Reads a tenant's enabled rules for the engine. The IOCs come in pages by rule id, so a rebuild
 * under load (10,000 rules take ~40 ms to read here) never holds up other requests for long, and
 * a million never sit in memory twice. Rows are read as arrays, and the stored spelling only where
 * it differs from the canonical value: most of a rebuild is making these values.
 */
export function sqliteRuleSetStore(db: SqliteDb): RuleSetStore {
  const version = sqliteRuleVersion(db);
  const iocs = db
    .prepare(
      `SELECT rule_id, canonical, CASE WHEN indicator = canonical THEN NULL ELSE indicator END, type, severity,
         expiration_date
       FROM ioc_rules WHERE tenant_id = ? AND enabled = 1 AND rule_id > ? ORDER BY rule_id LIMIT ${PAGE}`,
    )
    .raw();
  const biocs = db.prepare(
    `SELECT rule_id, name, severity, is_xql, indicator FROM bioc_rules
     WHERE tenant_id = ? AND lower(status) = 'enabled' ORDER BY rule_id`,
  );
  return {
    ruleSetVersion: async (tenantId) => version.read(tenantId),
    forEachMatchableIoc: async (tenantId, visit) => {
      for (let after = 0; ; await nextTurn()) {
        const rows = iocs.all(tenantId, after) as IocRow[];
        for (const [ruleId, canonical, indicator, type, severity, expirationDate] of rows)
          visit({ ruleId, canonical, indicator: indicator ?? canonical, type, severity, expirationDate });
        const last = rows[rows.length - 1];
        if (rows.length < PAGE || !last) return;
        after = last[0];
      }
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
