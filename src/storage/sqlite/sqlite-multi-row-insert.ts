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
  const statement = statementsByRows(db, table, columns);
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

/** Rows the all-or-nothing insert takes at once: 250 rows of 17 values are 4,250 bound parameters. */
export const MAX_ROWS_AT_ONCE = 250;

/**
 * Inserts rows in ONE statement, or none of them when one would take a unique value already held
 * (SQLite rolls back that statement alone, and counts none of its rows in total_changes()): the
 * caller learns in one go that every value was new, where asking first cost a lookup per row.
 * Answers whether the rows went in; other errors throw.
 */
export function insertUnlessTaken(db: SqliteDb, table: string, columns: readonly string[]) {
  const statement = statementsByRows(db, table, columns);
  return (values: readonly unknown[]): boolean => {
    const rows = values.length / columns.length;
    if (rows > MAX_ROWS_AT_ONCE) throw new Error(`at most ${MAX_ROWS_AT_ONCE} rows at once`);
    try {
      statement(rows).run(values);
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === "SQLITE_CONSTRAINT_UNIQUE") return false;
      throw error;
    }
  };
}

/** One INSERT statement per row count, prepared at first use. */
function statementsByRows(db: SqliteDb, table: string, columns: readonly string[]): (rows: number) => Statement {
  const prepared = new Map<number, Statement>();
  const row = `(${columns.map(() => "?").join(", ")})`;
  return (rows) => {
    let made = prepared.get(rows);
    if (!made) {
      made = db.prepare(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${Array(rows).fill(row).join(", ")}`);
      prepared.set(rows, made);
    }
    return made;
  };
}
