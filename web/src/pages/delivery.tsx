/**
 * Where alerts go (docs/webhooks.md): the tenant's webhooks and syslog receivers, and the dead
 * letters (alerts a target gave up on) with Retry. Administrators add and remove targets; a new
 * webhook's secret is shown once. Reads go through the shared query cache.
 */
import { useState } from "preact/hooks";
import { call } from "../api.ts";
import type { PageProps } from "../app.tsx";
import { useApiQuery, useInvalidate } from "../data/use-api.ts";
import { ListState } from "./list-state.tsx";
import { NoticeLine, useNotice } from "./notice.tsx";

interface Target {
  name: string;
  kind: string;
  url: string;
  min_severity: string;
  rule_kinds: string[];
  enabled: boolean;
}

interface DeadLetter {
  id: number;
  target: string;
  alert_id: number;
  alert_name: string;
  severity: string;
  attempts: number;
  last_error: string | null;
  dead_at: number;
}

interface RotateReply {
  secret: string;
  previous_valid_until: number;
}

const TARGETS = "/public_api/v1/webhooks/list";
const DEAD = "/public_api/v1/webhooks/dead_letters";
const SEVERITIES = ["SEV_010_INFO", "SEV_020_LOW", "SEV_030_MEDIUM", "SEV_040_HIGH", "SEV_050_CRITICAL"];

export function DeliveryPage({ session, who }: PageProps) {
  const admin = who.role === "instance_admin";
  const targets = useApiQuery<{ reply: { targets: Target[] } }>(session, TARGETS, {});
  const dead = useApiQuery<{ reply: { dead_letters: DeadLetter[] } }>(session, DEAD, {});
  const invalidate = useInvalidate();
  const { notice, ok, fail, clear } = useNotice();
  const [retrying, setRetrying] = useState<Set<number>>(new Set());
  // which target's change is on its way (its buttons wait), and the secret a rotation just gave
  const [busy, setBusy] = useState<string | null>(null);
  const [rotated, setRotated] = useState<{ name: string; secret: string; until: number } | null>(null);

  async function retry(ids: number[] | undefined) {
    clear();
    setRetrying(new Set(ids ?? (dead.data?.reply.dead_letters ?? []).map((d) => d.id)));
    try {
      const res = await call<{ reply: { retried: number } }>(session, "/public_api/v1/webhooks/retry", {
        request_data: ids ? { ids } : {},
      });
      ok(`${res.reply.retried} sent again`);
    } catch (e) {
      fail(e);
    } finally {
      await invalidate(DEAD);
      setRetrying(new Set());
    }
  }
  async function remove(name: string) {
    if (!confirm(`Remove '${name}'? What is still owed to it is dropped.`)) return;
    clear();
    try {
      await call(session, "/public_api/v1/webhooks/remove", { request_data: { name } });
      ok(`removed '${name}'`);
    } catch (e) {
      fail(e);
    }
    await invalidate(TARGETS, DEAD);
  }

  async function change<R>(name: string, path: string, data: Record<string, unknown>, done: (reply: R) => string) {
    clear();
    setBusy(name);
    try {
      const res = await call<{ reply: R }>(session, path, { request_data: { name, ...data } });
      await invalidate(TARGETS); // the table shows the change before the notice says it
      ok(done(res.reply));
    } catch (e) {
      fail(e);
      await invalidate(TARGETS);
    } finally {
      setBusy(null);
    }
  }
  const setEnabled = (t: Target) =>
    change(t.name, "/public_api/v1/webhooks/enable", { enabled: !t.enabled }, () =>
      t.enabled ? `'${t.name}' turned off: alerts raised meanwhile are not owed to it` : `'${t.name}' turned on`,
    );
  async function rotate(name: string) {
    if (!confirm(`Give '${name}' a new signing secret? The old one keeps signing beside it for 24 hours.`)) return;
    setRotated(null);
    await change<RotateReply>(name, "/public_api/v1/webhooks/rotate_secret", {}, (reply) => {
      setRotated({ name, secret: reply.secret, until: reply.previous_valid_until });
      return `'${name}' has a new secret`;
    });
  }

  const letters = dead.data?.reply.dead_letters ?? [];
  return (
    <section>
      <h1>Delivery</h1>
      <NoticeLine notice={notice} />
      {admin && <AddTarget session={session} onAdded={() => invalidate(TARGETS)} />}
      {rotated && (
        <p role="status" data-testid="rotated-secret">
          New signing secret of {rotated.name}, shown only now: <code>{rotated.secret}</code>. The old one signs
          beside it until {new Date(rotated.until).toISOString()}; give the receiver the new one before then.
        </p>
      )}
      <h2>Webhooks and syslog receivers</h2>
      <ListState query={targets} what="targets" />
      <div class="table-wrap">
        <table aria-label="Targets">
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th>URL</th>
              <th>Minimum severity</th>
              <th>Rule kinds</th>
              <th>Enabled</th>
              {admin && <th />}
            </tr>
          </thead>
          <tbody>
            {(targets.data?.reply.targets ?? []).map((t) => (
              <tr key={t.name}>
                <td>{t.name}</td>
                <td>{t.kind}</td>
                <td>{t.url}</td>
                <td>{t.min_severity}</td>
                <td>{t.rule_kinds.join(", ")}</td>
                <td>{t.enabled ? "yes" : "no"}</td>
                {admin && (
                  <td class="actions">
                    <button type="button" disabled={busy === t.name} onClick={() => void setEnabled(t)}>
                      {t.enabled ? "Turn off" : "Turn on"} {t.name}
                    </button>
                    {t.kind === "webhook" && (
                      <button type="button" disabled={busy === t.name} onClick={() => void rotate(t.name)}>
                        Rotate secret of {t.name}
                      </button>
                    )}
                    <button type="button" disabled={busy === t.name} onClick={() => void remove(t.name)}>
                      Remove {t.name}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Dead letters</h2>
      <ListState query={dead} what="dead letters" />
      <div class="toolbar">
        <span data-testid="dead-count">{dead.isPending ? "Loading…" : `${letters.length} dead letters`}</span>
        {admin && letters.length > 0 && (
          <button type="button" disabled={retrying.size > 0} onClick={() => void retry(undefined)}>
            Retry all
          </button>
        )}
      </div>
      <div class="table-wrap">
        <table aria-label="Dead letters">
          <thead>
            <tr>
              <th>Target</th>
              <th>Alert</th>
              <th>Name</th>
              <th>Severity</th>
              <th>Attempts</th>
              <th>Last error</th>
              <th>Given up</th>
              {admin && <th />}
            </tr>
          </thead>
          <tbody>
            {letters.map((d) => (
              <tr key={d.id}>
                <td>{d.target}</td>
                <td>{d.alert_id}</td>
                <td>{d.alert_name}</td>
                <td>{d.severity}</td>
                <td>{d.attempts}</td>
                <td>{d.last_error ?? ""}</td>
                <td>{new Date(d.dead_at).toISOString()}</td>
                {admin && (
                  <td>
                    <button
                      type="button"
                      aria-label={`Retry alert ${d.alert_id} to ${d.target}`}
                      disabled={retrying.has(d.id)}
                      onClick={() => void retry([d.id])}
                    >
                      Retry
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

function AddTarget({ session, onAdded }: { session: PageProps["session"]; onAdded: () => unknown }) {
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [minSeverity, setMinSeverity] = useState("SEV_010_INFO");
  const [secret, setSecret] = useState<string | null>(null);
  const { notice, fail, clear } = useNotice();

  async function add(e: Event) {
    e.preventDefault();
    clear();
    setSecret(null);
    try {
      const res = await call<{ reply: { secret: string | null } }>(session, "/public_api/v1/webhooks/add", {
        request_data: { name, url, min_severity: minSeverity },
      });
      setSecret(res.reply.secret);
      setName("");
      setUrl("");
      await onAdded();
    } catch (error) {
      fail(error);
    }
  }

  return (
    <form class="toolbar" onSubmit={(e) => void add(e)}>
      <input aria-label="Target name" placeholder="name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
      <input
        aria-label="Target URL"
        placeholder="https://… or syslog+tcp://host:port"
        value={url}
        onInput={(e) => setUrl(e.currentTarget.value)}
      />
      <select aria-label="Minimum severity" value={minSeverity} onChange={(e) => setMinSeverity(e.currentTarget.value)}>
        {SEVERITIES.map((s) => (
          <option key={s}>{s}</option>
        ))}
      </select>
      <button type="submit">Add target</button>
      <NoticeLine notice={notice} />
      {secret && (
        <p role="status" data-testid="new-secret">
          Signing secret, shown only now: <code>{secret}</code>
        </p>
      )}
    </form>
  );
}
