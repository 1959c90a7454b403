/**
 * Export of IOC rules as threat intelligence (intel/export): the ticked rules when there are any,
 * otherwise every rule the current filters select, as STIX 2.1, a MISP event or CSV.
 */
import { useState } from "preact/hooks";
import { callForFile, type Filter, type Session } from "../api.ts";
import { download } from "../rules/export.ts";

const FORMATS = [
  ["stix", "STIX 2.1"],
  ["misp", "MISP"],
  ["csv", "CSV"],
] as const;

export function IntelExport({
  session,
  picked,
  filters,
  onDone,
}: {
  session: Session;
  /** The ticked rules' ids; empty means "what the filters select". */
  picked: number[];
  filters: Filter[];
  onDone: (message: string, failed: boolean) => void;
}) {
  const [format, setFormat] = useState<string>("stix");
  const [busy, setBusy] = useState(false);
  const what = picked.length > 0 ? `${picked.length} selected` : filters.length > 0 ? "matching" : "all";

  async function run() {
    const chosen = picked.length > 0 ? [{ field: "rule_id", operator: "IN", value: picked }] : filters;
    setBusy(true);
    try {
      const { text, headers } = await callForFile(session, "/public_api/v1/intel/export", {
        request_data: { format, filters: chosen },
      });
      const name = /filename="([^"]+)"/.exec(headers.get("content-disposition") ?? "")?.[1] ?? `warden-iocs.${format}`;
      download(name, text, headers.get("content-type") ?? "application/octet-stream");
      const skipped = Number(headers.get("x-warden-skipped-rules") ?? 0);
      onDone(`Exported ${what} rules as ${format.toUpperCase()}${skipped ? ` (${skipped} MIXED rules have no ${format.toUpperCase()} form)` : ""}`, false);
    } catch (e) {
      onDone((e as Error).message, true);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="toolbar" role="group" aria-label="Export as intelligence">
      <select aria-label="Intelligence format" value={format} onChange={(e) => setFormat((e.target as HTMLSelectElement).value)}>
        {FORMATS.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <button type="button" disabled={busy} onClick={() => void run()}>
        {busy ? "Exporting…" : `Export ${what} as intelligence`}
      </button>
    </div>
  );
}
