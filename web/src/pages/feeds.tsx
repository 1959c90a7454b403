/**
 * TAXII 2.1 feeds of the tenant (intel/feeds/*): each with its last pull, counts and error, for
 * every role; Instance Administrators add, pull now and remove. A pull can take a while, so its
 * button says so and cannot be pressed twice; a failed pull shows its error in the feed's row too.
 */
import { useState } from "preact/hooks";
import { call } from "../api.ts";
import type { PageProps } from "../app.tsx";
import { useApiQuery, useInvalidate } from "../data/use-api.ts";
import { ListState } from "./list-state.tsx";
import { NoticeLine, useNotice } from "./notice.tsx";

const LIST = "/public_api/v1/intel/feeds/list";

type Counts = { objects: number; created: number; updated: number; unchanged: number; deleted: number; rejected: number };
export type Feed = {
  name: string;
  url: string;
  collection_id: string;
  username: string | null;
  has_password: boolean;
  poll_seconds: number;
  last_pull_at: number | null;
  last_error: string | null;
  last_counts: Counts | null;
};
type PullReply = { reply: { created: number; updated: number; unchanged: number; deleted: number; rejected: unknown[] } };

const counted = (c: Counts) =>
  `${c.objects} objects: ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.deleted} deleted, ${c.rejected} not imported`;

export function FeedsPage({ session, who }: PageProps) {
  const admin = who.role === "instance_admin";
  const list = useApiQuery<{ reply: { feeds: Feed[] } }>(session, LIST, { request_data: {} });
  const feeds = list.data?.reply.feeds ?? [];
  const invalidate = useInvalidate();
  const { notice, ok, fail } = useNotice();
  const [pulling, setPulling] = useState<ReadonlySet<string>>(new Set());
  const [adding, setAdding] = useState(false);

  async function pull(name: string) {
    setPulling((now) => new Set([...now, name]));
    try {
      const { reply } = await call<PullReply>(session, "/public_api/v1/intel/feeds/pull", { request_data: { name } });
      ok(`Pulled ${name}: ${reply.created} created, ${reply.updated} updated, ${reply.unchanged} unchanged, ${reply.deleted} deleted, ${reply.rejected.length} not imported`);
    } catch (e) {
      fail(e);
    } finally {
      setPulling((now) => new Set([...now].filter((n) => n !== name)));
    }
    await invalidate(LIST, "/public_api/v1/indicators/get");
  }

  async function remove(name: string) {
    if (!confirm(`Remove feed ${name}? The rules it brought stay.`)) return;
    try {
      const { reply } = await call<{ reply: { removed: boolean } }>(session, "/public_api/v1/intel/feeds/remove", { request_data: { name } });
      if (reply.removed) ok(`Removed feed ${name}`);
      else fail(new Error(`Feed ${name} was already gone`));
    } catch (e) {
      fail(e);
    }
    await invalidate(LIST);
  }

  return (
    <section>
      <h1>TAXII feeds</h1>
      <div class="toolbar">
        <span data-testid="feed-count">{list.isPending ? "Loading…" : `${feeds.length} feed${feeds.length === 1 ? "" : "s"}`}</span>
        {admin && !adding && (
          <button type="button" onClick={() => setAdding(true)}>
            Add feed
          </button>
        )}
      </div>
      <NoticeLine notice={notice} />
      <ListState query={list} what="feeds" />
      {adding && (
        <FeedForm
          session={session}
          onAdded={async (name) => {
            ok(`Added feed ${name}`);
            setAdding(false);
            await invalidate(LIST);
          }}
          onCancel={() => setAdding(false)}
        />
      )}
      <div class="table-wrap" aria-busy={list.isFetching}>
        <table aria-label="Feeds">
          <thead>
            <tr>
              <th>Name</th>
              <th>API root and collection</th>
              <th>Every</th>
              <th>Last pull</th>
              <th>Counts</th>
              <th>Last error</th>
              {admin && <th>Actions</th>}
            </tr>
          </thead>
          <tbody>
            {feeds.map((f) => (
              <tr key={f.name}>
                <td>{f.name}</td>
                <td class="value">
                  {f.url}
                  <br />
                  {f.collection_id}
                  {f.username ? ` (as ${f.username}${f.has_password ? ", with a password" : ""})` : ""}
                </td>
                <td>{f.poll_seconds} s</td>
                <td data-testid="last-pull">{f.last_pull_at === null ? "never" : new Date(f.last_pull_at).toLocaleString()}</td>
                <td data-testid="counts">{f.last_counts ? counted(f.last_counts) : ""}</td>
                <td data-testid="last-error" class="error">
                  {f.last_error ?? ""}
                </td>
                {admin && (
                  <td class="actions">
                    <button type="button" disabled={pulling.has(f.name)} onClick={() => void pull(f.name)}>
                      {pulling.has(f.name) ? "Pulling…" : "Pull now"}
                    </button>
                    <button type="button" aria-label={`Remove ${f.name}`} onClick={() => void remove(f.name)}>
                      Remove
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!list.isPending && feeds.length === 0 && <p>No feeds yet.</p>}
    </section>
  );
}

/** A new feed; what the server refuses (a bad URL, an internal host, a taken name) shows here and the form keeps its fields. */
function FeedForm({ session, onAdded, onCancel }: { session: PageProps["session"]; onAdded: (name: string) => Promise<void>; onCancel: () => void }) {
  const [problem, setProblem] = useState("");
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const text = (name: string) => String(data.get(name) ?? "").trim();
    const request = {
      name: text("name"),
      url: text("url"),
      collection_id: text("collection_id"),
      ...(text("username") ? { username: text("username") } : {}),
      ...(text("password") ? { password: String(data.get("password")) } : {}),
      poll_seconds: Number(text("poll_seconds")),
    };
    setBusy(true);
    setProblem("");
    try {
      await call(session, "/public_api/v1/intel/feeds/add", { request_data: request });
      await onAdded(request.name);
    } catch (err) {
      setProblem((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="panel" aria-label="New feed" onSubmit={(e) => void submit(e)} onKeyDown={(e) => e.key === "Escape" && onCancel()}>
      <label>
        Name <input name="name" required autoFocus />
      </label>
      <label>
        API root URL <input name="url" type="url" required placeholder="https://tip.example/taxii2/root/" />
      </label>
      <label>
        Collection ID <input name="collection_id" required />
      </label>
      <label>
        User <input name="username" autoComplete="off" />
      </label>
      <label>
        Password <input name="password" type="password" autoComplete="new-password" />
      </label>
      <label>
        Poll every (seconds) <input name="poll_seconds" type="number" min={60} defaultValue="3600" required />
      </label>
      {problem && (
        <p role="alert" class="error">
          {problem}
        </p>
      )}
      <div class="buttons">
        <button type="submit" disabled={busy}>
          {busy ? "Adding…" : "Add"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
