/**
 * Checks a BIOC filter tree (spec/API.md 4.2): AND / OR / leaf nodes only, known SEARCH_TYPEs,
 * values that fit their type, RE2 regexes, and caps on depth, size and string length. The walk
 * uses its own stack and stops at the caps, so no body can overflow the call stack.
 */
import { RE2JS } from "re2js";
import { isJsonObject, type JsonObject } from "../items/item-reader.ts";

export const SEARCH_TYPES = [
  "EQ",
  "NEQ",
  "CONTAINS",
  "NCONTAINS",
  "REGEX",
  "WILDCARD",
  "GTE",
  "LTE",
  "RANGE",
  "IS_EMPTY",
  "NIS_EMPTY",
  "COMPLEX_EQ",
] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

export interface FilterLeaf {
  SEARCH_FIELD: string;
  SEARCH_TYPE: SearchType;
  SEARCH_VALUE?: string | null;
  EXTRA_FIELDS?: string[];
  isExtended?: boolean;
  node?: string;
}
export type FilterNode = { AND: FilterNode[] } | { OR: FilterNode[] } | FilterLeaf;
export interface FilterTree {
  runOnCGO?: boolean;
  investigationType: string;
  investigation: Record<string, { filter: FilterNode }>;
}

export interface TreeLimits {
  maxDepth: number;
  maxNodes: number;
  maxStringLength: number;
}

const TOP_KEYS = new Set(["runOnCGO", "investigationType", "investigation"]);
const LEAF_KEYS = new Set(["SEARCH_FIELD", "SEARCH_TYPE", "SEARCH_VALUE", "EXTRA_FIELDS", "isExtended", "node"]);
const INVESTIGATION_TYPE = /^[A-Z][A-Z0-9_]*$/;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const DECIMAL = /^\s*-?\d+(\.\d+)?\s*$/;
const EMPTINESS_TYPES: ReadonlySet<string> = new Set(["IS_EMPTY", "NIS_EMPTY"]);

/** Checks a BIOC `indicator` filter tree (is_xql false): undefined when valid, else a reason naming where. */
export function checkFilterTree(indicator: unknown, limits: TreeLimits): string | undefined {
  if (indicator === undefined || indicator === null) return "missing required field 'indicator'";
  if (!isJsonObject(indicator)) return "indicator must be a filter tree object (or set is_xql for a query)";
  const unknown = Object.keys(indicator).filter((key) => !TOP_KEYS.has(key));
  if (unknown.length > 0) return `indicator: unknown fields ${unknown.join(", ")}`;
  if (Object.hasOwn(indicator, "runOnCGO") && typeof indicator.runOnCGO !== "boolean") {
    return "indicator.runOnCGO must be true or false";
  }
  const type = indicator.investigationType;
  if (typeof type !== "string" || !INVESTIGATION_TYPE.test(type) || type.length > 64) {
    return "indicator.investigationType must be an upper-case event type such as FILE_EVENT";
  }
  const investigation = indicator.investigation;
  if (!isJsonObject(investigation) || Object.keys(investigation).length !== 1 || !Object.hasOwn(investigation, type)) {
    return `indicator.investigation must hold exactly the key ${type}, as investigationType says`;
  }
  const holder = investigation[type];
  if (!isJsonObject(holder) || Object.keys(holder).length !== 1 || !Object.hasOwn(holder, "filter")) {
    return `indicator.investigation.${type} must be an object holding only 'filter'`;
  }
  return checkNodes(holder.filter, limits);
}

interface Pending {
  node: unknown;
  path: string;
  depth: number;
}

function checkNodes(root: unknown, limits: TreeLimits): string | undefined {
  const stack: Pending[] = [{ node: root, path: "filter", depth: 1 }];
  let count = 0;
  while (stack.length > 0) {
    const { node, path, depth } = stack.pop() as Pending;
    count += 1;
    if (count > limits.maxNodes) return `the filter tree has more than ${limits.maxNodes} nodes`;
    if (depth > limits.maxDepth) return `the filter tree is deeper than ${limits.maxDepth} levels (at ${path})`;
    if (!isJsonObject(node)) return `${path}: a node must be an object with AND, OR or SEARCH_FIELD`;
    const children = childrenOf(node, path);
    if (typeof children === "string") return children;
    if (children === undefined) {
      const problem = checkLeaf(node, limits);
      if (problem) return `${path}: ${problem}`;
      continue;
    }
    const [operator, list] = children;
    for (let i = list.length - 1; i >= 0; i--)
      stack.push({ node: list[i], path: `${path}.${operator}[${i}]`, depth: depth + 1 });
  }
  return undefined;
}

/** The operator and child list of an AND/OR node, undefined for a leaf, or a reason it is malformed. */
function childrenOf(node: JsonObject, path: string): [string, unknown[]] | string | undefined {
  const keys = Object.keys(node);
  const operator = keys.find((key) => key === "AND" || key === "OR");
  if (operator === undefined) return undefined;
  if (keys.length !== 1)
    return `${path}: a node holds exactly one of AND, OR or the leaf fields; got ${keys.join(", ")}`;
  const list = node[operator];
  if (!Array.isArray(list)) return `${path}.${operator} must be an array of nodes`;
  if (list.length === 0) return `${path}.${operator} is empty`;
  return [operator, list];
}

function checkLeaf(leaf: JsonObject, limits: TreeLimits): string | undefined {
  const unknown = Object.keys(leaf).filter((key) => !LEAF_KEYS.has(key));
  if (unknown.length > 0) return `unknown fields ${unknown.join(", ")}`;
  const field = leaf.SEARCH_FIELD;
  if (typeof field !== "string" || !FIELD_NAME.test(field) || field.length > 128) {
    return "SEARCH_FIELD must be a field name such as action_file_name";
  }
  const type = leaf.SEARCH_TYPE;
  if (typeof type !== "string" || !(SEARCH_TYPES as readonly string[]).includes(type)) {
    return `unknown SEARCH_TYPE ${JSON.stringify(type)}; known: ${SEARCH_TYPES.join(", ")}`;
  }
  return checkLeafExtras(leaf) ?? checkValue(type as SearchType, leaf.SEARCH_VALUE, limits);
}

function checkLeafExtras(leaf: JsonObject): string | undefined {
  const extra = leaf.EXTRA_FIELDS;
  if (extra !== undefined && extra !== null) {
    if (!Array.isArray(extra) || !extra.every((f) => typeof f === "string" && FIELD_NAME.test(f))) {
      return "EXTRA_FIELDS must be an array of field names";
    }
  }
  if (leaf.isExtended !== undefined && typeof leaf.isExtended !== "boolean") return "isExtended must be true or false";
  if (leaf.node !== undefined && typeof leaf.node !== "string") return "node must be a string";
  return undefined;
}

function checkValue(type: SearchType, value: unknown, limits: TreeLimits): string | undefined {
  if (EMPTINESS_TYPES.has(type) && (value === undefined || value === null || value === "")) return undefined;
  if (typeof value !== "string")
    return `SEARCH_VALUE must be a string (numbers too), got ${JSON.stringify(value) ?? "nothing"}`;
  if (value.length > limits.maxStringLength) return `SEARCH_VALUE is longer than ${limits.maxStringLength} characters`;
  switch (type) {
    case "GTE":
    case "LTE":
      return DECIMAL.test(value) ? undefined : `${type} needs a number, got '${value}'`;
    case "RANGE":
      return parseRange(value)
        ? undefined
        : `RANGE needs two numbers low-high, "low,high" or "[low, high]"; got '${value}'`;
    case "REGEX":
      return regexProblem(value);
    case "COMPLEX_EQ":
      return isJson(value) ? undefined : "COMPLEX_EQ needs a JSON value as its string";
    default:
      return undefined;
  }
}

/** RANGE values come as "1-5", "1,5" or "[1, 5]"; low must not exceed high. */
export function parseRange(value: string): [number, number] | undefined {
  const text = value.trim().replace(/^\[(.*)\]$/, "$1");
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*(?:,|-|\s)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!match) return undefined;
  const low = Number(match[1]);
  const high = Number(match[2]);
  return low <= high ? [low, high] : undefined;
}

/** The engine matches with RE2 (linear time), so a pattern must compile there. */
function regexProblem(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (error) {
    return `REGEX does not compile: ${(error as Error).message}`;
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
