import { useState } from "preact/hooks";
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
  const [from, setFrom] = useState(0);
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [editing, setEditing] = useState<Bioc | undefined>();
  const { notice, ok, fail } = useNotice();
  const list: Filter[] = rule === undefined ? [] : [{ field: "rule_id", operator: "EQ", value: rule }];
  for (const [field, value] of Object.entries(filters)) {
    if (value) list.push({ field, operator: "EQ", value: field === "is_xql" ? value === "true" : value });
  }
  const query = useApiQuery<{ objects_count: number; objects: Bioc[] }>(session, GET, {
    request_data: { filters: list, search_from: from, search_to: from + PAGE },
  });
  const rows = query.data?.objects ?? [];
  const total = query.data?.objects_count ?? 0;
  const invalidate = useInvalidate();
  const set = (field: string) => (e: Event) => {
    setFrom(0);
    setFilters({ ...filters, [field]: (e.target as HTMLInputElement).value });
  };

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
        <input type="search" placeholder="Find a name (exact)" aria-label="Search by name" onChange={set("name")} />
        <select aria-label="Severity" onChange={set("severity")}>
          <option value="">any severity</option>
          {SEVERITIES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select aria-label="Status" onChange={set("status")}>
          <option value="">any status</option>
          <option value="enabled">enabled</option>
          <option value="disabled">disabled</option>
        </select>
        <select aria-label="Kind" onChange={set("is_xql")}>
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
      <div class="table-wrap" aria-busy={query.isFetching}>
        <table>
          <thead>
            <tr>
              <th>ID</th>
              <th>Name</th>
              <th>Kind</th>
              <th>Severity</th>
              <th>Status</th>
              <th>Comment</th>
              {canWrite && <th>Actions</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((b) => (
              <tr key={b.rule_id}>
                <td>{b.rule_id}</td>
                <td>{b.name}</td>
                <td>{b.is_xql ? "XQL" : "filter tree"}</td>
                <td>{b.severity.replace(/^SEV_\d+_/, "")}</td>
                <td>{b.status}</td>
                <td>{b.comment}</td>
                {canWrite && (
                  <td class="actions">
                    <button type="button" onClick={() => setEditing(b)}>
                      Edit
                    </button>
                    <button type="button" onClick={() => save({ ...b, status: b.status.toLowerCase() === "enabled" ? "disabled" : "enabled" })}>
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
      <Pager from={from} size={PAGE} total={total} onMove={setFrom} testId="bioc-count" loading={query.isPending} />
    </section>
  );
}
