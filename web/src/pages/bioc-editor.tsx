import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, call } from "../api.ts";
import type { PageProps } from "../app.tsx";
import { describeXqlProblem, type XqlPosition } from "../xql-position.ts";
import { emptyLeaf, type Node, TreeBuilder } from "./tree-builder.tsx";

export const INVESTIGATIONS = ["PROCESS_EXECUTION_EVENT", "FILE_EVENT", "NETWORK_CONNECTION_EVENT", "REGISTRY_EVENT"];
const TYPES = ["OTHER", "EXECUTION", "PERSISTENCE", "EVASION", "CREDENTIAL_ACCESS", "LATERAL_MOVEMENT", "DISCOVERY", "DROPPER", "EXFILTRATION"];
export const SEVERITIES = ["SEV_010_INFO", "SEV_020_LOW", "SEV_030_MEDIUM", "SEV_040_HIGH", "SEV_050_CRITICAL"];
const SAMPLE_XQL = "dataset = xdr_data | filter event_type = ENUM.PROCESS";

export interface Bioc {
  rule_id?: number;
  name: string;
  type: string;
  severity: string;
  status: string;
  comment?: string;
  is_xql: boolean;
  indicator: unknown;
  mitre_tactic_id_and_name?: string[];
  mitre_technique_id_and_name?: string[];
  number_of_issues?: number;
}

interface Tree {
  investigationType: string;
  investigation: Record<string, { filter: Node }>;
}

export const newTree = (): Tree => ({
  investigationType: INVESTIGATIONS[0] as string,
  investigation: { [INVESTIGATIONS[0] as string]: { filter: { AND: [emptyLeaf()] } } },
});

type XqlProblem = XqlPosition | string | undefined;

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

/** MITRE names one a line, as the API's string arrays. */
const lines = (text: string) => text.split("\n").map((l) => l.trim()).filter((l) => l !== "");

/**
 * The BIOC form. The visual builder and the raw JSON show one tree: each edit of either rewrites
 * the other, and while the raw JSON does not parse, Save refuses instead of saving an older tree.
 */
export function BiocEditor({ session, bioc, onSave, onCancel }: { session: PageProps["session"]; bioc: Bioc; onSave: (b: Bioc) => void; onCancel: () => void }) {
  const [draft, setDraft] = useState(bioc);
  const tree = (draft.is_xql ? newTree() : draft.indicator) as Tree;
  const [raw, setRaw] = useState(JSON.stringify(tree, null, 2));
  const [rawError, setRawError] = useState("");
  const [saveError, setSaveError] = useState("");
  const query = draft.is_xql ? String(draft.indicator ?? "") : "";
  const problem = useXqlCheck(session, query, draft.is_xql);
  const filter = tree.investigation[tree.investigationType]?.filter ?? { AND: [] };
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  function setTree(next: Tree, base: Bioc = draft) {
    setDraft({ ...base, is_xql: false, indicator: next });
    setRaw(JSON.stringify(next, null, 2));
    setRawError("");
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
  function toggleXql(xql: boolean) {
    if (xql) setDraft({ ...draft, is_xql: true, indicator: SAMPLE_XQL });
    else setTree(newTree());
  }
  function submit(e: Event) {
    e.preventDefault();
    if (!draft.is_xql && rawError) {
      setSaveError(`Raw JSON: ${rawError}. Nothing was saved; fix the JSON or edit in the builder.`);
      return;
    }
    setSaveError("");
    onSave(draft);
  }
  const set = (key: keyof Bioc) => (e: Event) => setDraft({ ...draft, [key]: (e.target as HTMLInputElement).value });
  const setList = (key: "mitre_tactic_id_and_name" | "mitre_technique_id_and_name") => (e: Event) =>
    setDraft({ ...draft, [key]: lines((e.target as HTMLTextAreaElement).value) });
  const title = bioc.rule_id ? `Edit BIOC ${bioc.rule_id}` : "New BIOC";

  return (
    <form class="panel" aria-label={title} onSubmit={submit} onKeyDown={(e) => e.key === "Escape" && onCancel()}>
      <h2>{title}</h2>
      <div class="row">
        <label>
          Name
          <input name="name" ref={first} required value={draft.name} onInput={set("name")} />
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
          <input type="checkbox" checked={draft.status.toLowerCase() === "enabled"} onChange={(e) => setDraft({ ...draft, status: (e.target as HTMLInputElement).checked ? "enabled" : "disabled" })} /> Enabled
        </label>
        <label class="inline">
          <input type="checkbox" checked={draft.is_xql} onChange={(e) => toggleXql((e.target as HTMLInputElement).checked)} /> XQL query
        </label>
      </div>
      <div class="row">
        <label class="grow">
          Comment
          <input name="comment" value={draft.comment ?? ""} onInput={set("comment")} />
        </label>
        <label class="grow">
          MITRE tactics (one a line)
          <textarea name="mitre_tactics" rows={2} value={(draft.mitre_tactic_id_and_name ?? []).join("\n")} onChange={setList("mitre_tactic_id_and_name")} />
        </label>
        <label class="grow">
          MITRE techniques (one a line)
          <textarea name="mitre_techniques" rows={2} value={(draft.mitre_technique_id_and_name ?? []).join("\n")} onChange={setList("mitre_technique_id_and_name")} />
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
              {typeof problem === "string" ? (
                problem
              ) : (
                <>
                  {describeXqlProblem(problem)}
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
              <select
                value={tree.investigationType}
                onChange={(e) => {
                  const type = (e.target as HTMLSelectElement).value;
                  setTree({ ...tree, investigationType: type, investigation: { [type]: { filter } } });
                }}
              >
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
      {saveError && (
        <p role="alert" class="error">
          {saveError}
        </p>
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
