/** Reads the IOC lists: CSV files (a header row naming the columns) and NDJSON files, one rule a row. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_LIMITS } from "../config.ts";
import { parseIocItem } from "../domain/ioc/ioc-item.ts";
import { parseCsv } from "../domain/ioc/legacy-csv.ts";
import type { Position, Problem, RepoRule } from "./repo-model.ts";
import { IOC_COLUMNS, IOC_FOLDER } from "./rule-kinds.ts";

type Row = { at: Position; fields: Record<string, unknown> };

/** CSV cells are text; these columns hold numbers or booleans on the wire. An empty cell means the default. */
function cellValue(column: string, text: string): unknown {
  if (column === "default_expiration_enabled") return text.toLowerCase() === "true";
  if (column === "expiration_date" && /^-?\d+$/.test(text)) return Number(text);
  return text;
}

function csvRows(file: string, text: string): { rows: Row[]; problems: Problem[] } {
  const parsed = parseCsv(text);
  if (!parsed.ok) return { rows: [], problems: [{ file, line: 1, column: 1, message: parsed.error }] };
  const [header, ...records] = parsed.value;
  const names = header?.fields.map((name) => name.trim()) ?? [];
  const unknown = names.filter((name) => !(IOC_COLUMNS as readonly string[]).includes(name));
  if (unknown.length > 0 || !names.includes("indicator"))
    return {
      rows: [],
      problems: [{ file, line: 1, column: 1, message: `the header must name columns of: ${IOC_COLUMNS.join(",")}` }],
    };
  const rows = records.map((record) => {
    const fields: Record<string, unknown> = {};
    names.forEach((name, i) => {
      const text = record.fields[i] ?? "";
      if (text !== "") fields[name] = cellValue(name, text);
    });
    return { at: { file, line: record.row, column: 1 }, fields };
  });
  return { rows, problems: [] };
}

function ndjsonRows(file: string, text: string): { rows: Row[]; problems: Problem[] } {
  const rows: Row[] = [];
  const problems: Problem[] = [];
  for (const [index, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    const at = { file, line: index + 1, column: 1 };
    try {
      rows.push({ at, fields: JSON.parse(line) });
    } catch (error) {
      problems.push({ ...at, message: (error as Error).message });
    }
  }
  return { rows, problems };
}

export function iocFiles(root: string): string[] {
  const dir = join(root, IOC_FOLDER);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /\.(csv|ndjson)$/.test(name))
    .sort()
    .map((name) => join(dir, name));
}

/** Every IOC rule in `root`, keyed by its canonical value; a value listed twice is a problem. */
export function loadIocs(root: string): { rules: RepoRule[]; problems: Problem[]; files: string[] } {
  const rules: RepoRule[] = [];
  const problems: Problem[] = [];
  const seen = new Map<string, Position>();
  const files = iocFiles(root);
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const read = file.endsWith(".csv") ? csvRows(file, text) : ndjsonRows(file, text);
    problems.push(...read.problems);
    for (const { at, fields } of read.rows) {
      const draft = parseIocItem(fields, DEFAULT_LIMITS.stringLength);
      if (!draft.ok) {
        problems.push({ ...at, message: draft.error });
        continue;
      }
      const earlier = seen.get(draft.value.canonical);
      if (earlier) {
        problems.push({ ...at, message: `the indicator is also listed at ${earlier.file}:${earlier.line}` });
        continue;
      }
      seen.set(draft.value.canonical, at);
      rules.push({ kind: "ioc", key: draft.value.canonical, fields, at });
    }
  }
  return { rules, problems, files };
}
