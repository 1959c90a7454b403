import { useState } from "preact/hooks";
import { download, toCsv, toNdjson } from "../rules/export.ts";

/** Rows ticked for a bulk action, kept by id across pages until cleared. */
export function useSelection<R extends { rule_id?: number }>() {
  const [picked, setPicked] = useState<Map<number, R>>(new Map());
  const toggle = (row: R, on: boolean) => {
    const next = new Map(picked);
    if (on) next.set(row.rule_id as number, row);
    else next.delete(row.rule_id as number);
    setPicked(next);
  };
  const togglePage = (rows: R[], on: boolean) => {
    const next = new Map(picked);
    for (const row of rows) {
      if (on) next.set(row.rule_id as number, row);
      else next.delete(row.rule_id as number);
    }
    setPicked(next);
  };
  return { picked, toggle, togglePage, clear: () => setPicked(new Map()) };
}

/**
 * What can be done with the ticked rules. Writes are offered to Instance Administrators only;
 * export is for everyone who can read them. `exportable` turns a row into what is written.
 */
export function BulkBar<R extends { rule_id?: number }>({
  picked,
  kind,
  canWrite,
  exportable,
  onEnable,
  onDelete,
  onClear,
}: {
  picked: Map<number, R>;
  kind: string;
  canWrite: boolean;
  exportable: (row: R) => Record<string, unknown>;
  onEnable: (rows: R[], enabled: boolean) => void;
  onDelete: (rows: R[]) => void;
  onClear: () => void;
}) {
  if (picked.size === 0) return null;
  const rows = [...picked.values()];
  const records = () => rows.map(exportable);
  return (
    <div class="toolbar bulk" role="group" aria-label="Selected rules">
      <strong>{picked.size} selected</strong>
      {canWrite && (
        <>
          <button type="button" onClick={() => onEnable(rows, true)}>
            Enable selected
          </button>
          <button type="button" onClick={() => onEnable(rows, false)}>
            Disable selected
          </button>
          <button type="button" onClick={() => onDelete(rows)}>
            Delete selected
          </button>
        </>
      )}
      <button type="button" onClick={() => download(`${kind}.csv`, toCsv(records()), "text/csv")}>
        Export CSV
      </button>
      <button type="button" onClick={() => download(`${kind}.ndjson`, toNdjson(records()), "application/x-ndjson")}>
        Export NDJSON
      </button>
      <button type="button" onClick={onClear}>
        Clear selection
      </button>
    </div>
  );
}

/** The tick boxes of a row and of the whole page, labelled for screen readers and tests. */
export function PickBox({ label, checked, onChange }: { label: string; checked: boolean; onChange: (on: boolean) => void }) {
  return (
    <input type="checkbox" aria-label={label} checked={checked} onChange={(e) => onChange((e.target as HTMLInputElement).checked)} />
  );
}
