import type { FilterScalar, RuleFilter } from "../../domain/filters/filter-model.ts";

/** How a filter field reads in SQL: a plain expression, or a JSON array column tested for membership. */
export interface ColumnSpec {
  sql: string;
  jsonArray?: boolean;
}

export interface SqlFragment {
  sql: string;
  params: unknown[];
}

/** Turns checked filters into one ANDed WHERE fragment. Field names come from a fixed catalog, never from input. */
export function whereClause(filters: readonly RuleFilter[], columns: Record<string, ColumnSpec>): SqlFragment {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const filter of filters) {
    const column = columns[filter.field];
    if (!column) throw new Error(`no column for filter field '${filter.field}'`);
    const fragment = column.jsonArray ? jsonArrayCondition(column.sql, filter) : condition(column.sql, filter);
    parts.push(fragment.sql);
    params.push(...fragment.params);
  }
  return { sql: parts.length > 0 ? parts.join(" AND ") : "1", params };
}

function toSql(value: FilterScalar): unknown {
  return typeof value === "boolean" ? Number(value) : value;
}

function condition(expr: string, filter: RuleFilter): SqlFragment {
  const [first] = filter.values;
  if (filter.operator === "GTE") return { sql: `${expr} >= ?`, params: [toSql(first ?? null)] };
  if (filter.operator === "LTE") return { sql: `${expr} <= ?`, params: [toSql(first ?? null)] };
  const present = filter.values.filter((v) => v !== null).map(toSql);
  const wantsNull = present.length < filter.values.length;
  const list = present.length > 0 ? `${expr} IN (${present.map(() => "?").join(", ")})` : "0";
  // SQL's IN never matches NULL, so a null value in the list is tested apart.
  const sql = wantsNull ? `(${list} OR ${expr} IS NULL)` : `(${list} AND ${expr} IS NOT NULL)`;
  return { sql: filter.operator === "IN" ? sql : `NOT ${sql}`, params: present };
}

function jsonArrayCondition(column: string, filter: RuleFilter): SqlFragment {
  const values = filter.values.map(toSql);
  const sql = `EXISTS (SELECT 1 FROM json_each(${column}) WHERE json_each.value IN (${values.map(() => "?").join(", ")}))`;
  return { sql: filter.operator === "NOT_IN" ? `NOT ${sql}` : sql, params: values };
}
