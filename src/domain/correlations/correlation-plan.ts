/**
 * What a correlation rule's query becomes: the stages run on each event (filter, alter, fields,
 * config, and `bin` of the time), then for a SCHEDULED rule one `comp` of aggregates by group
 * fields, then the stages run on the aggregated rows (filter, alter, fields, sort, limit, dedup).
 * A stage Warden cannot run is refused at insert, at its position, never silently ignored.
 */
import { fail, ok, type Result } from "../../lib/result.ts";
import type { Expr, Query, Stage, StageArg } from "../xql/xql-ast.ts";
import { queryEventType, queryRequiredEq } from "../xql/xql-bioc.ts";
import { type Compiled, compileExpr, compileStage, type Scope, type StageRunner } from "../xql/xql-eval.ts";
import { type XqlErrorDetail, XqlSyntaxError } from "../xql/xql-lexer.ts";
import { parseXql } from "../xql/xql-parser.ts";
import { AGGREGATES, type Aggregate } from "./aggregates.ts";
import type { ExecutionMode } from "./correlation-model.ts";
import { parseSpan } from "./durations.ts";
import { compileRowStage, type RowStage } from "./row-stages.ts";

export interface AggregateColumn {
  alias: string;
  fn: Aggregate;
  /** The value each event adds; undefined for `count()`. */
  arg: Compiled | undefined;
}

export interface Comp {
  columns: AggregateColumn[];
  groupBy: { name: string; read: Compiled }[];
}

export interface CorrelationPlan {
  /** The only event type the query can match (leading filter or xdr_ preset); undefined: any. */
  eventType: string | undefined;
  /** An equality on an event field every match needs (lower-cased values): the engine indexes by it. */
  required: { field: string; values: string[] } | undefined;
  /** Runs on one event; false when the event is filtered out (the scope then holds alter's values). */
  perEvent: StageRunner[];
  comp: Comp | undefined;
  /** Runs on the rows comp makes. */
  perRow: RowStage[];
}

/** Stages that run on one event, before comp. */
const EVENT_STAGES = new Set(["filter", "alter", "fields", "config"]);

function problem(at: { pos: { line: number; column: number } }, message: string): XqlSyntaxError {
  return new XqlSyntaxError({ line: at.pos.line, column: at.pos.column, message });
}

/** Parses and plans a query for a rule of this mode; errors carry the seed's line and column. */
export function planCorrelation(text: string, mode: ExecutionMode): Result<CorrelationPlan, XqlErrorDetail> {
  try {
    return ok(plan(parseXql(text), mode));
  } catch (error) {
    if (error instanceof XqlSyntaxError) return fail(error.detail);
    throw error;
  }
}

function plan(query: Query, mode: ExecutionMode): CorrelationPlan {
  const compAt = query.stages.findIndex((s) => s.kind === "other" && s.name === "comp");
  const before = compAt === -1 ? query.stages : query.stages.slice(0, compAt);
  const after = compAt === -1 ? [] : query.stages.slice(compAt + 1);
  const compStage = compAt === -1 ? undefined : (query.stages[compAt] as Stage & { kind: "other" });
  if (mode === "REAL_TIME") {
    const grouping = query.stages.find((s) => !EVENT_STAGES.has(s.kind === "other" ? s.name : s.kind));
    if (grouping)
      throw problem(
        grouping,
        `stage '${stageName(grouping)}' works over many events, which a REAL_TIME rule may not (make the rule SCHEDULED)`,
      );
  } else if (!compStage) {
    throw problem(
      query,
      "a SCHEDULED rule must aggregate with comp (Warden keeps aggregates per window, not copies of events)",
    );
  }
  return {
    eventType: queryEventType(query),
    required: queryRequiredEq(query),
    perEvent: before.map(eventStage),
    comp: compStage ? compileComp(compStage) : undefined,
    perRow: after.map(compileRowStage),
  };
}

function stageName(stage: Stage): string {
  return stage.kind === "other" ? stage.name : stage.kind;
}

function eventStage(stage: Stage): StageRunner {
  if (stage.kind === "other" && stage.name === "bin") return binStage(stage);
  if (!EVENT_STAGES.has(stageName(stage)))
    throw problem(stage, `stage '${stageName(stage)}' cannot run before comp in a correlation rule`);
  return compileStage(stage);
}

/** `bin _time span = 5m`: the time rounded down to the span, so comp can group by it. */
function binStage(stage: Stage & { kind: "other" }): StageRunner {
  const [field, span] = stage.args;
  const name = field?.kind === "expr" && field.expr.kind === "field" ? field.expr.name : undefined;
  const spanText = span?.kind === "assign" && span.name === "span" ? spanWord(span.value) : undefined;
  const ms = spanText === undefined ? undefined : parseSpan(spanText);
  if (name === undefined || ms === undefined)
    throw problem(stage, "bin needs a field and a span, as in 'bin _time span = 5m'");
  const read = compileExpr({ kind: "field", name, pos: stage.pos });
  return (scope) => {
    const value = Number(read(scope));
    scope.vars ??= new Map();
    scope.vars.set(name, Number.isFinite(value) ? Math.floor(value / ms) * ms : null);
    return true;
  };
}

function spanWord(expr: Expr): string | undefined {
  if (expr.kind === "word") return expr.text;
  if (expr.kind === "literal") return String(expr.value);
  if (expr.kind === "field") return expr.name;
  return undefined;
}

/** `comp count() as n, sum(x) as s by a, b`: aggregates (each optionally named) then group fields. */
function compileComp(stage: Stage & { kind: "other" }): Comp {
  const columns: AggregateColumn[] = [];
  const groupBy: Comp["groupBy"] = [];
  let grouping = false;
  for (let i = 0; i < stage.args.length; i++) {
    const arg = stage.args[i] as StageArg;
    if (arg.kind === "keyword" && arg.word === "by") grouping = true;
    else if (arg.kind !== "expr") throw problem(arg.kind === "keyword" ? arg : stage, "comp: unexpected argument");
    else if (grouping) groupBy.push(groupField(arg.expr));
    else {
      const next = stage.args[i + 1];
      const alias = next?.kind === "keyword" && next.word === "as" ? aliasOf(stage.args[i + 2], stage) : undefined;
      if (alias !== undefined) i += 2;
      columns.push(aggregateColumn(arg.expr, alias));
    }
  }
  if (columns.length === 0) throw problem(stage, "comp needs at least one aggregate, as in 'comp count() as n by x'");
  return { columns, groupBy };
}

function aliasOf(arg: StageArg | undefined, stage: Stage): string {
  if (arg?.kind === "expr" && arg.expr.kind === "field") return arg.expr.name;
  throw problem(stage, "comp: 'as' must be followed by a name");
}

function groupField(expr: Expr): { name: string; read: Compiled } {
  if (expr.kind !== "field") throw problem(expr, "comp groups by field names");
  return { name: expr.name, read: compileExpr(expr) };
}

function aggregateColumn(expr: Expr, alias: string | undefined): AggregateColumn {
  if (expr.kind !== "call") throw problem(expr, "comp takes aggregate functions, as in 'count()' or 'sum(bytes)'");
  const fn = AGGREGATES[expr.name];
  if (!fn)
    throw problem(
      expr,
      `aggregate function '${expr.name}' is not supported in correlation rules; supported: ${Object.keys(AGGREGATES).join(", ")}`,
    );
  if (expr.args.length > 1) throw problem(expr, `${expr.name} takes one field`);
  const [first] = expr.args;
  const field = first?.kind === "field" ? first.name : undefined;
  return {
    alias: alias ?? (field === undefined ? expr.name : `${expr.name}_${field}`),
    fn,
    arg: first === undefined ? undefined : compileExpr(first),
  };
}

/** Runs the per-event stages; the scope (with alter's values) when the event passes. */
export function runPerEvent(plan: CorrelationPlan, event: Record<string, unknown>): Scope | undefined {
  const scope: Scope = { event, vars: undefined, kept: undefined };
  for (const stage of plan.perEvent) if (!stage(scope)) return undefined;
  return scope;
}
