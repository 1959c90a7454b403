import { useState } from "preact/hooks";
import { useUrlState } from "../data/use-url-state.ts";
import { BulkBar, PickBox, useSelection } from "./selection.tsx";
import { SortHeader } from "./sort-header.tsx";
import { call, type Filter } from "../api.ts";
import type { PageProps } from "../app.tsx";
import { useApiQuery, useInvalidate } from "../data/use-api.ts";
import { writableBioc } from "../rules/writable.ts";
import { readableItemError } from "../xql-position.ts";
import { type Bioc, BiocEditor, newTree, SEVERITIES } from "./bioc-editor.tsx";
import { ListState } from "./list-state.tsx";
import { NoticeLine, useNotice } from "./notice.tsx";
import { Pager } from "./pager.tsx";

const PAGE = 50;
const GET = "/public_api/v1/bioc/get";

type InsertAnswer = { errors: { status: string }[]; added_objects: { status: string }[]; updated_objects: { status: string }[] };

export function BiocsPage({ session, who, rule }: PageProps) {
  const canWrite = who.role === "instance_admin";
  const [params, setParams] = useUrlState();
  const from = Number(params.get("from") ?? 0) || 0;
  const sort = params.get("sort") ?? "rule_id";
  const desc = params.get("desc") === "1";
  const selection = useSelection<Bioc>();
  const [editing, setEditing] = useState<Bioc | undefined>();
  const { notice, ok, fail } = useNotice();
  const list: Filter[] = rule === undefined ? [] : [{ field: "rule_id", operator: "EQ", value: rule }];
  const search = params.get("search");
  // A substring of the name, any letter case (CONTAINS, a Warden extension: docs/console.md).
  if (search) list.push({ field: "name", operator: "CONTAINS", value: search });
  for (const field of ["severity", "status", "is_xql"]) {
    const value = params.get(field);
    if (value) list.push({ field, operator: "EQ", value: field === "is_xql" ? value === "true" : value });
  }
  const query = useApiQuery<{ objects_count: number; objects: Bioc[] }>(session, GET, {
    request_data: { filters: list, search_from: from, search_to: from + PAGE, sort: { field: sort, keyword: desc ? "desc" : "asc" } },
  });
  const rows = query.data?.objects ?? [];
  const total = query.data?.objects_count ?? 0;
  const invalidate = useInvalidate();
  const set = (field: string) => (e: Event) => setParams({ [field]: (e.target as HTMLInputElement).value, from: undefined });
  const allPicked = rows.length > 0 && rows.every((r) => selection.picked.has(r.rule_id as number));

  async function save(bioc: Bioc) {
    try {
      const res = await call<InsertAnswer>(session, "/public_api/v1/bioc/insert", { request_data: [writableBioc(bioc)] });
      if (res.errors[0]) throw new Error(readableItemError(res.errors[0].status));
      ok((res.added_objects[0] ?? res.updated_objects[0])?.status ?? "Saved");
      // An Enable or Disable on a row leaves another rule's open form alone.
      if (editing?.rule_id === bioc.rule_id) setEditing(undefined);
    } catch (e) {
      fail(e);
    }
    await invalidate(GET);
  }

  /** Each rule is sent back whole with its new status: insert by rule_id overwrites the rule. */
  async function setEnabled(biocs: Bioc[], enabled: boolean) {
    try {
      const items = biocs.map((b) => writableBioc({ ...b, status: enabled ? "enabled" : "disabled" }));
      const res = await call<InsertAnswer>(session, "/public_api/v1/bioc/insert", { request_data: items });
      if (res.errors[0]) throw new Error(readableItemError(res.errors[0].status));
      ok(`${enabled ? "Enabled" : "Disabled"} ${biocs.length === 1 ? biocs[0]?.name : `${biocs.length} rules`}`);
    } catch (e) {
      fail(e);
    }
    await invalidate(GET);
  }

  async function removeSelected(biocs: Bioc[]) {
    if (!confirm(`Delete ${biocs.length} selected BIOC rules? This cannot be undone.`)) return;
    try {
      const res = await call<{ objects_count: number }>(session, "/public_api/v1/bioc/delete", {
        request_data: { filters: [{ field: "rule_id", operator: "IN", value: biocs.map((b) => b.rule_id) }] },
      });
      ok(`Deleted ${res.objects_count} rule${res.objects_count === 1 ? "" : "s"}`);
      selection.clear();
    } catch (e) {
      fail(e);
    }
    await invalidate(GET);
  }

  async function remove(bioc: Bioc) {
    if (!confirm(`Delete 1 BIOC rule (${bioc.name})?`)) return;
    try {
      const res = await call<{ objects_count: number }>(session, "/public_api/v1/bioc/delete", {
        request_data: { filters: [{ field: "rule_id", operator: "EQ", value: bioc.rule_id }] },
      });
      if (res.objects_count === 0) fail(`BIOC rule ${bioc.rule_id} (${bioc.name}) was already deleted`);
      else ok(`Deleted ${bioc.name}`);
    } catch (e) {
      fail(e);
    }
    await invalidate(GET);
  }

  return (
    <section>
      <h1>BIOC rules</h1>
      <div class="toolbar">
        <input type="search" placeholder="Find a name (any part)" aria-label="Search by name" value={search ?? ""} onChange={set("search")} />
        <select aria-label="Severity" value={params.get("severity") ?? ""} onChange={set("severity")}>
          <option value="">any severity</option>
          {SEVERITIES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select aria-label="Status" value={params.get("status") ?? ""} onChange={set("status")}>
          <option value="">any status</option>
          <option value="enabled">enabled</option>
          <option value="disabled">disabled</option>
        </select>
        <select aria-label="Kind" value={params.get("is_xql") ?? ""} onChange={set("is_xql")}>
          <option value="">trees and XQL</option>
          <option value="false">filter trees</option>
          <option value="true">XQL</option>
        </select>
        {canWrite && !editing && (
          <button type="button" onClick={() => setEditing({ name: "", type: "OTHER", severity: "SEV_030_MEDIUM", status: "enabled", comment: "", is_xql: false, indicator: newTree() })}>
            New BIOC
          </button>
        )}
      </div>
      <NoticeLine notice={notice} />
      <ListState query={query} />
      {editing && <BiocEditor key={editing.rule_id ?? "new"} session={session} bioc={editing} onSave={save} onCancel={() => setEditing(undefined)} />}
      <BulkBar
        picked={selection.picked}
        kind="bioc-rules"
        canWrite={canWrite}
        exportable={writableBioc}
        onEnable={setEnabled}
        onDelete={removeSelected}
        onClear={selection.clear}
      />
      <div class="table-wrap" aria-busy={query.isFetching}>
        <table aria-label="BIOC rules">
          <thead>
            <tr>
              <th>
                <PickBox label="Select all on this page" checked={allPicked} onChange={(on) => selection.togglePage(rows, on)} />
              </th>
              {(
                [
                  ["rule_id", "ID"],
                  ["name", "Name"],
                  ["is_xql", "Kind"],
                  ["severity", "Severity"],
                  ["status", "Status"],
                  ["number_of_issues", "Hits"],
                ] as const
              ).map(([field, label]) => (
                <SortHeader key={field} field={field} label={label} sort={sort} desc={desc} onSort={(f, d) => setParams({ sort: f, desc: d ? "1" : undefined, from: undefined })} />
              ))}
              <th>MITRE</th>
              <th>Comment</th>
              {canWrite && <th>Actions</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((b) => (
              <tr key={b.rule_id}>
                <td>
                  <PickBox label={`Select ${b.name}`} checked={selection.picked.has(b.rule_id as number)} onChange={(on) => selection.toggle(b, on)} />
                </td>
                <td>{b.rule_id}</td>
                <td>{b.name}</td>
                <td>{b.is_xql ? "XQL" : "filter tree"}</td>
                <td>{b.severity.replace(/^SEV_\d+_/, "")}</td>
                <td>{b.status}</td>
                <td>{b.number_of_issues ?? 0}</td>
                <td>{[...(b.mitre_tactic_id_and_name ?? []), ...(b.mitre_technique_id_and_name ?? [])].filter((m) => m !== "").join(", ")}</td>
                <td>{b.comment}</td>
                {canWrite && (
                  <td class="actions">
                    <button type="button" onClick={() => setEditing(b)}>
                      Edit
                    </button>
                    <button type="button" onClick={() => setEnabled([b], b.status.toLowerCase() !== "enabled")}>
                      {b.status.toLowerCase() === "enabled" ? "Disable" : "Enable"}
                    </button>
                    <button type="button" onClick={() => remove(b)}>
                      Delete
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager from={from} size={PAGE} total={total} onMove={(at) => setParams({ from: at ? String(at) : undefined })} testId="bioc-count" loading={query.isPending} stale={query.isPlaceholderData} />
    </section>
  );
}
