/** How many rules each tenant holds of each kind, for the `warden_rules` metric (src/metrics). */
export interface RuleCount {
  tenant: string;
  kind: "ioc" | "bioc" | "correlation";
  count: number;
}

export interface RuleCountStore {
  /** One grouped count per rule table; tenants without rules of a kind are left out. */
  countRules(): Promise<RuleCount[]>;
}

/** The same query on both dialects: each table's primary key begins with tenant_id, so each count reads one index. */
export const COUNT_RULES_SQL = ["ioc", "bioc", "correlation"]
  .map(
    (kind) =>
      `SELECT t.name AS tenant, '${kind}' AS kind, c.n AS count FROM
         (SELECT tenant_id, count(*) AS n FROM ${kind}_rules GROUP BY tenant_id) AS c
         JOIN tenants AS t ON t.id = c.tenant_id`,
  )
  .join(" UNION ALL ");
