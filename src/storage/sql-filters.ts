import type { FilterScalar, RuleFilter, RuleSort } from "../domain/filters/filter-model.ts";

/** How a filter field reads in SQL: a plain expression, or a JSON array column tested for membership. */
export interface ColumnSpec {
  sql: string;
  jsonArray?: boolean;
}

export interface SqlFragment {
  sql: string;
  params: unknown[];
}

/** What differs between the SQL backends when filters become a WHERE clause. */
export interface FilterDialect {
  /** The placeholder of the n-th parameter (1-based, counting those before the fragment). */
  placeholder(n: number): string;
  /** A condition true when the JSON array in `column` holds any of `placeholders`' values. */
  arrayHoldsAny(column: string, placeholders: string[]): string;
  /** How a boolean is bound. */
  bool(value: boolean): unknown;
}

export const SQLITE_FILTERS: FilterDialect = {
  placeholder: () => "?",
  arrayHoldsAny: (column, ph) =>
    `EXISTS (SELECT 1 FROM json_each(${column}) WHERE json_each.value IN (${ph.join(", ")}))`,
  bool: (value) => Number(value),
};

export const POSTGRES_FILTERS: FilterDialect = {
  placeholder: (n) => `$${n}`,
  arrayHoldsAny: (column, ph) =>
    `EXISTS (SELECT 1 FROM jsonb_array_elements_text(${column}) AS e WHERE e IN (${ph.join(", ")}))`,
  bool: (value) => value,
};

/**
 * Turns checked filters into one ANDed WHERE fragment. Field names come from a fixed catalog,
 * never from input; `firstParam` is the number of the fragment's first parameter.
 */
export function whereClause(
  filters: readonly RuleFilter[],
  columns: Record<string, ColumnSpec>,
  dialect: FilterDialect = SQLITE_FILTERS,
  firstParam = 1,
): SqlFragment {
  const parts: string[] = [];
  const params: unknown[] = [];
  const bind = (value: FilterScalar): string => {
    params.push(typeof value === "boolean" ? dialect.bool(value) : value);
    return dialect.placeholder(firstParam + params.length - 1);
  };
  for (const filter of filters) {
    const column = columns[filter.field];
    if (!column) throw new Error(`no column for filter field '${filter.field}'`);
    parts.push(
      column.jsonArray ? arrayCondition(column.sql, filter, dialect, bind) : condition(column.sql, filter, bind),
    );
  }
  return { sql: parts.length > 0 ? parts.join(" AND ") : "1 = 1", params };
}

/**
 * ORDER BY for a page: the sorted column (from the fixed catalog, never from input), then the id
 * in the same direction so that equal values still page in a stable order.
 */
export function orderBy(sort: RuleSort | undefined, columns: Record<string, ColumnSpec>, id: string): string {
  const column = sort ? columns[sort.field] : undefined;
  if (!sort || !column || column.jsonArray) return id;
  const direction = sort.descending ? "DESC" : "ASC";
  return `${column.sql} ${direction}, ${id} ${direction}`;
}

/** LIKE's own wildcards in the user's text are matched literally. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function condition(expr: string, filter: RuleFilter, bind: (value: FilterScalar) => string): string {
  const [first] = filter.values;
  if (filter.operator === "CONTAINS") {
    return `lower(${expr}) LIKE lower(${bind(likePattern(String(first)))}) ESCAPE '\\'`;
  }
  if (filter.operator === "GTE") return `${expr} >= ${bind(first ?? null)}`;
  if (filter.operator === "LTE") return `${expr} <= ${bind(first ?? null)}`;
  const present = filter.values.filter((v) => v !== null);
  const wantsNull = present.length < filter.values.length;
  const list = present.length > 0 ? `${expr} IN (${present.map(bind).join(", ")})` : "1 = 0";
  // SQL's IN never matches NULL, so a null value in the list is tested apart.
  const sql = wantsNull ? `(${list} OR ${expr} IS NULL)` : `(${list} AND ${expr} IS NOT NULL)`;
  return filter.operator === "IN" ? sql : `NOT ${sql}`;
}

function arrayCondition(
  column: string,
  filter: RuleFilter,
  dialect: FilterDialect,
  bind: (value: FilterScalar) => string,
): string {
  const sql = dialect.arrayHoldsAny(
    column,
    filter.values.map((v) => bind(v === null ? "" : String(v))),
  );
  return filter.operator === "NOT_IN" ? `NOT ${sql}` : sql;
}
