/**
 * Compiles the `filter` and `alter` stages of an XQL query into a function over one event, with
 * XQL's semantics: text compared without regard to case, `*` wildcards in `=` / `in` literals,
 * `contains`, `~=` on RE2 (linear time), `incidr` / `incidr6`, and nulls that match nothing but
 * `= null`. A function the evaluator does not know is a compile error with its position.
 */
import type { RE2JS } from "re2js";
import { canonicalEnumValue, canonicalEventEnum, ENUM_FIELDS } from "../../engine/enum-forms.ts";
import { type EndpointEvent, eventTypeOf, fieldValue } from "../../engine/event-model.ts";
import { compileWildcard } from "../../engine/wildcard.ts";
import { compileBoundedRegex, regexSubject } from "../../lib/bounded-regex.ts";
import type { BinaryOp, Expr, Query, Stage, StageArg } from "./xql-ast.ts";
import { AGGREGATE_FUNCTIONS, asJson, FUNCTIONS, jsonPathGet } from "./xql-functions.ts";
import { XqlSyntaxError } from "./xql-lexer.ts";
import { compare, inCidr, isNull, number, text, truthy, type XqlValue } from "./xql-values.ts";

/** One event (or result row) as expressions read it: alter's values over the event's own. */
export interface Scope {
  event: EndpointEvent;
  vars: Map<string, XqlValue> | undefined;
  /** After a `fields` stage, the names still readable (listed, or matching a `prefix*` pattern). */
  kept?: { has(name: string): boolean } | undefined;
}
export type Compiled = (scope: Scope) => XqlValue;
type Matcher = (value: XqlValue) => boolean;

function compileError(expr: { pos: { line: number; column: number } }, message: string): XqlSyntaxError {
  return new XqlSyntaxError({ line: expr.pos.line, column: expr.pos.column, message });
}

/** Reads alter's values first, then the event's own; after `fields`, only the kept names. */
function readField(name: string): Compiled {
  if (name === "event_type")
    return ({ vars, event, kept }) =>
      vars?.has(name) ? vars.get(name) : kept !== undefined && !kept.has(name) ? null : (eventTypeOf(event) ?? null);
  return ({ vars, event, kept }) =>
    vars?.has(name) ? vars.get(name) : kept !== undefined && !kept.has(name) ? null : (fieldValue(event, name) ?? null);
}

type Known = Expr & { kind: "literal" | "enum" | "word" };

/**
 * The right side of `field = X` in the spelling events are compared in: `ENUM.X`, `"X"` and (for
 * event_type) the number all name X; a bare upper-case word after an enum field is an enum name.
 */
function enumForm(left: Expr, right: Expr): Expr {
  if (left.kind !== "field" || !ENUM_FIELDS.has(left.name)) return right;
  if (right.kind === "field" && /^[A-Z][A-Z0-9_]*$/.test(right.name))
    return { kind: "enum", name: right.name, pos: right.pos };
  if (right.kind === "list") return { ...right, items: right.items.map((item) => enumForm(left, item)) };
  if (right.kind === "literal" && (typeof right.value === "string" || typeof right.value === "number"))
    return { ...right, value: canonicalEnumValue(left.name, right.value) };
  if (right.kind === "enum") return { ...right, name: String(canonicalEnumValue(left.name, right.name)) };
  return right;
}

/** Equality with a known right side: the common case, prepared once. */
/** An enum field read in the rules' spelling, for equality tests. */
function enumRead(left: Expr, compileExpr: (e: Expr) => Compiled): Compiled {
  const read = compileExpr(left);
  if (left.kind !== "field" || left.name === "event_type" || !ENUM_FIELDS.has(left.name)) return read;
  const field = left.name;
  return (s) => canonicalEventEnum(field, read(s));
}

function equalsLiteral(literal: Known): Matcher {
  const value = literal.kind === "literal" ? literal.value : literal.kind === "enum" ? literal.name : literal.text;
  if (value === null) return isNull;
  if (typeof value === "string" && value.includes("*")) {
    const matches = compileWildcard(value.toLowerCase());
    return (a) =>
      !isNull(a) &&
      (Array.isArray(a) ? a.some((x) => matches(text(x)?.toLowerCase() ?? "")) : matches(text(a)?.toLowerCase() ?? ""));
  }
  return (a) => equals(a, value);
}

function equals(a: XqlValue, b: XqlValue): boolean {
  if (isNull(a) || isNull(b)) return false;
  if (Array.isArray(a)) return a.some((x) => equals(x, b));
  return compare(a, b) === 0;
}

function isKnown(expr: Expr): expr is Known {
  return expr.kind === "literal" || expr.kind === "enum" || expr.kind === "word";
}

function listMatchers(list: Expr, compileExpr: (e: Expr) => Compiled): (scope: Scope) => Matcher[] {
  const items = list.kind === "list" ? list.items : [list];
  if (items.every(isKnown)) {
    const fixed = items.map((item) => equalsLiteral(item as Known));
    return () => fixed;
  }
  const compiled = items.map(compileExpr);
  return (scope) =>
    compiled.map((c) => {
      const b = c(scope);
      return (a: XqlValue) => equals(a, b);
    });
}

/** A regex a rule may store: RE2 syntax and a bounded program (lib/bounded-regex.ts). */
export function compileRegexLiteral(expr: Expr, pattern: string): RE2JS {
  const regex = compileBoundedRegex(pattern);
  if (typeof regex === "string") throw compileError(expr, `regular expression ${regex}`);
  return regex;
}

function regexTest(regex: RE2JS): Matcher {
  const one = (a: XqlValue) => !isNull(a) && regex.matcher(regexSubject(text(a) ?? "")).find();
  return (a) => (Array.isArray(a) ? a.some(one) : one(a));
}

function regexMatcher(right: Expr, compileExpr: (e: Expr) => Compiled): (scope: Scope) => Matcher {
  if (right.kind === "literal" && typeof right.value === "string") {
    const matches = regexTest(compileRegexLiteral(right, right.value));
    return () => matches;
  }
  const pattern = compileExpr(right);
  return (scope) => {
    const source = text(pattern(scope));
    const regex = source === undefined ? "no pattern" : compileBoundedRegex(source);
    return typeof regex === "string" ? () => false : regexTest(regex);
  };
}

const ARITHMETIC: Partial<Record<BinaryOp, (a: number, b: number) => number>> = {
  "+": (a, b) => a + b,
  "-": (a, b) => a - b,
  "*": (a, b) => a * b,
  "/": (a, b) => a / b,
  "%": (a, b) => a % b,
};

function containsValue(a: XqlValue, b: XqlValue): boolean {
  if (isNull(a) || isNull(b)) return false;
  if (Array.isArray(a)) return a.some((x) => equals(x, b));
  return (text(a) ?? "").toLowerCase().includes((text(b) ?? "").toLowerCase());
}

function compileBinary(node: Expr & { kind: "binary" }, compileExpr: (e: Expr) => Compiled): Compiled {
  const equality = node.op === "=" || node.op === "!=" || node.op === "in" || node.op === "not in";
  const expr = equality ? { ...node, right: enumForm(node.left, node.right) } : node;
  const { op } = expr;
  const left = equality ? enumRead(expr.left, compileExpr) : compileExpr(expr.left);
  if (op === "and") {
    const right = compileExpr(expr.right);
    return (s) => truthy(left(s)) && truthy(right(s));
  }
  if (op === "or") {
    const right = compileExpr(expr.right);
    return (s) => truthy(left(s)) || truthy(right(s));
  }
  if (op === "=" || op === "!=") {
    const negate = op === "!=";
    if (isKnown(expr.right)) {
      const matches = equalsLiteral(expr.right);
      const againstNull = expr.right.kind === "literal" && expr.right.value === null;
      return (s) => {
        const a = left(s);
        if (negate) return againstNull ? !isNull(a) : !isNull(a) && !matches(a);
        return matches(a);
      };
    }
    const right = compileExpr(expr.right);
    return (s) => {
      const [a, b] = [left(s), right(s)];
      return negate ? !isNull(a) && !isNull(b) && !equals(a, b) : equals(a, b);
    };
  }
  if (op === "in" || op === "not in") {
    const matchers = listMatchers(expr.right, compileExpr);
    return (s) => {
      const a = left(s);
      if (isNull(a)) return false;
      const found = matchers(s).some((m) => m(a));
      return op === "in" ? found : !found;
    };
  }
  if (op === "~=" || op === "!~=") {
    const matcher = regexMatcher(expr.right, compileExpr);
    if (op === "~=") return (s) => matcher(s)(left(s));
    return (s) => {
      const a = left(s);
      return !isNull(a) && !matcher(s)(a);
    };
  }
  const right = compileExpr(expr.right);
  if (op === "contains" || op === "not contains") {
    return (s) => {
      const [a, b] = [left(s), right(s)];
      if (isNull(a) || isNull(b)) return false;
      return containsValue(a, b) === (op === "contains");
    };
  }
  if (op.endsWith("incidr") || op.endsWith("incidr6")) {
    const family = op.endsWith("6") ? 6 : 4;
    return (s) => {
      const a = left(s);
      if (isNull(a)) return false;
      return inCidr(a, right(s), family) === !op.startsWith("not");
    };
  }
  const arithmetic = ARITHMETIC[op];
  if (arithmetic) {
    return (s) => {
      const [a, b] = [number(left(s)), number(right(s))];
      return a === undefined || b === undefined ? null : arithmetic(a, b);
    };
  }
  return (s) => {
    const order = compare(left(s), right(s));
    if (order === undefined) return false;
    return op === "<" ? order < 0 : op === "<=" ? order <= 0 : op === ">" ? order > 0 : order >= 0;
  };
}

function compileCall(expr: Expr & { kind: "call" }, compileExpr: (e: Expr) => Compiled): Compiled {
  if (AGGREGATE_FUNCTIONS.has(expr.name))
    throw compileError(expr, `aggregate function '${expr.name}' cannot be evaluated on one event`);
  const fn = FUNCTIONS[expr.name];
  if (!fn) throw compileError(expr, `unknown function '${expr.name}'`);
  const pattern = expr.name === "regextract" || expr.name === "replex" ? expr.args[1] : undefined;
  if (pattern?.kind === "literal" && typeof pattern.value === "string") {
    const regex = compileBoundedRegex(pattern.value, false);
    if (typeof regex === "string") throw compileError(pattern, `regular expression ${regex}`);
  }
  const args = expr.args.map(compileExpr);
  return (s) => fn(args.map((arg) => arg(s)));
}

export function compileExpr(expr: Expr): Compiled {
  switch (expr.kind) {
    case "literal":
      return () => expr.value;
    case "enum":
      return () => expr.name;
    case "word":
      return () => expr.text;
    case "field":
      return readField(expr.name);
    case "list": {
      const items = expr.items.map(compileExpr);
      return (s) => items.map((item) => item(s));
    }
    case "unary": {
      const operand = compileExpr(expr.operand);
      if (expr.op === "not") return (s) => !truthy(operand(s));
      return (s) => {
        const n = number(operand(s));
        return n === undefined ? null : -n;
      };
    }
    case "json": {
      const base = compileExpr(expr.base);
      return (s) => jsonResult(jsonPathGet(asJson(base(s)), expr.path), expr.as);
    }
    case "index": {
      const [base, index] = [compileExpr(expr.base), compileExpr(expr.index)];
      return (s) => FUNCTIONS.arrayindex?.([base(s), index(s)]) ?? null;
    }
    case "call":
      return compileCall(expr, compileExpr);
    case "binary":
      return compileBinary(expr, compileExpr);
    case "subquery":
      throw compileError(expr, "a sub-query reads other datasets, and a BIOC sees only the event it matches");
  }
}

/** `->a` gives scalars as they are and objects as JSON text; `->a[]` the array's items; `->a{}` JSON text. */
function jsonResult(found: unknown, as: "value" | "array" | "json"): XqlValue {
  if (found === undefined || found === null) return null;
  if (as === "json") return JSON.stringify(found);
  if (as === "array") {
    const items = Array.isArray(found) ? found : asJson(found);
    return Array.isArray(items)
      ? items.map((v) => (typeof v === "object" && v !== null ? JSON.stringify(v) : v))
      : null;
  }
  return typeof found === "object" ? JSON.stringify(found) : found;
}

/** What a matching query reports: the first field its first filter reads, with the event's value there. */
export interface XqlMatch {
  field: string;
  value: XqlValue;
}

function firstField(expr: Expr): string | undefined {
  switch (expr.kind) {
    case "field":
      return expr.name === "event_type" ? undefined : expr.name;
    case "binary":
      return firstField(expr.left) ?? firstField(expr.right);
    case "unary":
      return firstField(expr.operand);
    case "json":
    case "index":
      return firstField(expr.base);
    case "call":
      return expr.args.map(firstField).find((f) => f !== undefined);
    default:
      return undefined;
  }
}

export type StageRunner = (scope: Scope) => boolean;

/** A filter, alter, fields or config stage over one scope (false: filtered out); other stages throw. */
export function compileStage(stage: Stage): StageRunner {
  if (stage.kind === "filter") {
    const test = compileExpr(stage.expr);
    return (scope) => truthy(test(scope));
  }
  if (stage.kind === "alter") {
    const assignments = stage.assignments.map((a) => ({ name: a.name, value: compileExpr(a.value) }));
    return (scope) => {
      scope.vars ??= new Map();
      for (const { name, value } of assignments) scope.vars.set(name, value(scope));
      return true;
    };
  }
  if (stage.name === "fields") return fieldsStage(stage);
  if (stage.name === "config") return () => true;
  throw compileError(
    stage,
    `stage '${stage.name}' cannot be evaluated on one event; only filter, alter, fields and config can`,
  );
}

/** A `fields` entry: the field read, and the name later stages know it by (`fields a as b`). */
interface FieldsEntry {
  field: string;
  name: string;
}

/** `a`, or `a as b`, for each listed field (patterns and `*` are keywords, read apart). */
function fieldsEntries(args: readonly StageArg[]): FieldsEntry[] {
  const entries: FieldsEntry[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as StageArg;
    if (arg.kind !== "expr" || arg.expr.kind !== "field") continue;
    const [as, alias] = [args[i + 1], args[i + 2]];
    const aliasExpr = as?.kind === "keyword" && as.word === "as" && alias?.kind === "expr" ? alias.expr : undefined;
    const aliased = aliasExpr?.kind === "field" ? aliasExpr.name : undefined;
    entries.push({ field: arg.expr.name, name: aliased ?? arg.expr.name });
    if (aliased !== undefined) i += 2;
  }
  return entries;
}

/**
 * `fields a, b as c`: later stages read only these, by the names given (and what alter made);
 * `fields *` keeps all. A renamed field is read once here, under its new name.
 */
function fieldsStage(stage: Stage & { kind: "other" }): StageRunner {
  const entries = fieldsEntries(stage.args);
  const names = new Set(entries.map((e) => e.name));
  const renamed = entries.filter((e) => e.name !== e.field).map((e) => ({ name: e.name, read: readField(e.field) }));
  const prefixes = stage.args.flatMap((arg) =>
    arg.kind === "keyword" && arg.word.length > 1 && arg.word.endsWith("*") ? [arg.word.slice(0, -1)] : [],
  );
  if (
    stage.args.some((arg) => arg.kind === "keyword" && arg.word === "*") ||
    (names.size === 0 && prefixes.length === 0)
  )
    return () => true;
  const kept = { has: (name: string) => names.has(name) || prefixes.some((prefix) => name.startsWith(prefix)) };
  return (scope) => {
    if (renamed.length > 0) {
      // all read before any is bound, so `fields a as b, b as a` swaps them
      const values = renamed.map(({ name, read }) => [name, read(scope)] as const);
      scope.vars ??= new Map();
      for (const [name, value] of values) scope.vars.set(name, value);
    }
    scope.kept = kept;
    return true;
  };
}

/** The query as a function over one event: undefined when it does not match. */
export function compileQuery(query: Query): (event: EndpointEvent) => XqlMatch | undefined {
  const stages = query.stages.map(compileStage);
  const firstFilter = query.stages.find((s) => s.kind === "filter");
  const reported = (firstFilter?.kind === "filter" ? firstField(firstFilter.expr) : undefined) ?? "event_type";
  const read = readField(reported);
  return (event) => {
    const scope: Scope = { event, vars: undefined, kept: undefined };
    for (const stage of stages) if (!stage(scope)) return undefined;
    return { field: reported, value: read(scope) };
  };
}
