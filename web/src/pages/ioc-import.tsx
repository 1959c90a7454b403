import { useState } from "preact/hooks";
import { call, type Session } from "../api.ts";
import { countCsvRecords } from "../csv-records.ts";

type Report = { indicator: string; error: string };
const CHUNK = 5000;

/** Bulk import of a CSV (insert_csv) or NDJSON file (tim_insert_jsons in chunks), with progress and a per-row report. */
export function ImportPanel({ session, onDone }: { session: Session; onDone: () => void }) {
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>();
  const [errors, setErrors] = useState<Report[]>([]);
  const [summary, setSummary] = useState("");

  async function importFile(file: File) {
    const text = await file.text();
    setErrors([]);
    setSummary("");
    try {
      if (/\.csv$/i.test(file.name)) {
        setProgress({ done: 0, total: 1 });
        const res = await call<{ reply: { validation_errors: Report[] } }>(session, "/public_api/v1/indicators/insert_csv", {
          request_data: text,
          validate: true,
        });
        setErrors(res.reply.validation_errors);
        setProgress({ done: 1, total: 1 });
        const rows = countCsvRecords(text);
        setSummary(`Imported ${rows - res.reply.validation_errors.length} of ${rows} rows`);
      } else {
        const lines = text.split("\n").filter((l) => l.trim() !== "");
        const refused: Report[] = [];
        for (let at = 0; at < lines.length; at += CHUNK) {
          setProgress({ done: at, total: lines.length });
          const items = lines.slice(at, at + CHUNK).map((line, i) => {
            try {
              return JSON.parse(line);
            } catch {
              refused.push({ indicator: line.slice(0, 60), error: `line ${at + i + 1} is not JSON` });
              return null;
            }
          });
          const res = await call<{ reply: { validation_errors: Report[] } }>(session, "/public_api/v1/indicators/tim_insert_jsons", {
            request_data: items.filter((item) => item !== null),
            validate: true,
          });
          refused.push(...res.reply.validation_errors);
        }
        setProgress({ done: lines.length, total: lines.length });
        setErrors(refused);
        setSummary(`Imported ${lines.length - refused.length} of ${lines.length} lines`);
      }
      onDone();
    } catch (e) {
      setSummary((e as Error).message);
    }
  }

  return (
    <details class="panel">
      <summary>Import a file (CSV or NDJSON)</summary>
      <label>
        File
        <input type="file" accept=".csv,.ndjson,.json,.txt" onChange={(e) => {
          const file = (e.target as HTMLInputElement).files?.[0];
          if (file) void importFile(file);
        }} />
      </label>
      {progress && <progress max={progress.total} value={progress.done} aria-label="Import progress" />}
      {summary && <p role="status" data-testid="import-summary">{summary}</p>}
      {errors.length > 0 && (
        <table aria-label="Rows not imported">
          <thead>
            <tr>
              <th>Value</th>
              <th>Why it was not imported</th>
            </tr>
          </thead>
          <tbody>
            {errors.map((e) => (
              <tr key={e.indicator + e.error}>
                <td>{e.indicator}</td>
                <td>{e.error}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}
