import { useState } from "preact/hooks";
import { call, type Filter } from "../api.ts";
import type { PageProps } from "../app.tsx";
import { Pager } from "./pager.tsx";
import { ImportPanel } from "./ioc-import.tsx";
import { writableIoc } from "../rules/writable.ts";
import { useApiQuery, useInvalidate } from "../data/use-api.ts";
import { ListState } from "./list-state.tsx";
import { NoticeLine, useNotice } from "./notice.tsx";

const TYPES = ["HASH", "IP", "DOMAIN_NAME", "URL", "PATH", "FILENAME", "MIXED"];
const SEVERITIES = ["SEV_010_INFO", "SEV_020_LOW", "SEV_030_MEDIUM", "SEV_040_HIGH", "SEV_050_CRITICAL"];
const REPUTATIONS = ["GOOD", "BAD", "SUSPICIOUS", "UNKNOWN", "NO_REPUTATION"];
const RELIABILITIES = ["A", "B", "C", "D", "E", "F", "G"];
const PAGE = 50;
const GET = "/public_api/v1/indicators/get";

export interface Ioc {
  rule_id: number;
  indicator: string;
  type: string;
  severity: string;
  comment: string;
  reputation: string;
  status: string;
  expiration_date: number;
  default_expiration_enabled?: boolean;
  reliability?: string | null;
  number_of_issues?: number;
}

type SortKey = "rule_id" | "indicator" | "type" | "severity" | "status";

function filtersOf(f: Record<string, string>, rule: number | undefined): Filter[] {
  const list: Filter[] = [];
  if (rule !== undefined) list.push({ field: "rule_id", operator: "EQ", value: rule });
  if (f.search) list.push({ field: "indicator", operator: "EQ", value: f.search });
  for (const field of ["type", "severity", "reputation", "status"]) if (f[field]) list.push({ field, operator: "EQ", value: f[field] });
  if (f.expiry === "never") list.push({ field: "expiration_date", operator: "EQ", value: -1 });
  if (f.expiry === "dated") list.push({ field: "expiration_date", operator: "NEQ", value: -1 });
  return list;
}

export function IocsPage({ session, who, rule }: PageProps) {
  const canWrite = who.role === "instance_admin";
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [from, setFrom] = useState(0);
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: "rule_id", desc: false });
  const [editing, setEditing] = useState<Partial<Ioc> | undefined>();
  const { notice, ok, fail } = useNotice();
  const request = { request_data: { filters: filtersOf(filters, rule), search_from: from, search_to: from + PAGE } };
  const list = useApiQuery<{ objects_count: number; objects: Ioc[] }>(session, GET, request);
  const rows = list.data?.objects ?? [];
  const total = list.data?.objects_count ?? 0;
  const invalidate = useInvalidate();
  const load = () => invalidate(GET);

  async function act(work: () => Promise<string>) {
    try {
      ok(await work());
    } catch (e) {
      fail(e);
    }
    await load();
  }

  const save = (item: Partial<Ioc>) =>
    act(async () => {
      const res = await call<{ errors: { status: string }[]; added_objects: { status: string }[]; updated_objects: { status: string }[] }>(
        session,
        "/public_api/v1/indicators/insert",
        { request_data: [writableIoc(item)] },
      );
      if (res.errors[0]) throw new Error(res.errors[0].status);
      if (editing?.rule_id === item.rule_id) setEditing(undefined);
      return (res.added_objects[0] ?? res.updated_objects[0])?.status ?? "Saved";
    });

  const setEnabled = (ioc: Ioc, enabled: boolean) =>
    act(async () => {
      await call(session, `/public_api/v1/indicators/${enabled ? "enable" : "disable"}_iocs`, { request_data: [ioc.indicator] });
      return `${enabled ? "Enabled" : "Disabled"} ${ioc.indicator}`;
    });

  const remove = (list: Filter[], what: string) =>
    act(async () => {
      if (!confirm(`Delete ${what}? This cannot be undone.`)) return "Nothing deleted";
      const res = await call<{ objects_count: number }>(session, "/public_api/v1/indicators/delete", { request_data: { filters: list } });
      if (res.objects_count === 0) throw new Error(`Nothing deleted, already gone: ${what}`);
      return `Deleted ${res.objects_count} rule${res.objects_count === 1 ? "" : "s"}`;
    });

  const sorted = [...rows].sort((a, b) => {
    const [x, y] = [a[sort.key], b[sort.key]];
    const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
    return sort.desc ? -order : order;
  });
  const header = (key: SortKey, label: string) => (
    <th aria-sort={sort.key === key ? (sort.desc ? "descending" : "ascending") : "none"}>
      <button type="button" class="link" onClick={() => setSort({ key, desc: sort.key === key && !sort.desc })}>
        {label}
      </button>
    </th>
  );
  const set = (field: string) => (e: Event) => {
    setFrom(0);
    setFilters({ ...filters, [field]: (e.target as HTMLInputElement).value });
  };
  const activeFilters = filtersOf(filters, rule);

  return (
    <section>
      <h1>IOC rules</h1>
      <form class="toolbar" onSubmit={(e) => e.preventDefault()} role="search">
        <input type="search" placeholder="Find a value (exact, any letter case)" aria-label="Search by value" onChange={set("search")} />
        <select aria-label="Type" onChange={set("type")}>
          <option value="">any type</option>
          {TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
        <select aria-label="Severity" onChange={set("severity")}>
          <option value="">any severity</option>
          {SEVERITIES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select aria-label="Reputation" onChange={set("reputation")}>
          <option value="">any reputation</option>
          {REPUTATIONS.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select aria-label="Status" onChange={set("status")}>
          <option value="">any status</option>
          <option>ENABLED</option>
          <option>DISABLED</option>
          <option>EXPIRED</option>
        </select>
        <select aria-label="Expiry" onChange={set("expiry")}>
          <option value="">any expiry</option>
          <option value="never">never expires</option>
          <option value="dated">has an expiry date</option>
        </select>
        {canWrite && (
          <>
            <button type="button" onClick={() => setEditing({ type: "FILENAME", severity: "SEV_030_MEDIUM", reputation: "BAD", comment: "" })}>
              New IOC
            </button>
            <button type="button" disabled={activeFilters.length === 0 || list.isPlaceholderData} onClick={() => remove(activeFilters, `all ${total} rules matching the filters`)}>
              Delete matching
            </button>
          </>
        )}
      </form>
      <NoticeLine notice={notice} />
      <ListState query={list} />
      {editing && <IocForm key={editing.rule_id ?? "new"} item={editing} onSave={save} onCancel={() => setEditing(undefined)} />}
      {canWrite && <ImportPanel session={session} onDone={load} />}
      <div class="table-wrap" aria-busy={list.isFetching}>
        <table>
          <thead>
            <tr>
              {header("rule_id", "ID")}
              {header("indicator", "Value")}
              {header("type", "Type")}
              {header("severity", "Severity")}
              {header("status", "Status")}
              <th>Comment</th>
              {canWrite && <th>Actions</th>}
            </tr>
          </thead>
          <tbody>
            {sorted.map((ioc) => (
              <tr key={ioc.rule_id}>
                <td>{ioc.rule_id}</td>
                <td class="value">{ioc.indicator}</td>
                <td>{ioc.type}</td>
                <td>{ioc.severity.replace(/^SEV_\d+_/, "")}</td>
                <td data-testid="status">{ioc.status}</td>
                <td>{ioc.comment}</td>
                {canWrite && (
                  <td class="actions">
                    <button type="button" onClick={() => setEditing(ioc)} aria-label={`Edit ${ioc.indicator}`}>
                      Edit
                    </button>
                    {ioc.status === "DISABLED" ? (
                      <button type="button" onClick={() => setEnabled(ioc, true)}>
                        Enable
                      </button>
                    ) : (
                      <button type="button" onClick={() => setEnabled(ioc, false)}>
                        Disable
                      </button>
                    )}
                    <button type="button" onClick={() => remove([{ field: "rule_id", operator: "EQ", value: ioc.rule_id }], `1 rule (${ioc.indicator})`)}>
                      Delete
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager from={from} size={PAGE} total={total} onMove={setFrom} testId="count" loading={list.isPending} />
    </section>
  );
}

function IocForm({ item, onSave, onCancel }: { item: Partial<Ioc>; onSave: (item: Partial<Ioc>) => void; onCancel: () => void }) {
  const [draft, setDraft] = useState(item);
  const field = (name: keyof Ioc) => (e: Event) => setDraft({ ...draft, [name]: (e.target as HTMLInputElement).value });
  return (
    <form
      class="panel"
      aria-label={item.rule_id ? `Edit rule ${item.rule_id}` : "New IOC"}
      onSubmit={(e) => {
        e.preventDefault();
        onSave(draft);
      }}
    >
      <h2>{item.rule_id ? `Edit rule ${item.rule_id}` : "New IOC"}</h2>
      <label>
        Value
        <input name="indicator" required value={draft.indicator ?? ""} onInput={field("indicator")} />
      </label>
      <label>
        Type
        <select name="type" value={draft.type} onChange={field("type")}>
          {TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
      <label>
        Severity
        <select name="severity" value={draft.severity} onChange={field("severity")}>
          {SEVERITIES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <label>
        Reputation
        <select name="reputation" value={draft.reputation} onChange={field("reputation")}>
          {REPUTATIONS.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <label>
        Reliability
        <select name="reliability" value={draft.reliability ?? ""} onChange={(e) => setDraft({ ...draft, reliability: (e.target as HTMLSelectElement).value || null })}>
          <option value="">unset</option>
          {RELIABILITIES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </label>
      <ExpiryField value={draft.expiration_date ?? -1} onChange={(expiration_date) => setDraft({ ...draft, expiration_date })} />
      <label>
        Comment
        <input name="comment" value={draft.comment ?? ""} onInput={field("comment")} />
      </label>
      <div class="buttons">
        <button type="submit">Save</button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Epoch milliseconds (-1 for never) as a local date and time; left alone, the stored value is sent back unchanged. */
function ExpiryField({ value, onChange }: { value: number; onChange: (value: number) => void }) {
  const local = value === -1 ? "" : new Date(value - new Date(value).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  return (
    <label>
      Expires (empty: never)
      <input
        name="expiration_date"
        type="datetime-local"
        value={local}
        onChange={(e) => {
          const text = (e.target as HTMLInputElement).value;
          onChange(text ? new Date(text).getTime() : -1);
        }}
      />
    </label>
  );
}
