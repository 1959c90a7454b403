import { useState } from "preact/hooks";
import type { Filter } from "../api.ts";
import { useApiQuery } from "../data/use-api.ts";
import { ListState } from "./list-state.tsx";
import type { PageProps } from "../app.tsx";

interface Alert {
  alert_id: number;
  detection_timestamp: number;
  source: "IOC" | "BIOC";
  rule_id: number;
  name: string;
  severity: string;
  field: string;
  value: string;
}

export function AlertsPage({ session }: PageProps) {
  const [filters, setFilters] = useState<Record<string, string>>({});
  const list: Filter[] = Object.entries(filters)
    .filter(([, v]) => v)
    .map(([field, value]) => ({ field, operator: "EQ", value }));
  const query = useApiQuery<{ reply: { total_count: number; alerts: Alert[] } }>(session, "/public_api/v1/alerts/get_alerts", {
    request_data: { filters: list, search_to: 200 },
  });
  const alerts = query.data?.reply.alerts ?? [];
  const total = query.data?.reply.total_count ?? 0;

  const set = (field: string) => (e: Event) => setFilters({ ...filters, [field]: (e.target as HTMLSelectElement).value });
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
        <span>{total} alerts</span>
      </div>
      <ListState query={query} what="alerts" />
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>ID</th>
              <th>Detected</th>
              <th>Rule</th>
              <th>Severity</th>
              <th>Field</th>
              <th>Value</th>
            </tr>
          </thead>
          <tbody>
            {alerts.map((a) => (
              <tr key={a.alert_id}>
                <td>{a.alert_id}</td>
                <td>{new Date(a.detection_timestamp).toISOString().replace("T", " ").slice(0, 19)}</td>
                <td>
                  <a href={`#/${a.source === "IOC" ? "iocs" : "biocs"}?rule=${a.rule_id}`}>
                    {a.source} · {a.name}
                  </a>
                </td>
                <td>{a.severity.replace(/^SEV_\d+_/, "")}</td>
                <td>{a.field}</td>
                <td class="value">{a.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
