/**
 * Correlation rules: list (by mode), enable/disable, delete, and a create/edit form whose XQL
 * errors are shown at their line and column. Self-contained: it talks to the API with `call` only.
 */
import { useState } from "preact/hooks";
import { call } from "../api.ts";
import type { PageProps } from "../app.tsx";
import { useApiQuery, useInvalidate } from "../data/use-api.ts";
import { writableCorrelation } from "../rules/writable.ts";

type Rule = Record<string, unknown> & { rule_id: number; name: string; is_enabled: boolean; execution_mode: string };
const LIST_PATH = "/public_api/v1/correlations/get";

interface InsertReply {
  errors: { index: number; status: string }[];
}

const BLANK = {
  name: "",
  severity: "SEV_030_MEDIUM",
  execution_mode: "SCHEDULED",
  alert_name: "",
  search_window: "10 minutes",
  simple_schedule: "10 minutes",
  xql_query: "dataset = xdr_data\n| filter event_type = ENUM.LOGIN and action_login_status = 1\n| comp count() as failures by actor_effective_username\n| filter failures > 20",
};

/** The item error's `{"line", "column", "message"}`, when the query is at fault. */
function position(status: string): { line: number; column: number; message: string } | undefined {
  const found = /\{"line": (\d+), "column": (\d+), "message": (".*")\}/.exec(status);
  return found ? { line: Number(found[1]), column: Number(found[2]), message: JSON.parse(found[3] as string) } : undefined;
}

export function CorrelationsPage({ session, who }: PageProps) {
  const [mode, setMode] = useState("");
  const [editing, setEditing] = useState<Record<string, unknown>>();
  // A toggled rule shows its new state from the click until the refetched list confirms it.
  const [toggled, setToggled] = useState<Record<number, boolean>>({});
  const [writeError, setWriteError] = useState("");
  const admin = who.role === "instance_admin";
  const invalidate = useInvalidate();
  const filters = mode ? [{ field: "execution_mode", operator: "EQ", value: mode }] : [];
  // Through the shared cache: an answer for a mode no longer selected never paints.
  const query = useApiQuery<{ objects: Rule[] }>(session, LIST_PATH, { request_data: { filters, search_to: 500 } });
  const rules = query.data?.objects ?? [];
  const error = writeError || (query.error as Error | null)?.message || "";

  async function save(item: Record<string, unknown>): Promise<string | undefined> {
    setWriteError("");
    const res = await call<InsertReply>(session, "/public_api/v1/correlations/insert", { request_data: [item] });
    await invalidate(LIST_PATH);
    return res.errors[0]?.status;
  }
  async function toggle(rule: Rule) {
    setToggled((now) => ({ ...now, [rule.rule_id]: !rule.is_enabled }));
    try {
      const problem = await save({ ...writableCorrelation(rule), is_enabled: !rule.is_enabled });
      if (problem) setWriteError(problem);
    } catch (e) {
      setWriteError((e as Error).message);
    } finally {
      setToggled(({ [rule.rule_id]: _, ...rest }) => rest);
    }
  }
  async function remove(rule: Rule) {
    if (!confirm(`Delete correlation rule ${rule.rule_id} (${rule.name})?`)) return;
    const filters = [{ field: "rule_id", operator: "EQ", value: rule.rule_id }];
    try {
      await call(session, "/public_api/v1/correlations/delete", { request_data: { filters } });
    } catch (e) {
      setWriteError((e as Error).message);
    }
    await invalidate(LIST_PATH);
  }

  return (
    <section>
      <h1>Correlation rules</h1>
      <div class="toolbar">
        <select aria-label="Execution mode" onChange={(e) => setMode((e.target as HTMLSelectElement).value)}>
          <option value="">any mode</option>
          <option>REAL_TIME</option>
          <option>SCHEDULED</option>
        </select>
        <span>{query.isPending ? "Loading…" : `${rules.length} rules`}</span>
        {admin && (
          <button type="button" onClick={() => setEditing({ ...BLANK })}>
            New correlation rule
          </button>
        )}
      </div>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {editing && <RuleForm initial={editing} onSave={save} onDone={() => setEditing(undefined)} />}
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>ID</th>
              <th>Name</th>
              <th>Mode</th>
              <th>Severity</th>
              <th>Hits</th>
              <th>Enabled</th>
              {admin && <th />}
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <tr key={r.rule_id}>
                <td>{r.rule_id}</td>
                <td>{r.name}</td>
                <td>{r.execution_mode}</td>
                <td>{String(r.severity)}</td>
                <td>{String(r.hits)}</td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Enabled: ${r.name}`}
                    checked={toggled[r.rule_id] ?? r.is_enabled}
                    disabled={!admin || r.rule_id in toggled}
                    onChange={() => void toggle(r)}
                  />
                </td>
                {admin && (
                  <td>
                    <button type="button" onClick={() => setEditing(writableCorrelation(r))}>
                      Edit
                    </button>{" "}
                    <button type="button" onClick={() => void remove(r)}>
                      Delete
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function RuleForm(props: {
  initial: Record<string, unknown>;
  onSave: (item: Record<string, unknown>) => Promise<string | undefined>;
  onDone: () => void;
}) {
  const [item, setItem] = useState(props.initial);
  const [problem, setProblem] = useState("");
  const field = (name: string) => ({
    value: String(item[name] ?? ""),
    onInput: (e: Event) => setItem({ ...item, [name]: (e.target as HTMLInputElement).value || null }),
  });
  async function submit(e: Event) {
    e.preventDefault();
    const failed = await props.onSave(item);
    if (failed === undefined) return props.onDone();
    const at = position(failed);
    setProblem(at ? `line ${at.line}, column ${at.column}: ${at.message}` : failed);
  }
  return (
    <form class="editor" onSubmit={(e) => void submit(e)}>
      <label>
        Name <input {...field("name")} required />
      </label>
      <label>
        Alert name <input {...field("alert_name")} required />
      </label>
      <label>
        Mode
        <select {...field("execution_mode")}>
          <option>REAL_TIME</option>
          <option>SCHEDULED</option>
        </select>
      </label>
      <label>
        Search window <input {...field("search_window")} />
      </label>
      <label>
        Schedule <input {...field("simple_schedule")} />
      </label>
      <label>
        XQL query <textarea rows={6} {...field("xql_query")} />
      </label>
      {problem && (
        <p role="alert" class="error" data-testid="correlation-problem">
          {problem}
        </p>
      )}
      <button type="submit">Save</button>{" "}
      <button type="button" onClick={props.onDone}>
        Cancel
      </button>
    </form>
  );
}
