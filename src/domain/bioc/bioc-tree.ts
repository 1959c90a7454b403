/*
 * Checks a BIOC filter tree (spec/API.md section 4.2, is_xql false). The walk keeps its own stack and
 * refuses to descend past the depth cap or to queue more than the node cap, so no request body, however
 * deep or wide, can overflow the call stack or make the check slower than linear in its size.
 */
import { compileBoundedRegex } from "../../lib/bounded-regex.ts";
import { clip } from "../../lib/text.ts";

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

/** The SEARCH_TYPEs that test presence only, so their SEARCH_VALUE may be absent, null or "". */
export type EmptinessSearchType = "IS_EMPTY" | "NIS_EMPTY";

interface LeafCommon {
  SEARCH_FIELD: string;
  /** Alternative fields the leaf also tests (the UI's expansion of e.g. "process name"). */
  EXTRA_FIELDS?: string[];
  isExtended?: boolean;
  node?: string;
}

/** A leaf comparing a field with SEARCH_VALUE, checked to fit its SEARCH_TYPE (see checkFilterTree). */
export interface ValueLeaf extends LeafCommon {
  SEARCH_TYPE: Exclude<SearchType, EmptinessSearchType>;
  SEARCH_VALUE: string;
}

/** A leaf testing whether a field is empty; SEARCH_VALUE carries nothing. */
export interface EmptinessLeaf extends LeafCommon {
  SEARCH_TYPE: EmptinessSearchType;
  SEARCH_VALUE?: string | null;
}

/** A leaf of a valid filter tree; narrow on SEARCH_TYPE to get a string SEARCH_VALUE. */
export type FilterLeaf = ValueLeaf | EmptinessLeaf;

/** All children must match. Never empty in a valid tree. */
export interface FilterAnd {
  AND: [FilterNode, ...FilterNode[]];
}

/** At least one child must match. Never empty in a valid tree. */
export interface FilterOr {
  OR: [FilterNode, ...FilterNode[]];
}

/** A node of a valid filter tree: exactly one of AND, OR or a leaf. */
export type FilterNode = FilterAnd | FilterOr | FilterLeaf;

/** A BIOC `indicator` that passed checkFilterTree; `investigation` holds only the investigationType key. */
export interface FilterTree {
  runOnCGO?: boolean;
  investigationType: string;
  investigation: Record<string, { filter: FilterNode }>;
}

/** Caps for one tree: the filter root is depth 1, every AND/OR and leaf counts as a node. */
export interface TreeLimits {
  maxDepth: number;
  maxNodes: number;
  maxStringLength: number;
}

type JsonObject = Record<string, unknown>;

const TOP_KEYS: ReadonlySet<string> = new Set(["runOnCGO", "investigationType", "investigation"]);
const LEAF_KEYS: ReadonlySet<string> = new Set([
  "SEARCH_FIELD",
  "SEARCH_TYPE",
  "SEARCH_VALUE",
  "EXTRA_FIELDS",
  "isExtended",
  "node",
]);
const HOLDER_KEYS: ReadonlySet<string> = new Set(["filter"]);
const NODE_KEYS: ReadonlySet<string> = new Set(["AND", "OR", ...LEAF_KEYS]);
const KNOWN_TYPES: ReadonlySet<string> = new Set(SEARCH_TYPES);
const INVESTIGATION_TYPE = /^[A-Z][A-Z0-9_]*$/;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const DECIMAL_SOURCE = "[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)";
const RANGE_PAIR = new RegExp(`^\\s*(${DECIMAL_SOURCE})\\s*[-,]\\s*(${DECIMAL_SOURCE})\\s*$`);
// Error messages echo user input; clipping keeps them one short line whatever was sent.
const MAX_ECHO = 60;
const MAX_NAMED_KEYS = 5;

/**
 * Checks a BIOC `indicator` filter tree (is_xql false). Returns undefined when valid, else a one-line
 * reason a user can act on, naming where the problem is (e.g. "filter.AND[1].OR[0]: unknown SEARCH_TYPE
 * 'FOO'"). Never throws on a JSON value, whatever its depth or size.
 */
export function checkFilterTree(indicator: unknown, limits: TreeLimits): string | undefined {
  if (!isPlainObject(indicator)) {
    const got = describe(indicator);
    return `indicator: must be a filter tree object (or set is_xql for an XQL query), got ${got}`;
  }
  const problem = unknownKeys("indicator", indicator, TOP_KEYS) ?? checkRunOnCgo(indicator);
  if (problem !== undefined) return problem;
  const type = own(indicator, "investigationType");
  const typeProblem = checkInvestigationType(type, limits);
  if (typeProblem !== undefined || typeof type !== "string") return typeProblem;
  const holder = investigationHolder(own(indicator, "investigation"), type);
  if (typeof holder === "string") return holder;
  return checkNodes(own(holder, "filter"), limits);
}

/** Reads a GTE/LTE value: a plain decimal such as "10", "-2.5" or ".5" (no exponent, no spaces). */
export function parseDecimal(value: string): number | undefined {
  if (!DECIMAL.test(value)) return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/**
 * Reads a RANGE value as [low, high] with low <= high. Accepted forms, bounds being plain decimals:
 * "low-high" and "low,high" (spaces allowed around the separator; "-5--1" is -5 to -1), and a JSON array
 * string "[low, high]" whose two items are numbers or decimal strings.
 */
export function parseRange(value: string): [number, number] | undefined {
  const pair = value.trimStart().startsWith("[") ? jsonPair(value) : textPair(value);
  if (pair === undefined) return undefined;
  const [low, high] = pair;
  return low <= high ? [low, high] : undefined;
}

function textPair(value: string): [number, number] | undefined {
  const match = RANGE_PAIR.exec(value);
  const low = match?.[1] === undefined ? undefined : parseDecimal(match[1]);
  const high = match?.[2] === undefined ? undefined : parseDecimal(match[2]);
  return low === undefined || high === undefined ? undefined : [low, high];
}

function jsonPair(value: string): [number, number] | undefined {
  const parsed = parseJson(value);
  if (!parsed.ok || !Array.isArray(parsed.value) || parsed.value.length !== 2) return undefined;
  const low = rangeBound(parsed.value[0]);
  const high = rangeBound(parsed.value[1]);
  return low === undefined || high === undefined ? undefined : [low, high];
}

function rangeBound(item: unknown): number | undefined {
  if (typeof item === "number") return Number.isFinite(item) ? item : undefined;
  return typeof item === "string" ? parseDecimal(item) : undefined;
}

function checkRunOnCgo(indicator: JsonObject): string | undefined {
  const run = own(indicator, "runOnCGO");
  if (run === undefined || typeof run === "boolean") return undefined;
  return `indicator.runOnCGO: must be true or false, got ${describe(run)}`;
}

function checkInvestigationType(type: unknown, limits: TreeLimits): string | undefined {
  const where = "indicator.investigationType";
  if (type === undefined) return `${where}: missing; expected an upper-case event type such as FILE_EVENT`;
  if (typeof type !== "string") return `${where}: must be a string such as FILE_EVENT, got ${describe(type)}`;
  if (type.length > limits.maxStringLength) return `${where}: ${tooLong(limits)}`;
  if (INVESTIGATION_TYPE.test(type)) return undefined;
  return `${where}: ${quote(type)} is not an upper-case event type such as FILE_EVENT`;
}

/** The object under investigation[type], which must be the only key there and hold only `filter`. */
function investigationHolder(investigation: unknown, type: string): JsonObject | string {
  const where = "indicator.investigation";
  if (!isPlainObject(investigation)) {
    return `${where}: must be an object holding the key ${quote(type)}, got ${describe(investigation)}`;
  }
  const keys = Object.keys(investigation);
  if (keys.length !== 1 || keys[0] !== type) {
    const got = keys.length === 0 ? "no keys" : namedKeys(keys);
    return `${where}: must hold exactly the key ${quote(type)} named by investigationType, got ${got}`;
  }
  const holder = own(investigation, type);
  const at = `${where}.${clip(type, MAX_ECHO)}`;
  if (!isPlainObject(holder)) return `${at}: must be an object holding 'filter', got ${describe(holder)}`;
  const problem = unknownKeys(at, holder, HOLDER_KEYS);
  if (problem !== undefined) return problem;
  return Object.hasOwn(holder, "filter") ? holder : `${at}: missing 'filter'`;
}

/** A queued node; the path is rebuilt from the parent chain only when a problem is reported. */
interface Pending {
  value: unknown;
  depth: number;
  parent: Pending | undefined;
  step: string;
}

function checkNodes(root: unknown, limits: TreeLimits): string | undefined {
  const stack: Pending[] = [{ value: root, depth: 1, parent: undefined, step: "filter" }];
  let count = 1;
  if (limits.maxNodes < 1) return `filter: the tree has more than ${limits.maxNodes} nodes`;
  while (stack.length > 0) {
    const pending = stack.pop() as Pending;
    const node = pending.value;
    if (!isPlainObject(node)) {
      return `${pathOf(pending)}: a node must be an object with AND, OR or leaf keys, got ${describe(node)}`;
    }
    const branch = branchOf(node, pending);
    if (typeof branch === "string") return branch;
    if (branch === undefined) {
      const problem = checkLeaf(node, limits);
      if (problem !== undefined) return `${pathOf(pending)}: ${problem}`;
      continue;
    }
    const [operator, children] = branch;
    // Both caps are checked before anything is queued, so an oversized body costs no more than the cap.
    if (pending.depth + 1 > limits.maxDepth) {
      return `${pathOf(pending)}: the tree is nested deeper than ${limits.maxDepth} levels`;
    }
    count += children.length;
    if (count > limits.maxNodes) return `${pathOf(pending)}: the tree has more than ${limits.maxNodes} nodes`;
    // Pushed in reverse so problems are found in document order.
    for (let i = children.length - 1; i >= 0; i--) {
      const step = `.${operator}[${i}]`;
      stack.push({ value: children[i], depth: pending.depth + 1, parent: pending, step });
    }
  }
  return undefined;
}

/** The operator and children of an AND/OR node, undefined for a leaf, or why the node is malformed. */
function branchOf(node: JsonObject, pending: Pending): ["AND" | "OR", unknown[]] | string | undefined {
  const keys = Object.keys(node);
  const unknown = unknownKeys(() => pathOf(pending), node, NODE_KEYS, keys);
  if (unknown !== undefined) return `${unknown} (a node holds AND, OR or the leaf keys)`;
  if (keys.length === 0) return `${pathOf(pending)}: empty node; expected AND, OR or a leaf`;
  const operator = keys.find((key): key is "AND" | "OR" => key === "AND" || key === "OR");
  if (operator === undefined) return undefined;
  if (keys.length > 1) {
    return `${pathOf(pending)}: a node holds exactly one of AND, OR or the leaf keys, got ${namedKeys(keys)}`;
  }
  const children = own(node, operator);
  const at = `${pathOf(pending)}.${operator}`;
  if (!Array.isArray(children)) return `${at}: must be an array of nodes, got ${describe(children)}`;
  if (children.length === 0) return `${at}: empty tree; ${operator} needs at least one node`;
  return [operator, children];
}

function checkLeaf(leaf: JsonObject, limits: TreeLimits): string | undefined {
  const field = own(leaf, "SEARCH_FIELD");
  const fieldProblem = checkFieldName("SEARCH_FIELD", field, limits);
  if (fieldProblem !== undefined) return fieldProblem;
  const type = own(leaf, "SEARCH_TYPE");
  if (type === undefined) return "SEARCH_TYPE is missing";
  if (typeof type !== "string" || !KNOWN_TYPES.has(type)) {
    const shown = typeof type === "string" ? quote(type) : describe(type);
    return `unknown SEARCH_TYPE ${shown} (known: ${SEARCH_TYPES.join(", ")})`;
  }
  return checkValue(type as SearchType, own(leaf, "SEARCH_VALUE"), limits) ?? checkLeafExtras(leaf, limits);
}

function checkFieldName(name: string, field: unknown, limits: TreeLimits): string | undefined {
  if (field === undefined) return `${name} is missing`;
  if (typeof field !== "string") return `${name} must be a field name string, got ${describe(field)}`;
  if (field.length > limits.maxStringLength) return `${name} is ${tooLong(limits)}`;
  if (FIELD_NAME.test(field)) return undefined;
  return `${name} ${quote(field)} is not a field name such as action_file_name`;
}

function checkLeafExtras(leaf: JsonObject, limits: TreeLimits): string | undefined {
  const extra = own(leaf, "EXTRA_FIELDS");
  if (extra !== undefined) {
    if (!Array.isArray(extra)) return `EXTRA_FIELDS must be an array of field names, got ${describe(extra)}`;
    for (let i = 0; i < extra.length; i++) {
      const problem = checkFieldName(`EXTRA_FIELDS[${i}]`, extra[i], limits);
      if (problem !== undefined) return problem;
    }
  }
  const extended = own(leaf, "isExtended");
  if (extended !== undefined && typeof extended !== "boolean") {
    return `isExtended must be true or false, got ${describe(extended)}`;
  }
  const node = own(leaf, "node");
  if (node === undefined) return undefined;
  if (typeof node !== "string") return `node must be a string such as xdr_actor, got ${describe(node)}`;
  return node.length > limits.maxStringLength ? `node is ${tooLong(limits)}` : undefined;
}

function checkValue(type: SearchType, value: unknown, limits: TreeLimits): string | undefined {
  const emptiness = type === "IS_EMPTY" || type === "NIS_EMPTY";
  if (emptiness && (value === undefined || value === null)) return undefined;
  if (typeof value !== "string") {
    return `SEARCH_VALUE must be a string (numbers are sent as strings too), got ${describe(value)}`;
  }
  if (value.length > limits.maxStringLength) return `SEARCH_VALUE is ${tooLong(limits)}`;
  return checkTypedValue(type, value);
}

function checkTypedValue(type: SearchType, value: string): string | undefined {
  switch (type) {
    case "GTE":
    case "LTE":
      if (parseDecimal(value) !== undefined) return undefined;
      return `${type} needs a decimal number such as 10 or -2.5, got ${quote(value)}`;
    case "RANGE":
      if (parseRange(value) !== undefined) return undefined;
      return `RANGE needs two numbers as "low-high", "low,high" or "[low,high]", got ${quote(value)}`;
    case "REGEX":
      return regexProblem(value);
    case "COMPLEX_EQ":
      return parseJson(value).ok ? undefined : `COMPLEX_EQ needs a JSON text, got ${quote(value)}`;
    default:
      return undefined;
  }
}

/** The engine matches with RE2 (linear time): lookarounds, backreferences and huge programs fail here. */
function regexProblem(pattern: string): string | undefined {
  const regex = compileBoundedRegex(pattern);
  return typeof regex === "string" ? `REGEX ${oneLine(clip(regex, 2 * MAX_ECHO))}` : undefined;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Reports the keys outside `allowed`, named, as "<where>: unknown key 'x'". */
function unknownKeys(
  where: string | (() => string),
  object: JsonObject,
  allowed: ReadonlySet<string>,
  keys: string[] = Object.keys(object),
): string | undefined {
  const unknown = keys.filter((key) => !allowed.has(key));
  if (unknown.length === 0) return undefined;
  const at = typeof where === "string" ? where : where();
  return `${at}: unknown ${unknown.length === 1 ? "key" : "keys"} ${namedKeys(unknown)}`;
}

function namedKeys(keys: string[]): string {
  const named = keys.slice(0, MAX_NAMED_KEYS).map(quote).join(", ");
  return keys.length > MAX_NAMED_KEYS ? `${named} and ${keys.length - MAX_NAMED_KEYS} more` : named;
}

function tooLong(limits: TreeLimits): string {
  return `longer than ${limits.maxStringLength} characters`;
}

function pathOf(pending: Pending): string {
  const steps: string[] = [];
  for (let at: Pending | undefined = pending; at !== undefined; at = at.parent) steps.push(at.step);
  return steps.reverse().join("");
}

/** JSON.parse output is plain; anything else (arrays, null, class instances) is not a tree object. */
function isPlainObject(value: unknown): value is JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Reads an own property only, so keys such as "constructor" never reach Object.prototype. */
function own(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `the string ${quote(value)}`;
  if (typeof value === "number" || typeof value === "boolean") return `the ${typeof value} ${String(value)}`;
  return `a ${typeof value}`;
}

function quote(text: string): string {
  return `'${oneLine(clip(text, MAX_ECHO))}'`;
}

/** Escapes control characters (newlines above all) so a reason stays on one line. */
function oneLine(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
