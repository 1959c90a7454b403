import { call, type Filter } from "../api.ts";
import type { PageProps } from "../app.tsx";
import { useApiQuery, useInvalidate } from "../data/use-api.ts";
import { useUrlState } from "../data/use-url-state.ts";
import { writableIoc } from "../rules/writable.ts";
import { IOC_TYPES, type Ioc, IocForm, REPUTATIONS, SEVERITIES } from "./ioc-form.tsx";
import { ImportPanel } from "./ioc-import.tsx";
import { IntelExport } from "./intel-export.tsx";
import { ListState } from "./list-state.tsx";
import { NoticeLine, useNotice } from "./notice.tsx";
import { Pager } from "./pager.tsx";
import { BulkBar, PickBox, useSelection } from "./selection.tsx";
import { SortHeader } from "./sort-header.tsx";
import { useState } from "preact/hooks";

const PAGE = 50;
const GET = "/public_api/v1/indicators/get";
const FILTER_KEYS = ["search", "type", "severity", "reputation", "status", "expiry"] as const;

type InsertAnswer = { errors: { status: string }[]; added_objects: { status: string }[]; updated_objects: { status: string }[] };

/** The URL's filters as the API's: the search box is a substring of the value (CONTAINS, a Warden extension). */
function filtersOf(params: URLSearchParams, rule: number | undefined): Filter[] {
  const list: Filter[] = [];
  if (rule !== undefined) list.push({ field: "rule_id", operator: "EQ", value: rule });
  const search = params.get("search");
  if (search) list.push({ field: "indicator", operator: "CONTAINS", value: search });
  for (const field of ["type", "severity", "reputation", "status"]) {
    const value = params.get(field);
    if (value) list.push({ field, operator: "EQ", value });
  }
  if (params.get("expiry") === "never") list.push({ field: "expiration_date", operator: "EQ", value: -1 });
  if (params.get("expiry") === "dated") list.push({ field: "expiration_date", operator: "NEQ", value: -1 });
  return list;
}

const expiry = (at: number) => (at === -1 ? "never" : new Date(at).toLocaleString());

export function IocsPage({ session, who, rule }: PageProps) {
  const canWrite = who.role === "instance_admin";
  const [params, setParams] = useUrlState();
  const from = Number(params.get("from") ?? 0) || 0;
  const sort = params.get("sort") ?? "rule_id";
  const desc = params.get("desc") === "1";
  const [editing, setEditing] = useState<Partial<Ioc> | undefined>();
  const { notice, ok, fail } = useNotice();
  const selection = useSelection<Ioc>();
  const activeFilters = filtersOf(params, rule);
  const request = {
    request_data: { filters: activeFilters, search_from: from, search_to: from + PAGE, sort: { field: sort, keyword: desc ? "desc" : "asc" } },
  };
  const list = useApiQuery<{ objects_count: number; objects: Ioc[] }>(session, GET, request);
  const rows = list.data?.objects ?? [];
  const total = list.data?.objects_count ?? 0;
  const invalidate = useInvalidate();

  async function act(work: () => Promise<string>) {
    try {
      ok(await work());
    } catch (e) {
      fail(e);
    }
    await invalidate(GET);
  }

  const save = (item: Partial<Ioc>) =>
    act(async () => {
      const res = await call<InsertAnswer>(session, "/public_api/v1/indicators/insert", { request_data: [writableIoc(item)] });
      if (res.errors[0]) throw new Error(res.errors[0].status);
      if (editing?.rule_id === item.rule_id) setEditing(undefined);
      return (res.added_objects[0] ?? res.updated_objects[0])?.status ?? "Saved";
    });

  const setEnabled = (iocs: Ioc[], enabled: boolean) =>
    act(async () => {
      const values = iocs.map((ioc) => ioc.indicator);
      await call(session, `/public_api/v1/indicators/${enabled ? "enable" : "disable"}_iocs`, { request_data: values });
      return `${enabled ? "Enabled" : "Disabled"} ${values.length === 1 ? values[0] : `${values.length} rules`}`;
    });

  const remove = (filters: Filter[], what: string) =>
    act(async () => {
      if (!confirm(`Delete ${what}? This cannot be undone.`)) return "Nothing deleted";
      const res = await call<{ objects_count: number }>(session, "/public_api/v1/indicators/delete", { request_data: { filters } });
      if (res.objects_count === 0) throw new Error(`Nothing deleted, already gone: ${what}`);
      selection.clear();
      return `Deleted ${res.objects_count} rule${res.objects_count === 1 ? "" : "s"}`;
    });

  const filter = (field: (typeof FILTER_KEYS)[number]) => (e: Event) =>
    setParams({ [field]: (e.target as HTMLInputElement).value, from: undefined });
  const allPicked = rows.length > 0 && rows.every((r) => selection.picked.has(r.rule_id));

  return (
    <section>
      <h1>IOC rules</h1>
      <form class="toolbar" onSubmit={(e) => e.preventDefault()} role="search">
        <input
          type="search"
          placeholder="Find a value (any part, any letter case)"
          aria-label="Search by value"
          value={params.get("search") ?? ""}
          onChange={filter("search")}
        />
        <FilterSelect label="Type" value={params.get("type")} any="any type" options={IOC_TYPES} onChange={filter("type")} />
        <FilterSelect label="Severity" value={params.get("severity")} any="any severity" options={SEVERITIES} onChange={filter("severity")} />
        <FilterSelect label="Reputation" value={params.get("reputation")} any="any reputation" options={REPUTATIONS} onChange={filter("reputation")} />
        <FilterSelect label="Status" value={params.get("status")} any="any status" options={["ENABLED", "DISABLED", "EXPIRED"]} onChange={filter("status")} />
        <select aria-label="Expiry" value={params.get("expiry") ?? ""} onChange={filter("expiry")}>
          <option value="">any expiry</option>
          <option value="never">never expires</option>
          <option value="dated">has an expiry date</option>
        </select>
        {canWrite && (
          <>
            <button type="button" onClick={() => setEditing({ type: "FILENAME", severity: "SEV_030_MEDIUM", reputation: "BAD", comment: "", expiration_date: -1 })}>
              New IOC
            </button>
            <button
              type="button"
              disabled={activeFilters.length === 0 || list.isPlaceholderData || list.isFetching}
              onClick={() => remove(activeFilters, `all ${total} rules matching the filters`)}
            >
              Delete matching
            </button>
          </>
        )}
      </form>
      <NoticeLine notice={notice} />
      <ListState query={list} />
      {editing && <IocForm key={editing.rule_id ?? "new"} item={editing} onSave={save} onCancel={() => setEditing(undefined)} />}
      {canWrite && <ImportPanel session={session} onDone={() => void invalidate(GET)} />}
      <BulkBar
        picked={selection.picked}
        kind="ioc-rules"
        canWrite={canWrite}
        exportable={writableIoc}
        onEnable={setEnabled}
        onDelete={(picked) => remove([{ field: "rule_id", operator: "IN", value: picked.map((r) => r.rule_id) }], `${picked.length} selected rules`)}
        onClear={selection.clear}
      />
      <IntelExport
        session={session}
        picked={[...selection.picked.keys()]}
        filters={activeFilters}
        onDone={(message, failed) => (failed ? fail(new Error(message)) : ok(message))}
      />
      <div class="table-wrap" aria-busy={list.isFetching}>
        <table aria-label="IOC rules">
          <thead>
            <tr>
              <th>
                <PickBox label="Select all on this page" checked={allPicked} onChange={(on) => selection.togglePage(rows, on)} />
              </th>
              {(
                [
                  ["rule_id", "ID"],
                  ["indicator", "Value"],
                  ["type", "Type"],
                  ["severity", "Severity"],
                  ["reputation", "Reputation"],
                  ["reliability", "Reliability"],
                  ["expiration_date", "Expires"],
                  ["number_of_issues", "Hits"],
                  ["status", "Status"],
                ] as const
              ).map(([field, label]) => (
                <SortHeader key={field} field={field} label={label} sort={sort} desc={desc} onSort={(f, d) => setParams({ sort: f, desc: d ? "1" : undefined, from: undefined })} />
              ))}
              <th>Comment</th>
              {canWrite && <th>Actions</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((ioc) => (
              <tr key={ioc.rule_id}>
                <td>
                  <PickBox label={`Select ${ioc.indicator}`} checked={selection.picked.has(ioc.rule_id)} onChange={(on) => selection.toggle(ioc, on)} />
                </td>
                <td>{ioc.rule_id}</td>
                <td class="value">{ioc.indicator}</td>
                <td>{ioc.type}</td>
                <td>{ioc.severity.replace(/^SEV_\d+_/, "")}</td>
                <td>{ioc.reputation}</td>
                <td>{ioc.reliability ?? ""}</td>
                <td>{expiry(ioc.expiration_date)}</td>
                <td>{ioc.number_of_issues ?? 0}</td>
                <td data-testid="status">{ioc.status}</td>
                <td>{ioc.comment}</td>
                {canWrite && (
                  <td class="actions">
                    <button type="button" onClick={() => setEditing(ioc)} aria-label={`Edit ${ioc.indicator}`}>
                      Edit
                    </button>
                    {ioc.status === "DISABLED" ? (
                      <button type="button" onClick={() => setEnabled([ioc], true)}>
                        Enable
                      </button>
                    ) : (
                      <button type="button" onClick={() => setEnabled([ioc], false)}>
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
      <Pager from={from} size={PAGE} total={total} onMove={(at) => setParams({ from: at ? String(at) : undefined })} testId="count" loading={list.isPending} stale={list.isPlaceholderData} />
    </section>
  );
}

function FilterSelect({ label, value, any, options, onChange }: { label: string; value: string | null; any: string; options: string[]; onChange: (e: Event) => void }) {
  return (
    <select aria-label={label} value={value ?? ""} onChange={onChange}>
      <option value="">{any}</option>
      {options.map((o) => (
        <option key={o}>{o}</option>
      ))}
    </select>
  );
}
