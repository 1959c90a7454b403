import type { Statement } from "better-sqlite3";
import type { SqliteDb } from "./sqlite-database.ts";

/** Filtered queries vary by the fields used; preparing each shape once saves most of a small query's cost. */
export function statementCache(db: SqliteDb, maxEntries = 256): (sql: string) => Statement {
  const cache = new Map<string, Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (!statement) {
      if (cache.size >= maxEntries) cache.clear();
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
}
