/**
 * The stages after comp, on the aggregated rows: filter, alter and fields as on events; sort,
 * limit and dedup over the whole set of rows.
 */
import type { Stage, StageArg } from "../xql/xql-ast.ts";
import { compileExpr, compileStage, type Scope } from "../xql/xql-eval.ts";
import { XqlSyntaxError } from "../xql/xql-lexer.ts";
import { compare } from "../xql/xql-values.ts";

export type Row = Record<string, unknown>;
export type RowStage = (rows: Row[]) => Row[];

function problem(stage: Stage, message: string): XqlSyntaxError {
  return new XqlSyntaxError({ line: stage.pos.line, column: stage.pos.column, message });
}

/** A row with alter's values written into it, so later stages and the alert see them. */
function rowOf(scope: Scope): Row {
  const row: Row = { ...scope.event };
  for (const [name, value] of scope.vars ?? []) row[name] = value;
  if (scope.kept) for (const name of Object.keys(row)) if (!scope.kept.has(name)) delete row[name];
  return row;
}

function fieldNames(args: readonly StageArg[]): string[] {
  return args.flatMap((arg) => (arg.kind === "expr" && arg.expr.kind === "field" ? [arg.expr.name] : []));
}

export function compileRowStage(stage: Stage): RowStage {
  const name = stage.kind === "other" ? stage.name : stage.kind;
  if (name === "filter" || name === "alter" || name === "fields" || name === "config") {
    const run = compileStage(stage);
    return (rows) =>
      rows.flatMap((row) => {
        const scope: Scope = { event: row, vars: undefined, kept: undefined };
        return run(scope) ? [rowOf(scope)] : [];
      });
  }
  if (stage.kind !== "other") throw problem(stage, `stage '${name}' cannot run after comp`);
  if (name === "sort") return sortStage(stage);
  if (name === "limit") return limitStage(stage);
  if (name === "dedup") return dedupStage(stage);
  throw problem(stage, `stage '${name}' is not supported in correlation rules after comp`);
}

function sortStage(stage: Stage & { kind: "other" }): RowStage {
  const keys: { name: string; descending: boolean }[] = [];
  let descending = false;
  for (const arg of stage.args) {
    if (arg.kind === "keyword") descending = arg.word.toLowerCase() === "desc";
    else if (arg.kind === "expr" && arg.expr.kind === "field") keys.push({ name: arg.expr.name, descending });
  }
  if (keys.length === 0) throw problem(stage, "sort needs a field, as in 'sort desc failures'");
  return (rows) =>
    [...rows].sort((a, b) => {
      for (const key of keys) {
        const order = compare(a[key.name], b[key.name]) ?? 0;
        if (order !== 0) return key.descending ? -order : order;
      }
      return 0;
    });
}

function limitStage(stage: Stage & { kind: "other" }): RowStage {
  const [arg] = stage.args;
  const value = arg?.kind === "expr" && arg.expr.kind === "literal" ? Number(arg.expr.value) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 0) throw problem(stage, "limit needs a whole number");
  return (rows) => rows.slice(0, value);
}

function dedupStage(stage: Stage & { kind: "other" }): RowStage {
  const names = fieldNames(stage.args);
  if (names.length === 0) throw problem(stage, "dedup needs fields");
  const reads = names.map((name) => compileExpr({ kind: "field", name, pos: stage.pos }));
  return (rows) => {
    const seen = new Set<string>();
    return rows.filter((row) => {
      const scope: Scope = { event: row, vars: undefined, kept: undefined };
      const key = JSON.stringify(reads.map((read) => read(scope) ?? null));
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  };
}

export { rowOf };
