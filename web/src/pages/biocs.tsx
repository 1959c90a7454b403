import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, call, type Filter } from "../api.ts";
import type { PageProps } from "../app.tsx";
import { Pager } from "./pager.tsx";
import { useApiQuery, useInvalidate } from "../data/use-api.ts";
import { ListState } from "./list-state.tsx";
import { writableBioc } from "../rules/writable.ts";
import { emptyLeaf, type Node, TreeBuilder } from "./tree-builder.tsx";

const INVESTIGATIONS = ["PROCESS_EXECUTION_EVENT", "FILE_EVENT", "NETWORK_CONNECTION_EVENT", "REGISTRY_EVENT"];
const TYPES = ["OTHER", "EXECUTION", "PERSISTENCE", "EVASION", "CREDENTIAL_ACCESS", "LATERAL_MOVEMENT", "DISCOVERY", "DROPPER", "EXFILTRATION"];
const SEVERITIES = ["SEV_010_INFO", "SEV_020_LOW", "SEV_030_MEDIUM", "SEV_040_HIGH", "SEV_050_CRITICAL"];
const PAGE = 50;
const GET = "/public_api/v1/bioc/get";

interface Bioc {
  rule_id?: number;
  name: string;
  type: string;
  severity: string;
  status: string;
  is_xql: boolean;
  indicator: unknown;
}

interface Tree {
  investigationType: string;
  investigation: Record<string, { filter: Node }>;
}

const newTree = (): Tree => ({ investigationType: INVESTIGATIONS[0] as string, investigation: { [INVESTIGATIONS[0] as string]: { filter: { AND: [emptyLeaf()] } } } });

export function BiocsPage({ session, who, rule }: PageProps) {
  const canWrite = who.role === "instance_admin";
  const [from, setFrom] = useState(0);
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [editing, setEditing] = useState<Bioc | undefined>();
  const [message, setMessage] = useState("");
  const [error, setError] = useState("");
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
  const load = () => invalidate(GET);
  const set = (field: string) => (e: Event) => {
    setFrom(0);
    setFilters({ ...filters, [field]: (e.target as HTMLInputElement).value });
  };

  async function save(bioc: Bioc) {
    try {
      const res = await call<{ errors: { status: string }[]; added_objects: { status: string }[]; updated_objects: { status: string }[] }>(
        session,
        "/public_api/v1/bioc/insert",
        { request_data: [writableBioc(bioc)] },
      );
      if (res.errors[0]) throw new Error(res.errors[0].status);
      setMessage((res.added_objects[0] ?? res.updated_objects[0])?.status ?? "Saved");
      setError("");
      setEditing(undefined);
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function remove(bioc: Bioc) {
    if (!confirm(`Delete 1 BIOC rule (${bioc.name})?`)) return;
    await call(session, "/public_api/v1/bioc/delete", { request_data: { filters: [{ field: "rule_id", operator: "EQ", value: bioc.rule_id }] } });
    setMessage(`Deleted ${bioc.name}`);
    await load();
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
          <button type="button" onClick={() => setEditing({ name: "", type: "OTHER", severity: "SEV_030_MEDIUM", status: "enabled", is_xql: false, indicator: newTree() })}>
            New BIOC
          </button>
        )}
      </div>
      {message && <p role="status">{message}</p>}
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
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
                {canWrite && (
                  <td class="actions">
                    <button type="button" onClick={() => setEditing(b)}>
                      Edit
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

type XqlProblem = { line: number; column: number; message: string } | string | undefined;

/** Checks the query as the user types (debounced), through the validate endpoint with the BIOC rules. */
function useXqlCheck(session: PageProps["session"], query: string, enabled: boolean): XqlProblem {
  const [problem, setProblem] = useState<XqlProblem>();
  const timer = useRef<number>();
  useEffect(() => {
    if (!enabled) return;
    clearTimeout(timer.current);
    timer.current = window.setTimeout(async () => {
      try {
        await call(session, "/public_api/v1/xql/validate", { request_data: { query, bioc: true } });
        setProblem(undefined);
      } catch (e) {
        const extra = e instanceof ApiError ? e.extra : undefined;
        setProblem(typeof extra === "object" && extra !== null ? (extra as XqlProblem) : String(extra ?? (e as Error).message));
      }
    }, 250);
  }, [query, enabled]);
  return problem;
}

function BiocEditor({ session, bioc, onSave, onCancel }: { session: PageProps["session"]; bioc: Bioc; onSave: (b: Bioc) => void; onCancel: () => void }) {
  const [draft, setDraft] = useState(bioc);
  const tree = (draft.is_xql ? newTree() : draft.indicator) as Tree;
  const [raw, setRaw] = useState(JSON.stringify(tree, null, 2));
  const [rawError, setRawError] = useState("");
  const query = draft.is_xql ? String(draft.indicator ?? "") : "";
  const problem = useXqlCheck(session, query, draft.is_xql);
  const filter = tree.investigation[tree.investigationType]?.filter ?? { AND: [] };

  function setTree(next: Tree) {
    setDraft({ ...draft, indicator: next });
    setRaw(JSON.stringify(next, null, 2));
  }
  function setFilter(node: Node) {
    setTree({ ...tree, investigation: { [tree.investigationType]: { filter: node } } });
  }
  function editRaw(text: string) {
    setRaw(text);
    try {
      const parsed = JSON.parse(text) as Tree;
      if (!parsed.investigation?.[parsed.investigationType]) throw new Error("investigation must hold the investigationType key");
      setDraft({ ...draft, indicator: parsed });
      setRawError("");
    } catch (e) {
      setRawError((e as Error).message);
    }
  }
  const set = (key: keyof Bioc) => (e: Event) => setDraft({ ...draft, [key]: (e.target as HTMLInputElement).value });

  return (
    <form class="panel" aria-label="BIOC editor" onSubmit={(e) => {
      e.preventDefault();
      onSave(draft);
    }}>
      <h2>{bioc.rule_id ? `Edit BIOC ${bioc.rule_id}` : "New BIOC"}</h2>
      <div class="row">
        <label>
          Name
          <input name="name" required value={draft.name} onInput={set("name")} />
        </label>
        <label>
          Type
          <select value={draft.type} onChange={set("type")}>
            {TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Severity
          <select value={draft.severity} onChange={set("severity")}>
            {SEVERITIES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label class="inline">
          <input type="checkbox" checked={draft.is_xql} onChange={(e) => {
            const xql = (e.target as HTMLInputElement).checked;
            setDraft({ ...draft, is_xql: xql, indicator: xql ? "dataset = xdr_data | filter event_type = ENUM.PROCESS" : newTree() });
          }} /> XQL query
        </label>
      </div>
      {draft.is_xql ? (
        <div class="xql">
          <label>
            XQL
            <textarea name="xql" rows={6} spellcheck={false} value={query} onInput={(e) => setDraft({ ...draft, indicator: (e.target as HTMLTextAreaElement).value })} />
          </label>
          {problem && (
            <div role="alert" class="error" data-testid="xql-error">
              {typeof problem === "string" ? problem : (
                <>
                  Line {problem.line}, column {problem.column + 1}: {problem.message}
                  <pre>{`${query.split("\n")[problem.line - 1] ?? ""}\n${" ".repeat(problem.column)}^`}</pre>
                </>
              )}
            </div>
          )}
        </div>
      ) : (
        <div class="split">
          <div>
            <label>
              Event type
              <select value={tree.investigationType} onChange={(e) => {
                const type = (e.target as HTMLSelectElement).value;
                setTree({ ...tree, investigationType: type, investigation: { [type]: { filter } } });
              }}>
                {INVESTIGATIONS.map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            </label>
            <TreeBuilder node={filter} onChange={setFilter} />
          </div>
          <label>
            Raw JSON
            <textarea name="raw" rows={16} spellcheck={false} value={raw} onInput={(e) => editRaw((e.target as HTMLTextAreaElement).value)} />
            {rawError && <span class="error">{rawError}</span>}
          </label>
        </div>
      )}
      <div class="buttons">
        <button type="submit">Save</button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
