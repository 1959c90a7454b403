import type { Statement } from "better-sqlite3";
import type { SqliteDb } from "./sqlite-database.ts";

/** Rows per INSERT statement: 100 rows of 17 values stay far below SQLite's 32,766 bound parameters. */
const ROWS_PER_STATEMENT = 100;

/**
 * Inserts many rows with one `INSERT ... VALUES (...), (...), ...` per hundred: each statement run
 * from JavaScript costs a few microseconds of its own, and SQLite sets up a row trigger's program
 * once per statement, so a bulk write of single-row INSERTs paid both on every rule (issue 13).
 * Statements are prepared once per row count. Returns the rows SQLite reports inserted.
 */
export function multiRowInsert(db: SqliteDb, table: string, columns: readonly string[]) {
  const prepared = new Map<number, Statement>();
  const row = `(${columns.map(() => "?").join(", ")})`;
  const statement = (rows: number) => {
    let made = prepared.get(rows);
    if (!made) {
      made = db.prepare(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${Array(rows).fill(row).join(", ")}`);
      prepared.set(rows, made);
    }
    return made;
  };
  /** `values` holds the rows one after the other, `columns.length` values each. */
  return (values: readonly unknown[]): number => {
    const width = columns.length;
    const rows = values.length / width;
    let inserted = 0;
    for (let from = 0; from < rows; from += ROWS_PER_STATEMENT) {
      const count = Math.min(ROWS_PER_STATEMENT, rows - from);
      inserted += statement(count).run(values.slice(from * width, (from + count) * width)).changes;
    }
    return inserted;
  };
}
