import { useState } from "preact/hooks";
import type { Filter } from "../api.ts";
import type { PageProps } from "../app.tsx";
import { useApiQuery } from "../data/use-api.ts";
import { ListState } from "./list-state.tsx";
import { Pager } from "./pager.tsx";

interface Alert {
  alert_id: number;
  detection_timestamp: number;
  source: "IOC" | "BIOC";
  rule_id: number;
  name: string;
  severity: string;
  field: string;
  value: string;
  event?: Record<string, unknown>;
}

const PAGE = 50;
/** Newest first: the alerts someone opens this page for (sort is a Warden extension, docs/console.md). */
const NEWEST_FIRST = { field: "alert_id", keyword: "desc" };
const HOST_FIELDS = ["agent_hostname", "host_name", "hostname", "agent_host", "host"];

const hostOf = (event: Record<string, unknown> | undefined) =>
  HOST_FIELDS.map((f) => event?.[f]).find((v) => typeof v === "string" && v !== "") as string | undefined;

/** Local time for people, with the UTC instant on hover. */
function When({ at }: { at: number }) {
  const date = new Date(at);
  return <time dateTime={date.toISOString()} title={date.toISOString()}>{date.toLocaleString()}</time>;
}

export function AlertsPage({ session }: PageProps) {
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [from, setFrom] = useState(0);
  const list: Filter[] = Object.entries(filters)
    .filter(([, v]) => v)
    .map(([field, value]) => ({ field, operator: "EQ", value }));
  const query = useApiQuery<{ reply: { total_count: number; alerts: Alert[] } }>(session, "/public_api/v1/alerts/get_alerts", {
    request_data: { filters: list, search_from: from, search_to: from + PAGE, sort: NEWEST_FIRST },
  });
  const alerts = query.data?.reply.alerts ?? [];
  const total = query.data?.reply.total_count ?? 0;

  const set = (field: string) => (e: Event) => {
    setFrom(0);
    setFilters({ ...filters, [field]: (e.target as HTMLSelectElement).value });
  };
  return (
    <section>
      <h1>Alerts</h1>
      <div class="toolbar">
        <select aria-label="Source" onChange={set("source")}>
          <option value="">IOC and BIOC</option>
          <option>IOC</option>
          <option>BIOC</option>
        </select>
        <select aria-label="Severity" onChange={set("severity")}>
          <option value="">any severity</option>
          {["SEV_010_INFO", "SEV_020_LOW", "SEV_030_MEDIUM", "SEV_040_HIGH", "SEV_050_CRITICAL"].map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </div>
      <ListState query={query} what="alerts" />
      <div class="table-wrap" aria-busy={query.isFetching}>
        <table aria-label="Alerts">
          <thead>
            <tr>
              <th>ID</th>
              <th>Detected (local time)</th>
              <th>Rule</th>
              <th>Severity</th>
              <th>Host</th>
              <th>Field</th>
              <th>Value</th>
            </tr>
          </thead>
          <tbody>
            {alerts.map((a) => (
              <tr key={a.alert_id}>
                <td>{a.alert_id}</td>
                <td>
                  <When at={a.detection_timestamp} />
                </td>
                <td>
                  <a href={`#/${a.source === "IOC" ? "iocs" : "biocs"}?rule=${a.rule_id}`}>
                    {a.source} · {a.name}
                  </a>
                </td>
                <td>{a.severity.replace(/^SEV_\d+_/, "")}</td>
                <td>{hostOf(a.event) ?? "—"}</td>
                <td>{a.field}</td>
                <td class="value">
                  {a.value}
                  {a.event && (
                    <details>
                      <summary>Event</summary>
                      <pre aria-label={`Event of alert ${a.alert_id}`}>{JSON.stringify(a.event, null, 2)}</pre>
                    </details>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager from={from} size={PAGE} total={total} onMove={setFrom} testId="alert-count" empty="No alerts" loading={query.isPending} stale={query.isPlaceholderData} />
    </section>
  );
}
