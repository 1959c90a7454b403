/**
 * Import threat intelligence (intel/import): a STIX 2.1 bundle, a MISP event or a CSV file. The
 * answer is shown object by object: the rules they made or kept, and what was refused and why.
 */
import { useState } from "preact/hooks";
import { call } from "../api.ts";
import type { PageProps } from "../app.tsx";
import { useInvalidate } from "../data/use-api.ts";

type Outcome = { ref: string; rule_id: number; outcome: string };
type ImportReply = {
  reply: {
    format: string;
    created: number;
    updated: number;
    unchanged: number;
    deleted: number;
    rejected: { ref: string; reason: string }[];
    rules: Outcome[];
  };
};

export function IntelImportPage({ session }: PageProps) {
  const [result, setResult] = useState<ImportReply["reply"] & { file: string }>();
  const [problem, setProblem] = useState("");
  const [busy, setBusy] = useState("");
  const invalidate = useInvalidate();

  async function submit(e: Event) {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return setProblem("Choose a file to import.");
    const source = String(form.get("source") ?? "").trim();
    const columns = String(form.get("columns") ?? "").trim();
    setProblem("");
    setResult(undefined);
    setBusy(file.name);
    try {
      // the text as it is: the server tells STIX, MISP and CSV apart
      const content = await file.text();
      const body = { request_data: { content, ...(source ? { source } : {}), ...(columns ? { columns } : {}) } };
      const { reply } = await call<ImportReply>(session, "/public_api/v1/intel/import", body);
      setResult({ ...reply, file: file.name });
      await invalidate("/public_api/v1/indicators/get");
    } catch (err) {
      setProblem(`${file.name}: ${(err as Error).message}`);
    } finally {
      setBusy("");
    }
  }

  const listed = result ? result.created + result.updated + result.unchanged - result.rules.length : 0;
  return (
    <section>
      <h1>Import intelligence</h1>
      <form class="panel" aria-label="Import intelligence" onSubmit={(e) => void submit(e)}>
        <label>
          File (STIX 2.1 bundle, MISP event or CSV) <input name="file" type="file" accept=".json,.csv,.txt" required />
        </label>
        <label>
          Source (optional: the name the rules show) <input name="source" />
        </label>
        <label>
          CSV columns (optional, e.g. indicator=value,type=kind) <input name="columns" />
        </label>
        <div class="buttons">
          <button type="submit" disabled={busy !== ""}>
            {busy ? `Importing ${busy}…` : "Import"}
          </button>
        </div>
      </form>
      {problem && (
        <p role="alert" class="error">
          {problem}
        </p>
      )}
      {result && (
        <>
          <p role="status" data-testid="intel-summary">
            {result.file} ({result.format.toUpperCase()}): {result.created} created, {result.updated} updated, {result.unchanged} unchanged,{" "}
            {result.deleted} deleted, {result.rejected.length} not imported
          </p>
          {result.rejected.length > 0 && (
            <div class="table-wrap">
              <table aria-label="Objects not imported">
                <thead>
                  <tr>
                    <th>Object</th>
                    <th>Why it was not imported</th>
                  </tr>
                </thead>
                <tbody>
                  {result.rejected.map((r) => (
                    <tr key={r.ref + r.reason}>
                      <td class="value">{r.ref}</td>
                      <td>{r.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {result.rules.length > 0 && (
            <div class="table-wrap">
              <table aria-label="Rules made">
                <thead>
                  <tr>
                    <th>Object</th>
                    <th>Rule</th>
                    <th>Outcome</th>
                  </tr>
                </thead>
                <tbody>
                  {result.rules.map((r) => (
                    <tr key={r.ref}>
                      <td class="value">{r.ref}</td>
                      <td>
                        <a href={`#/iocs?rule=${r.rule_id}`}>{r.rule_id}</a>
                      </td>
                      <td>{r.outcome}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {listed > 0 && <p>and {listed} more rules</p>}
            </div>
          )}
        </>
      )}
    </section>
  );
}
