/**
 * The same checks the server applies to an insert item, run offline, with each problem placed in
 * the file: an XQL syntax error at the query's own line and column, other problems at the field
 * they name.
 */
import { DEFAULT_LIMITS } from "../config.ts";
import { parseBiocItem } from "../domain/bioc/bioc-item.ts";
import { xqlText } from "../domain/xql/xql-bioc.ts";
import { validateXql } from "../domain/xql/xql-validate.ts";
import type { Position, Problem } from "./repo-model.ts";
import type { NamedKind } from "./rule-kinds.ts";
import type { SourceFile } from "./yaml-source.ts";

/** The file position of (line, column) inside a query, both as the XQL parser counts them. */
function queryPosition(source: SourceFile, field: string, line: number, column: number): Position {
  const text = source.textAt(field);
  if (!text) return source.keyAt(field);
  const { at, block, indent } = text;
  if (block) return { file: at.file, line: at.line + line - 1, column: indent + column + 1 };
  return { file: at.file, line: at.line + line - 1, column: (line === 1 ? at.column : 1) + column };
}

function xqlProblem(source: SourceFile, field: string, query: unknown, bioc: boolean): Problem | undefined {
  const text = bioc ? xqlText(query) : query;
  if (typeof text !== "string") return undefined; // the item check below says what is wrong
  const result = validateXql(text, bioc);
  if (result.ok) return undefined;
  const problem = result.error;
  if ("reason" in problem) return { ...source.keyAt(field), message: `${field}: ${problem.reason}` };
  const { line, column, message } = problem.syntax;
  return { ...queryPosition(source, field, line, column), message: `XQL syntax error: ${message}` };
}

/** The field a domain message names ('field' in quotes), so the problem points at it. */
function namedField(message: string, fields: Record<string, unknown>): string | undefined {
  for (const match of message.matchAll(/'([a-z_]+)'/g)) if (match[1] && match[1] in fields) return match[1];
  return undefined;
}

function checkBioc(source: SourceFile, fields: Record<string, unknown>): Problem[] {
  if (fields.is_xql === true) {
    const problem = xqlProblem(source, "indicator", fields.indicator, true);
    if (problem) return [problem];
  }
  const parsed = parseBiocItem(fields, DEFAULT_LIMITS);
  if (parsed.ok) return [];
  const field = namedField(parsed.error, fields) ?? (fields.is_xql === false ? "indicator" : "name");
  return [{ ...source.keyAt(field), message: parsed.error }];
}

function checkCorrelation(source: SourceFile, fields: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  for (const field of ["alert_name", "xql_query"])
    if (typeof fields[field] !== "string") problems.push({ ...source.keyAt(field), message: `${field} is required` });
  const syntax = xqlProblem(source, "xql_query", fields.xql_query, false);
  if (syntax) problems.push(syntax);
  return problems;
}

export function checkNamedRule(kind: NamedKind, source: SourceFile, fields: Record<string, unknown>): Problem[] {
  if (typeof fields.name !== "string" || fields.name.trim() === "")
    return [{ ...source.keyAt("name"), message: "name is required" }];
  return kind.kind === "bioc" ? checkBioc(source, fields) : checkCorrelation(source, fields);
}
