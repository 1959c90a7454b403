/** Filters of `get` and `delete` (spec/API.md section 4.3), after the edge has checked them. */

/** CONTAINS is a Warden extension (docs/console.md): a case-insensitive substring match XSIAM lacks. */
export const FILTER_OPERATORS = ["EQ", "NEQ", "IN", "GTE", "LTE", "CONTAINS"] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export type FilterScalar = string | number | boolean | null;

/** One checked condition. EQ with an array arrives here as IN; IN and NEQ always carry a list. */
export interface RuleFilter {
  field: string;
  operator: "IN" | "NOT_IN" | "GTE" | "LTE" | "CONTAINS";
  values: FilterScalar[];
}

export interface RulePage {
  /** Offset of the first rule. */
  from: number;
  /** Exclusive end. */
  to: number;
  /** The order of the list (a Warden extension); without it, ascending id as the contract says. */
  sort?: RuleSort | undefined;
}

/** A checked sort: a field of the kind's filter catalog, and its direction. */
export interface RuleSort {
  field: string;
  descending: boolean;
}

/** `sort` as a console sends it: XSIAM's `{field, keyword}` form of get_alerts. */
export interface WireSort {
  field: string;
  keyword: string;
}

/** A filter as the edge's schema lets it through. */
export interface WireFilter {
  field: string;
  operator: string;
  value?: unknown;
}

/** The body of a `get`: filters, and the page as the client asked for it. */
export interface RuleQuery {
  filters: readonly WireFilter[];
  searchFrom?: number | undefined;
  searchTo?: number | undefined;
  sort?: WireSort | undefined;
}
