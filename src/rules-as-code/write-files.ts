/** The repository's file formats as pull writes them: stable, so pulling twice changes no byte. */
import { stringify } from "yaml";
import { IOC_COLUMNS, type NamedKind } from "./rule-kinds.ts";

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV list, rows sorted by value; an expiry the tenant's default decides is left empty. */
export function iocCsv(rules: readonly Record<string, unknown>[]): string {
  const rows = rules
    .map((fields) => {
      const row = { ...fields };
      if (row.default_expiration_enabled === true) row.expiration_date = "";
      return IOC_COLUMNS.map((column) => csvCell(row[column])).join(",");
    })
    .sort();
  return `${[IOC_COLUMNS.join(","), ...rows].join("\n")}\n`;
}

/** The kind's field order first, then the rest alphabetically, tests last. */
export function orderedFields(kind: NamedKind, fields: Record<string, unknown>): Record<string, unknown> {
  const { tests, ...rest } = fields;
  const known = kind.fieldOrder.filter((field) => field in rest);
  const others = Object.keys(rest)
    .filter((field) => !kind.fieldOrder.includes(field))
    .sort();
  const ordered: Record<string, unknown> = Object.fromEntries([...known, ...others].map((f) => [f, rest[f]]));
  if (tests !== undefined) ordered.tests = tests;
  return ordered;
}

export function ruleFileText(kind: NamedKind, fields: Record<string, unknown>, json: boolean): string {
  const ordered = orderedFields(kind, fields);
  // lineWidth 0: long queries are never folded, so the file shows them as the server holds them.
  return json ? `${JSON.stringify(ordered, null, 2)}\n` : stringify(ordered, { lineWidth: 0, blockQuote: "literal" });
}

/** A file name from a rule's name: lower-case words joined by dashes. */
export function slug(name: string): string {
  const words = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80);
  return words === "" ? "rule" : words;
}
