/**
 * The CSV of `indicators/insert_csv` (spec/API.md section 6): RFC 4180 (quoted fields, doubled
 * quotes, CRLF or LF), blank lines skipped, a header line first. Errors name the row and column.
 */
import { fail, ok, type Result } from "../../lib/result.ts";

export const CSV_COLUMNS = [
  "indicator",
  "type",
  "severity",
  "expiration_date",
  "comment",
  "reputation",
  "reliability",
  "class",
  "vendor.name",
  "vendor.reputation",
  "vendor.reliability",
] as const;
const REQUIRED_COLUMNS = ["indicator", "type", "severity"];

export interface CsvRecord {
  /** 1-based line where the record starts. */
  row: number;
  fields: string[];
}

/** A data row turned into a legacy item, or the reason it could not be. */
export type CsvRow = { row: number; item: Record<string, unknown> } | { row: number; indicator: string; error: string };

class CsvCursor {
  index = 0;
  line = 1;
  lineStart = 0;
  constructor(readonly text: string) {}
  get column(): number {
    return this.index - this.lineStart + 1;
  }
  newline(): void {
    if (this.text[this.index] === "\r" && this.text[this.index + 1] === "\n") this.index += 1;
    this.index += 1;
    this.line += 1;
    this.lineStart = this.index;
  }
}

function atLineEnd(c: CsvCursor): boolean {
  const ch = c.text[c.index];
  return ch === "\n" || ch === "\r" || c.index >= c.text.length;
}

function quotedField(c: CsvCursor): Result<string> {
  const [startRow, startColumn] = [c.line, c.column];
  let value = "";
  c.index += 1;
  for (;;) {
    const next = c.text.indexOf('"', c.index);
    if (next < 0) return fail(`row ${startRow}, column ${startColumn}: a quoted field is never closed`);
    const chunk = c.text.slice(c.index, next);
    for (let i = chunk.indexOf("\n"); i >= 0; i = chunk.indexOf("\n", i + 1)) {
      c.line += 1;
      c.lineStart = c.index + i + 1;
    }
    value += chunk;
    c.index = next + 1;
    if (c.text[c.index] !== '"') break;
    value += '"';
    c.index += 1;
  }
  if (c.text[c.index] !== "," && !atLineEnd(c)) {
    return fail(`row ${c.line}, column ${c.column}: unexpected text after a closing quote`);
  }
  return ok(value);
}

function plainField(c: CsvCursor): Result<string> {
  const start = c.index;
  while (c.text[c.index] !== "," && !atLineEnd(c)) {
    if (c.text[c.index] === '"') return fail(`row ${c.line}, column ${c.column}: a quote inside an unquoted field`);
    c.index += 1;
  }
  return ok(c.text.slice(start, c.index));
}

/** Splits CSV text into records. */
export function parseCsv(text: string): Result<CsvRecord[]> {
  const c = new CsvCursor(text);
  const records: CsvRecord[] = [];
  while (c.index < text.length) {
    if (atLineEnd(c)) {
      c.newline(); // a blank line
      continue;
    }
    const record: CsvRecord = { row: c.line, fields: [] };
    for (;;) {
      const field = c.text[c.index] === '"' ? quotedField(c) : plainField(c);
      if (!field.ok) return field;
      record.fields.push(field.value);
      if (c.text[c.index] !== ",") break;
      c.index += 1;
    }
    records.push(record);
    if (c.index < text.length) c.newline();
  }
  return ok(records);
}

function checkHeader(header: string[]): Result<string[]> {
  const names = header.map((name) => name.trim().toLowerCase());
  const unknown = names.filter((name) => !(CSV_COLUMNS as readonly string[]).includes(name));
  if (unknown.length > 0)
    return fail(`row 1: unknown CSV columns ${unknown.join(", ")}; the header is ${CSV_COLUMNS.join(",")}`);
  const missing = REQUIRED_COLUMNS.filter((name) => !names.includes(name));
  if (missing.length > 0) return fail(`row 1: the CSV header lacks the columns ${missing.join(", ")}`);
  return ok(names);
}

function toItem(names: string[], fields: string[]): Record<string, unknown> {
  const value = (name: string) => fields[names.indexOf(name)] ?? "";
  const item: Record<string, unknown> = {};
  for (const name of [
    "indicator",
    "type",
    "severity",
    "expiration_date",
    "comment",
    "reputation",
    "reliability",
    "class",
  ]) {
    if (names.includes(name) && (value(name) !== "" || name === "indicator")) item[name] = value(name);
  }
  if (value("vendor.name") !== "") {
    item.vendors = [
      {
        vendor_name: value("vendor.name"),
        reputation: value("vendor.reputation") || "UNKNOWN",
        reliability: value("vendor.reliability"),
      },
    ];
  }
  return item;
}

/** Reads the header and turns each data row into a legacy item; a row of the wrong width is reported alone. */
export function csvRows(text: string): Result<CsvRow[]> {
  const records = parseCsv(text);
  if (!records.ok) return records;
  const [header, ...data] = records.value;
  if (!header) return fail("the CSV is empty; it needs a header line");
  const names = checkHeader(header.fields);
  if (!names.ok) return names;
  return ok(
    data.map((record): CsvRow => {
      if (record.fields.length === names.value.length)
        return { row: record.row, item: toItem(names.value, record.fields) };
      const error = `row ${record.row}: expected ${names.value.length} fields, got ${record.fields.length}`;
      return { row: record.row, indicator: record.fields[0] ?? "", error };
    }),
  );
}
