/**
 * The rules a BIOC's XQL query must follow (spec/API.md 4.2): source xdr_data or cloud_audit_log
 * or an xdr_ preset, only filter and alter stages, no aggregates, functions the evaluator knows,
 * and a filter on event_type. Also what the engine can learn from it: the event type it watches
 * and an equality every match needs.
 */
import type { RequiredEq } from "../../engine/bioc-predicate.ts";
import { ENUM_FIELDS } from "../../engine/enum-forms.ts";
import { typeNameOf } from "../../engine/event-model.ts";
import { fail, ok, type Result } from "../../lib/result.ts";
import type { Expr, Query, Stage } from "./xql-ast.ts";
import { compileQuery } from "./xql-eval.ts";
import { type XqlErrorDetail, XqlSyntaxError } from "./xql-lexer.ts";
import { parseXql } from "./xql-parser.ts";

const BIOC_DATASETS = new Set(["xdr_data", "cloud_audit_log", "cloud_audit_logs"]);

/** The event type an xdr_ preset stands for. */
const PRESET_EVENT_TYPES: Readonly<Record<string, string>> = {
  xdr_process: "PROCESS",
  xdr_file: "FILE",
  xdr_network: "NETWORK",
  xdr_registry: "REGISTRY",
  xdr_event_log: "EVENT_LOG",
  xdr_image_load: "LOAD_IMAGE",
  xdr_injection: "INJECTION",
  xdr_rpc: "RPC_CALL",
  xdr_system_call: "SYSTEM_CALL",
};

/** The query text of a BIOC's indicator: the string itself, or `{"query": "..."}`. */
export function xqlText(indicator: unknown): string | undefined {
  if (typeof indicator === "string") return indicator;
  if (typeof indicator === "object" && indicator !== null && "query" in indicator) {
    const query = (indicator as { query: unknown }).query;
    return typeof query === "string" ? query : undefined;
  }
  return undefined;
}

/** The seed's form of an XQL error: `{"line": 1, "column": 19, "message": "..."}`. */
export function syntaxErrorText(detail: XqlErrorDetail): string {
  return `{"line": ${detail.line}, "column": ${detail.column}, "message": ${JSON.stringify(detail.message)}}`;
}

export interface BiocQueryPlan {
  query: Query;
  eventType: string | undefined;
  required: RequiredEq | undefined;
}

function checkSource(query: Query): string | undefined {
  const { source } = query;
  if (!source) return undefined;
  if (source.kind === "preset")
    return source.names.every((n) => n.toLowerCase().startsWith("xdr_"))
      ? undefined
      : `a BIOC query may only use the xdr_ presets (xdr_process, xdr_file, xdr_network, ...), not preset '${source.names.join(", ")}'`;
  if (source.kind !== "dataset") return `a BIOC query reads a dataset or preset, not a ${source.kind}`;
  const other = source.names.find((n) => !BIOC_DATASETS.has(n.toLowerCase()));
  return other ? `a BIOC query may only read xdr_data or cloud_audit_log, not '${other}'` : undefined;
}

/** Stages that run on one event; every other stage needs many rows or other data. */
const ONE_EVENT_STAGES: ReadonlySet<string> = new Set(["fields", "config"]);
const AGGREGATE_STAGES: ReadonlySet<string> = new Set(["comp", "windowcomp", "bin", "dedup", "top", "transaction"]);
const ROW_SET_STAGES: ReadonlySet<string> = new Set(["sort", "limit", "arrayexpand"]);

function stageRefusal(name: string): string {
  if (AGGREGATE_STAGES.has(name)) return "aggregates many events, and a BIOC matches one event at a time";
  if (ROW_SET_STAGES.has(name)) return "orders, cuts or multiplies result rows, which a BIOC does not have";
  if (name === "join" || name === "union" || name === "call" || name === "view")
    return "reads other datasets or queries, and a BIOC sees only the event it matches";
  return "is not evaluated on single events";
}

function checkStages(stages: Stage[]): XqlProblem | undefined {
  for (const [index, stage] of stages.entries()) {
    if (stage.kind !== "other" || ONE_EVENT_STAGES.has(stage.name)) continue;
    const why = stageRefusal(stage.name);
    const message = `stage ${index + 1} '${stage.name}' ${why}: a BIOC query may use only filter, alter, fields and config (use a correlation rule)`;
    return { syntax: { line: stage.pos.line, column: stage.pos.column, message } };
  }
  return undefined;
}

/** The conjuncts of an expression: `a and (b and c)` gives a, b, c. */
function conjuncts(expr: Expr): Expr[] {
  return expr.kind === "binary" && expr.op === "and" ? [...conjuncts(expr.left), ...conjuncts(expr.right)] : [expr];
}

function readsEventType(expr: Expr): boolean {
  switch (expr.kind) {
    case "field":
      return expr.name === "event_type";
    case "binary":
      return readsEventType(expr.left) || readsEventType(expr.right);
    case "unary":
      return readsEventType(expr.operand);
    case "call":
      return expr.args.some(readsEventType);
    default:
      return false;
  }
}

/** The filters that run before any alter: fields there are the event's own. */
function leadingFilters(query: Query): Expr[] {
  const filters: Expr[] = [];
  for (const stage of query.stages) {
    if (stage.kind !== "filter") break;
    filters.push(...conjuncts(stage.expr));
  }
  return filters;
}

function eventTypeOf(filters: Expr[]): string | undefined {
  for (const c of filters) {
    if (c.kind !== "binary" || c.op !== "=" || c.left.kind !== "field" || c.left.name !== "event_type") continue;
    if (c.right.kind === "enum") return c.right.name;
    // "3" and 3 name FILE, as they do in events (event-model.ts); an unknown number names no type
    if (c.right.kind === "literal" && (typeof c.right.value === "string" || typeof c.right.value === "number"))
      return typeNameOf(String(c.right.value));
  }
  return undefined;
}

function plainText(expr: Expr): string | undefined {
  return expr.kind === "literal" && typeof expr.value === "string" && !expr.value.includes("*")
    ? expr.value.toLowerCase()
    : undefined;
}

function requiredEq(filters: Expr[]): RequiredEq | undefined {
  for (const c of filters) {
    // Enum fields are compared in a canonical spelling the index does not know: never index keys.
    if (c.kind !== "binary" || c.left.kind !== "field" || ENUM_FIELDS.has(c.left.name)) continue;
    if (c.op === "=") {
      const value = plainText(c.right);
      if (value !== undefined) return { field: c.left.name, values: [value] };
    }
    if (c.op === "in" && c.right.kind === "list") {
      const values = c.right.items.map(plainText);
      if (values.every((v) => v !== undefined)) return { field: c.left.name, values: values as string[] };
    }
  }
  return undefined;
}

/**
 * The one event type a query can match, from its leading filters (`event_type = ENUM.X`) or its
 * xdr_ preset; undefined when it may match any. Correlation rules are filed under it too.
 */
export function queryEventType(query: Query): string | undefined {
  const preset =
    query.source?.kind === "preset" ? PRESET_EVENT_TYPES[(query.source.names[0] ?? "").toLowerCase()] : undefined;
  return eventTypeOf(leadingFilters(query))?.toUpperCase() ?? preset;
}

/** An equality every match of the query needs (from its leading filters), for indexing; undefined when none. */
export function queryRequiredEq(query: Query): RequiredEq | undefined {
  return requiredEq(leadingFilters(query));
}

/** Why a query is not a valid BIOC query: a problem at a position, or a rule it breaks. */
export type XqlProblem = { syntax: XqlErrorDetail } | { reason: string };

/** A problem as one line: the seed's JSON form for positioned ones, plain words for the rest. */
export function problemText(problem: XqlProblem): string {
  return "syntax" in problem ? syntaxErrorText(problem.syntax) : problem.reason;
}

/** Checks a BIOC's query against the BIOC rules and says what the engine can index it by. */
export function checkBiocQuery(text: string): Result<BiocQueryPlan, XqlProblem> {
  try {
    const query = parseXql(text);
    const source = checkSource(query);
    if (source) return fail({ reason: source });
    const stage = checkStages(query.stages);
    if (stage) return fail(stage);
    compileQuery(query); // unknown functions and aggregates, with their positions
    const hasPreset = query.source?.kind === "preset";
    const filtersType = query.stages.some((s) => s.kind === "filter" && readsEventType(s.expr));
    if (!hasPreset && !filtersType)
      return fail({ reason: "a BIOC query must filter on event_type, e.g. filter event_type = ENUM.PROCESS" });
    const filters = leadingFilters(query);
    const preset = hasPreset ? PRESET_EVENT_TYPES[(query.source?.names[0] ?? "").toLowerCase()] : undefined;
    return ok({ query, eventType: eventTypeOf(filters) ?? preset, required: requiredEq(filters) });
  } catch (error) {
    if (error instanceof XqlSyntaxError) return fail({ syntax: error.detail });
    throw error;
  }
}
