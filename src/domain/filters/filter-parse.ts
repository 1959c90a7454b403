import { fail, ok, type Result } from "../../lib/result.ts";
import {
  FILTER_OPERATORS,
  type FilterOperator,
  type FilterScalar,
  type RuleFilter,
  type RulePage,
  type RuleQuery,
  type RuleSort,
  type WireFilter,
  type WireSort,
} from "./filter-model.ts";

/** What one filterable field accepts, and how its values are brought to the stored form. */
export interface FieldSpec {
  kind: "number" | "string" | "boolean";
  /** When set, every value must be one of these (after `normalize`). */
  allowed?: readonly string[];
  /** Null is a legal value (the field can be unset). */
  nullable?: boolean;
  /** The field holds a list (MITRE names): it can be filtered on, not sorted by. */
  list?: boolean;
  /** Turns one wire value into the stored values it stands for (e.g. upper-case, canonical forms). */
  normalize?: (value: string) => string[];
}

export type FieldCatalog = Record<string, FieldSpec>;

const RANGE_OPERATORS: ReadonlySet<string> = new Set(["GTE", "LTE"]);

/**
 * Values one request's filters may hold in all (after normalising, which can add forms). Each
 * becomes a bound SQL parameter; SQLite takes at most 32,766 in one statement (finding 8).
 */
export const MAX_FILTER_VALUES = 10_000;

/** Checks `filters` against a catalog; the reason names the filter at fault. */
export function parseFilters(filters: readonly WireFilter[], catalog: FieldCatalog): Result<RuleFilter[]> {
  const parsed: RuleFilter[] = [];
  let values = 0;
  for (const [index, filter] of filters.entries()) {
    const result = parseFilter(filter, catalog);
    if (!result.ok) return fail(`filters[${index}]: ${result.error}`);
    values += result.value.values.length;
    if (values > MAX_FILTER_VALUES)
      return fail(
        `filters[${index}]: the filters hold at most ${MAX_FILTER_VALUES.toLocaleString("en")} values in all`,
      );
    parsed.push(result.value);
  }
  return ok(parsed);
}

function parseFilter(filter: WireFilter, catalog: FieldCatalog): Result<RuleFilter> {
  const spec = Object.hasOwn(catalog, filter.field) ? catalog[filter.field] : undefined;
  if (!spec) return fail(`unknown field '${filter.field}'; known fields: ${Object.keys(catalog).join(", ")}`);
  const operator = filter.operator.toUpperCase();
  if (!(FILTER_OPERATORS as readonly string[]).includes(operator)) {
    return fail(`unknown operator '${filter.operator}'; known operators: ${FILTER_OPERATORS.join(", ")}`);
  }
  if (RANGE_OPERATORS.has(operator) && spec.kind !== "number") {
    return fail(`${operator} needs a numeric field; '${filter.field}' is not one`);
  }
  if (filter.value === undefined) return fail("missing 'value'");
  if (operator === "CONTAINS") return parseContains(filter, spec);
  const list = Array.isArray(filter.value) ? filter.value : [filter.value];
  if (list.length === 0) return fail("'value' must not be an empty array");
  if (RANGE_OPERATORS.has(operator) && list.length !== 1) return fail(`${operator} takes one value`);
  const values = normalizeValues(list, spec, filter.field);
  if (!values.ok) return values;
  return ok({
    field: filter.field,
    operator: storeOperator(operator as Exclude<FilterOperator, "CONTAINS">),
    values: values.value,
  });
}

/** A substring, compared without regard to letter case; one non-empty string on a string field. */
function parseContains(filter: WireFilter, spec: FieldSpec): Result<RuleFilter> {
  if (spec.kind !== "string" || spec.list) return fail(`CONTAINS needs a text field; '${filter.field}' is not one`);
  if (typeof filter.value !== "string" || filter.value === "") return fail("CONTAINS takes one non-empty string");
  return ok({ field: filter.field, operator: "CONTAINS", values: [filter.value] });
}

/** `sort` (a Warden extension): any field of the catalog that holds one value, `asc` or `desc`. */
export function parseSort(sort: WireSort | undefined, catalog: FieldCatalog): Result<RuleSort | undefined> {
  if (sort === undefined) return ok(undefined);
  if (!Object.hasOwn(catalog, sort.field) || catalog[sort.field]?.list) {
    const known = Object.keys(catalog).filter((field) => !catalog[field]?.list);
    return fail(`sort: unknown field '${sort.field}'; known fields: ${known.join(", ")}`);
  }
  const keyword = sort.keyword.toLowerCase();
  if (keyword !== "asc" && keyword !== "desc") return fail(`sort: keyword must be asc or desc, not '${sort.keyword}'`);
  return ok({ field: sort.field, descending: keyword === "desc" });
}

function storeOperator(operator: Exclude<FilterOperator, "CONTAINS">): RuleFilter["operator"] {
  if (operator === "EQ" || operator === "IN") return "IN";
  if (operator === "NEQ") return "NOT_IN";
  return operator;
}

function normalizeValues(list: readonly unknown[], spec: FieldSpec, field: string): Result<FilterScalar[]> {
  const values: FilterScalar[] = [];
  for (const value of list) {
    const converted = convert(value, spec);
    if (converted === undefined) return fail(`'${field}' cannot be ${JSON.stringify(value)}`);
    values.push(...converted);
  }
  return ok([...new Set(values)]);
}

function convert(value: unknown, spec: FieldSpec): FilterScalar[] | undefined {
  if (value === null) return spec.nullable ? [null] : undefined;
  if (spec.kind === "number") return toNumber(value);
  if (spec.kind === "boolean") return toBoolean(value);
  if (typeof value !== "string") return undefined;
  const forms = spec.normalize ? spec.normalize(value) : [value];
  if (spec.allowed && !forms.every((form) => spec.allowed?.includes(form))) return undefined;
  return forms;
}

function toNumber(value: unknown): number[] | undefined {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof number === "number" && Number.isFinite(number) ? [number] : undefined;
}

function toBoolean(value: unknown): boolean[] | undefined {
  if (typeof value === "boolean") return [value];
  if (value === "true" || value === "false") return [value === "true"];
  return undefined;
}

/** `search_from` / `search_to` with the contract's defaults and the configured page cap. */
export function parsePage(
  from: number | undefined,
  to: number | undefined,
  maxPage: number,
  noun = "rules",
): Result<RulePage> {
  const start = from ?? 0;
  const end = to ?? start + Math.min(100, maxPage);
  if (end < start) return fail(`search_to (${end}) must not be less than search_from (${start})`);
  if (end - start > maxPage) return fail(`at most ${maxPage} ${noun} per call; asked for ${end - start}`);
  return ok({ from: start, to: end });
}

/** Filters and page of a `get`, checked together. */
export function parseQuery(
  query: RuleQuery,
  catalog: FieldCatalog,
  maxPage: number,
): Result<{ filters: RuleFilter[]; page: RulePage }> {
  const filters = parseFilters(query.filters, catalog);
  if (!filters.ok) return filters;
  const page = parsePage(query.searchFrom, query.searchTo, maxPage);
  if (!page.ok) return page;
  const sort = parseSort(query.sort, catalog);
  if (!sort.ok) return sort;
  return ok({ filters: filters.value, page: sort.value ? { ...page.value, sort: sort.value } : page.value });
}

/** Filters of a `delete`: at least one, so a bare delete never wipes a tenant. */
export function parseDeleteFilters(filters: readonly WireFilter[], catalog: FieldCatalog): Result<RuleFilter[]> {
  if (filters.length === 0) return fail("a delete needs at least one filter; refusing to delete every rule");
  return parseFilters(filters, catalog);
}
