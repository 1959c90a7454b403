/**
 * Reads plain CSV intelligence: a header line names the columns, and a mapping says which column
 * holds which rule field (by default the column of the field's own name). Without a type column,
 * each value's type is recognised from its shape; without an id column, the value is its identity.
 */

import { readExpiration } from "../domain/ioc/ioc-item.ts";
import { type IocType, RELIABILITIES, REPUTATIONS, SEVERITIES } from "../domain/ioc/ioc-model.ts";
import { parseCsv } from "../domain/ioc/legacy-csv.ts";
import { ItemReader } from "../domain/items/item-reader.ts";
import { fail, ok, type Result } from "../lib/result.ts";
import { intelDraft } from "./intel-draft.ts";
import { emptyBatch, type IntelBatch, type IntelRecord } from "./intel-model.ts";
import { ownValue } from "./intel-opinion.ts";
import { guessIocType, iocTypeNamed } from "./ioc-type-guess.ts";
import { singleAddress } from "./ip-value.ts";

export const CSV_FIELDS = [
  "id",
  "indicator",
  "type",
  "severity",
  "expiration_date",
  "comment",
  "reputation",
  "reliability",
] as const;
type CsvField = (typeof CSV_FIELDS)[number];

/** `field=column` pairs, e.g. "indicator=value,type=kind"; fields not named read their own column. */
export type CsvMapping = Partial<Record<CsvField, string>>;

export function parseCsvMapping(text: string): Result<CsvMapping> {
  const mapping: CsvMapping = {};
  for (const pair of text.split(",").filter((p) => p.trim() !== "")) {
    const [field = "", column] = pair.split("=").map((s) => s.trim());
    if (!(CSV_FIELDS as readonly string[]).includes(field) || !column)
      return fail(`'${pair}' is not field=column; the fields are ${CSV_FIELDS.join(", ")}`);
    mapping[field as CsvField] = column;
  }
  return ok(mapping);
}

export function readCsv(text: string, mapping: CsvMapping = {}): Result<IntelBatch> {
  const records = parseCsv(text);
  if (!records.ok) return records;
  const [header, ...rows] = records.value;
  if (!header) return fail("the CSV is empty; it needs a header line");
  const columns = columnIndexes(header.fields, mapping);
  if (!columns.ok) return columns;
  const batch = emptyBatch();
  for (const row of rows) readRow(row.row, row.fields, columns.value, batch);
  return ok(batch);
}

function columnIndexes(header: string[], mapping: CsvMapping): Result<Partial<Record<CsvField, number>>> {
  const names = header.map((name) => name.trim().toLowerCase());
  const indexes: Partial<Record<CsvField, number>> = {};
  for (const field of CSV_FIELDS) {
    const wanted = mapping[field];
    const index = names.indexOf((wanted ?? field).toLowerCase());
    if (wanted !== undefined && index < 0) return fail(`the header has no column '${wanted}' (mapped to ${field})`);
    if (index >= 0) indexes[field] = index;
  }
  if (indexes.indicator === undefined)
    return fail(`the header has no indicator column; name it with --columns indicator=<column>`);
  return ok(indexes);
}

function readRow(row: number, fields: string[], columns: Partial<Record<CsvField, number>>, batch: IntelBatch): void {
  const record = rowRecord(fields, columns);
  if (typeof record === "string") batch.rejected.push({ ref: `row ${row}`, reason: record });
  else batch.records.push(record);
}

/** The row's record, or why it cannot be one. */
function rowRecord(fields: string[], columns: Partial<Record<CsvField, number>>): IntelRecord | string {
  const cell = (field: CsvField) => {
    const index = columns[field];
    return index === undefined ? "" : (fields[index] ?? "").trim();
  };
  const value = cell("indicator");
  if (value === "") return "the indicator is empty";
  const type = cell("type") === "" ? guessedType(value) : typeNamed(cell("type"));
  if (!type.ok) return type.error;
  const address = type.value === "IP" ? singleAddress(value) : ok(value);
  if (!address.ok) return address.error;
  const fieldsRead = rowFields(cell);
  if (typeof fieldsRead === "string") return fieldsRead;
  const draft = intelDraft(type.value, address.value, fieldsRead);
  if (!draft.ok) return draft.error;
  const externalId = cell("id") || `${type.value}:${draft.value.canonical}`;
  return { kind: "rule", externalId, part: "", draft: draft.value };
}

function typeNamed(name: string): Result<IocType> {
  const type = iocTypeNamed(name);
  return type ? ok(type) : fail(`unknown type '${name}'`);
}

/** A CIDR block of one address is that address; a wider one is reported as such. */
function guessedType(value: string): Result<IocType> {
  const address = singleAddress(value);
  const type = guessIocType(address.ok ? address.value : value);
  if (type) return ok(type);
  return fail(
    value.includes("/") && !address.ok && /^[0-9a-f:.]+\/\d+$/i.test(value)
      ? address.error
      : `cannot tell the type of '${value}'`,
  );
}

/** The optional fields; an unknown value is the row's error rather than a silent default. */
function rowFields(cell: (field: CsvField) => string) {
  const checks = [
    ["severity", SEVERITIES],
    ["reputation", REPUTATIONS],
    ["reliability", RELIABILITIES],
  ] as const;
  for (const [field, allowed] of checks) {
    const text = cell(field);
    if (text !== "" && !ownValue(text.toUpperCase(), allowed))
      return `${field} '${text}' is not one of ${allowed.join(", ")}`;
  }
  const read = new ItemReader(cell("expiration_date") === "" ? {} : { expiration_date: cell("expiration_date") }, 64);
  const expirationDate = readExpiration(read);
  if (read.error) return read.error;
  const upper = (field: CsvField) => cell(field).toUpperCase() || undefined;
  return {
    severity: ownValue(upper("severity"), SEVERITIES),
    expirationDate,
    comment: cell("comment"),
    reputation: ownValue(upper("reputation"), REPUTATIONS),
    reliability: ownValue(upper("reliability"), RELIABILITIES) ?? null,
  };
}
