import { useEffect, useRef, useState } from "preact/hooks";

export const IOC_TYPES = ["HASH", "IP", "DOMAIN_NAME", "URL", "PATH", "FILENAME", "MIXED"];
export const SEVERITIES = ["SEV_010_INFO", "SEV_020_LOW", "SEV_030_MEDIUM", "SEV_040_HIGH", "SEV_050_CRITICAL"];
export const REPUTATIONS = ["GOOD", "BAD", "SUSPICIOUS", "UNKNOWN", "NO_REPUTATION"];
const RELIABILITIES = ["A", "B", "C", "D", "E", "F", "G"];

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

/**
 * The IOC form, opened on the full stored rule (or a new one's defaults). Focus moves into it when
 * it opens; Escape closes it.
 */
export function IocForm({ item, onSave, onCancel }: { item: Partial<Ioc>; onSave: (item: Partial<Ioc>) => void; onCancel: () => void }) {
  const [draft, setDraft] = useState(item);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const field = (name: keyof Ioc) => (e: Event) => setDraft({ ...draft, [name]: (e.target as HTMLInputElement).value });
  const title = item.rule_id ? `Edit rule ${item.rule_id}` : "New IOC";
  return (
    <form
      class="panel"
      aria-label={title}
      onKeyDown={(e) => e.key === "Escape" && onCancel()}
      onSubmit={(e) => {
        e.preventDefault();
        onSave(draft);
      }}
    >
      <h2>{title}</h2>
      <div class="row">
        <label class="grow">
          Value
          <input name="indicator" ref={first} required value={draft.indicator ?? ""} onInput={field("indicator")} />
        </label>
        <label>
          Type
          <select name="type" value={draft.type} onChange={field("type")}>
            {IOC_TYPES.map((t) => (
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
          <select
            name="reliability"
            value={draft.reliability ?? ""}
            onChange={(e) => setDraft({ ...draft, reliability: (e.target as HTMLSelectElement).value || null })}
          >
            <option value="">unset</option>
            {RELIABILITIES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <ExpiryField value={draft.expiration_date ?? -1} onChange={(expiration_date) => setDraft({ ...draft, expiration_date })} />
      </div>
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
