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

/** Rows the all-or-nothing insert takes at once: 250 rows of 12 values are 3,000 bound parameters. */
export const MAX_ROWS_AT_ONCE = 250;

/** The columns of an all-or-nothing insert: those every row shares, bound once, and each row's own. */
export interface InsertShape {
  shared: readonly string[];
  perRow: readonly string[];
}

/**
 * Inserts rows in ONE statement, or none of them when one would take a unique value already held
 * (SQLite rolls back that statement alone, and counts none of its rows in total_changes()): the
 * caller learns in one go that every value was new, where asking first cost a lookup per row.
 * The shared columns (tenant, times, source) are bound once per statement rather than once per
 * row: binding was a tenth of a bulk insert's statement time. Answers whether the rows went in;
 * other errors throw.
 */
export function insertUnlessTaken(db: SqliteDb, table: string, shape: InsertShape) {
  const prepared = new Map<number, Statement>();
  const statement = (rows: number) => {
    let made = prepared.get(rows);
    if (!made) {
      made = db.prepare(sharedValuesInsert(table, shape, rows));
      prepared.set(rows, made);
    }
    return made;
  };
  /** `rowValues` holds the rows one after the other, `shape.perRow.length` values each. */
  return (sharedValues: readonly unknown[], rowValues: readonly unknown[]): boolean => {
    const rows = rowValues.length / shape.perRow.length;
    if (rows > MAX_ROWS_AT_ONCE) throw new Error(`at most ${MAX_ROWS_AT_ONCE} rows at once`);
    try {
      statement(rows).run(...sharedValues, rowValues);
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === "SQLITE_CONSTRAINT_UNIQUE") return false;
      throw error;
    }
  };
}

/** `INSERT INTO t (...) SELECT s.a, v.column1, ... FROM (SELECT ? AS a, ...) AS s, (VALUES (?, ...), ...) AS v` */
function sharedValuesInsert(table: string, { shared, perRow }: InsertShape, rows: number): string {
  const row = `(${perRow.map(() => "?").join(", ")})`;
  const picked = [...shared.map((name) => `s.${name}`), ...perRow.map((_, i) => `v.column${i + 1}`)];
  return `INSERT INTO ${table} (${[...shared, ...perRow].join(", ")}) SELECT ${picked.join(", ")}
    FROM (SELECT ${shared.map((name) => `? AS ${name}`).join(", ")}) AS s, (VALUES ${Array(rows).fill(row).join(", ")}) AS v`;
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
