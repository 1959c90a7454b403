import { useState } from "preact/hooks";
import type { Filter } from "../api.ts";
import { useApiQuery } from "../data/use-api.ts";
import { ListState } from "./list-state.tsx";
import type { PageProps } from "../app.tsx";
import { Pager } from "./pager.tsx";

interface AuditRow {
  AUDIT_ID: number;
  AUDIT_OWNER_NAME: string;
  AUDIT_HOSTNAME: string | null;
  AUDIT_DESCRIPTION: string;
  AUDIT_ENTITY: string;
  AUDIT_ENTITY_SUBTYPE: string;
  AUDIT_INSERT_TIME: number;
  AUDIT_ASSET_JSON: string;
}

/** The live service answers at most 100 entries a call. */
const PAGE = 100;
const ENTITIES = ["IOC_RULES", "BIOC_RULES", "API_KEYS", "TENANTS"];
const ACTIONS = ["Create", "Edit", "Enable", "Disable", "Delete", "Revoke"];

/** The record before and after, one under the other, for one entry. */
function Change({ row }: { row: AuditRow }) {
  const { before, after } = JSON.parse(row.AUDIT_ASSET_JSON) as { before: unknown; after: unknown };
  return (
    <details>
      <summary>Before and after</summary>
      <div class="split">
        <pre aria-label="Before">{before === null ? "(none)" : JSON.stringify(before, null, 2)}</pre>
        <pre aria-label="After">{after === null ? "(none)" : JSON.stringify(after, null, 2)}</pre>
      </div>
    </details>
  );
}

/** Instance Administrators only: who changed which rule, key or tenant of this tenant, newest first. */
export function AuditPage({ session }: PageProps) {
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [from, setFrom] = useState(0);
  const list: Filter[] = Object.entries(filters)
    .filter(([, v]) => v)
    .map(([field, value]) => ({ field, operator: "in", value: [value] }));
  const query = useApiQuery<{ reply: { total_count: number; data: AuditRow[] } }>(session, "/public_api/v1/audits/management_logs", {
    request_data: { filters: list, search_from: from, search_to: from + PAGE },
  });
  const rows = query.data?.reply.data ?? [];
  const total = query.data?.reply.total_count ?? 0;

  const set = (field: string) => (e: Event) => {
    setFrom(0);
    setFilters({ ...filters, [field]: (e.target as HTMLSelectElement).value });
  };
  return (
    <section>
      <h1>Audit log</h1>
      <div class="toolbar">
        <select aria-label="What" onChange={set("type")}>
          <option value="">rules, keys and tenants</option>
          {ENTITIES.map((e) => (
            <option key={e}>{e}</option>
          ))}
        </select>
        <select aria-label="Change" onChange={set("sub_type")}>
          <option value="">any change</option>
          {ACTIONS.map((a) => (
            <option key={a}>{a}</option>
          ))}
        </select>
      </div>
      <ListState query={query} what="entries" />
      <Pager from={from} size={PAGE} total={total} onMove={setFrom} testId="audit-count" empty="No entries" loading={query.isPending} stale={query.isPlaceholderData} />
      <div class="table-wrap" aria-busy={query.isFetching}>
        <table aria-label="Audit entries">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>What</th>
              <th>Change</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.AUDIT_ID}>
                <td>{new Date(row.AUDIT_INSERT_TIME).toISOString().replace("T", " ").slice(0, 19)}</td>
                <td>
                  {row.AUDIT_OWNER_NAME}
                  {row.AUDIT_HOSTNAME ? ` (${row.AUDIT_HOSTNAME})` : ""}
                </td>
                <td>
                  {row.AUDIT_ENTITY} · {row.AUDIT_ENTITY_SUBTYPE}
                </td>
                <td>
                  {row.AUDIT_DESCRIPTION}
                  <Change row={row} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
