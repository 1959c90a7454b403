import { useState } from "preact/hooks";
import { call } from "../api.ts";
import type { PageProps } from "../app.tsx";

interface Hit {
  event_index: number;
  source: "IOC" | "BIOC";
  rule_id: number;
  name: string;
  severity: string;
  field: string;
  value: string;
}

/**
 * Events as a JSON array, one JSON object (pretty-printed or not), or NDJSON. The whole text is
 * read as JSON first; only when that fails is it read a line at a time, and an error names the line.
 */
function parseEvents(text: string): unknown[] {
  const trimmed = text.trim();
  try {
    const whole = JSON.parse(trimmed) as unknown;
    return Array.isArray(whole) ? whole : [whole];
  } catch (wholeError) {
    const lines = trimmed.split("\n");
    if (lines.length < 2) throw new Error(`Events are not JSON: ${(wholeError as Error).message}`);
    return lines.flatMap((line, i) => {
      if (line.trim() === "") return [];
      try {
        return [JSON.parse(line) as unknown];
      } catch (e) {
        throw new Error(`Line ${i + 1} is not JSON (${(e as Error).message}); paste a JSON array, one object, or one object a line`);
      }
    });
  }
}

export function TryItPage({ session }: PageProps) {
  const [text, setText] = useState('{"event_type": "PROCESS", "action_process_image_name": "powershell.exe"}');
  const [hits, setHits] = useState<Hit[] | undefined>();
  const [error, setError] = useState("");

  async function evaluate() {
    try {
      const res = await call<{ reply: { hits: Hit[] } }>(session, "/public_api/v1/rules/evaluate", { request_data: { events: parseEvents(text) } });
      setHits(res.reply.hits);
      setError("");
    } catch (e) {
      // Hits of the earlier events must not sit under an error about these ones.
      setHits(undefined);
      setError((e as Error).message);
    }
  }

  return (
    <section>
      <h1>Try it</h1>
      <p>Paste events (a JSON array, or one JSON object a line) or load a file, and see which rules would fire. Nothing is stored.</p>
      <label>
        Events
        <textarea name="events" rows={10} spellcheck={false} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
      </label>
      <div class="buttons">
        <input type="file" aria-label="Load events from a file" accept=".json,.ndjson,.txt" onChange={async (e) => {
          const file = (e.target as HTMLInputElement).files?.[0];
          if (file) setText(await file.text());
        }} />
        <button type="button" onClick={evaluate}>
          Evaluate
        </button>
      </div>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {hits && (
        <div class="table-wrap">
          <table aria-label="Hits">
            <thead>
              <tr>
                <th>Event</th>
                <th>Source</th>
                <th>Rule</th>
                <th>Severity</th>
                <th>Field</th>
                <th>Value</th>
              </tr>
            </thead>
            <tbody>
              {hits.length === 0 && (
                <tr>
                  <td colSpan={6}>No rule fired.</td>
                </tr>
              )}
              {hits.map((h) => (
                <tr key={`${h.event_index}-${h.source}-${h.rule_id}`}>
                  <td>{h.event_index + 1}</td>
                  <td>{h.source}</td>
                  <td>
                    <a href={`#/${h.source === "IOC" ? "iocs" : "biocs"}?rule=${h.rule_id}`}>{h.name}</a>
                  </td>
                  <td>{h.severity.replace(/^SEV_\d+_/, "")}</td>
                  <td>{h.field}</td>
                  <td class="value">{h.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
