import type pg from "pg";
import { COUNT_RULES_SQL, type RuleCount, type RuleCountStore } from "../rule-counts.ts";

export function postgresRuleCountStore(pool: pg.Pool): RuleCountStore {
  return {
    // count(*) is BIGINT, which the pool's type parser turns into a number
    countRules: async () => (await pool.query<RuleCount>(COUNT_RULES_SQL)).rows,
  };
}
