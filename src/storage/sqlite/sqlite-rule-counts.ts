import { COUNT_RULES_SQL, type RuleCount, type RuleCountStore } from "../rule-counts.ts";
import type { SqliteDb } from "./sqlite-database.ts";

export function sqliteRuleCountStore(db: SqliteDb): RuleCountStore {
  const counts = db.prepare<[], RuleCount>(COUNT_RULES_SQL);
  return { countRules: async () => counts.all() };
}
