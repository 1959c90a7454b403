/**
 * Retention on the test's store (SQLite, or PostgreSQL with WARDEN_TEST_STORE=postgres): alerts
 * and audit entries older than a tenant's retention go, in batches, leaving an audit entry of the
 * prune; AUDIT_IDs of what stays do not move; other tenants are untouched; the audit log still
 * refuses every other delete; `warden audit prune` works as a process.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { RetentionService } from "../src/domain/retention/retention-service.ts";
import { authHeaders, START_TIME, startTestApp, TEST_ACTOR, type TestApp, type TestKey } from "./harness.ts";

const DAY = 86_400_000;
const LOGS = "/public_api/v1/audits/management_logs";
const BIN = join(import.meta.dirname, "..", "bin", "warden.js");
const run = promisify(execFile);

interface LogRow {
  AUDIT_ID: number;
  AUDIT_DESCRIPTION: string;
  AUDIT_OWNER_NAME: string;
  AUDIT_INSERT_TIME: number;
}

/** A statement on a connection of the test's own, not Warden's: what any other tool could do. */
async function foreignExec(t: TestApp, sql: string): Promise<void> {
  if (t.config.database.startsWith("postgres")) {
    const client = new pg.Client({ connectionString: t.config.database });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
    return;
  }
  const db = new Database(t.config.database);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

describe("retention", () => {
  let t: TestApp;
  let n = 0;
  const fresh = async () => t.key(`retention-${++n}`);
  const insertIoc = (key: TestKey, indicator: string) =>
    t.post(
      "/public_api/v1/indicators/insert",
      { request_data: [{ indicator, type: "DOMAIN_NAME", severity: "SEV_040_HIGH" }] },
      key,
    );
  const ingest = (key: TestKey, domain: string) =>
    t.app.inject({
      method: "POST",
      url: "/logs/v1/event",
      headers: { ...authHeaders(key, t.clock.now()), "content-type": "text/plain" },
      payload: JSON.stringify({ event_type: "NETWORK", dns_query_name: domain }),
    });
  const alerts = async (key: TestKey) =>
    (await t.post("/public_api/v1/alerts/get_alerts", { request_data: {} }, key)).json().reply.alerts as {
      detection_timestamp: number;
    }[];
  const log = async (key: TestKey): Promise<LogRow[]> =>
    (await t.post(LOGS, { request_data: { search_to: 100 } }, key)).json().reply.data;

  before(async () => {
    t = await startTestApp({ WARDEN_RETENTION_ALERTS_DAYS: "30" });
  });
  after(async () => t.close());

  it("deletes a tenant's alerts past its retention, and only its own", async () => {
    const a = await fresh();
    const b = await fresh();
    for (const key of [a, b]) await insertIoc(key, "evil.example");
    for (const key of [a, b]) assert.equal((await ingest(key, "evil.example")).statusCode, 200);
    t.clock.advance(10 * DAY);
    for (const key of [a, b]) await ingest(key, "evil.example");
    const set = await t.services.retention.set(a.tenant, { alertsDays: 5 }, TEST_ACTOR);
    assert.ok(set.ok && set.value.alertsDays === 5 && !set.value.alertsDefault);
    await t.services.retention.runOnce();
    assert.deepEqual(
      (await alerts(a)).map((x) => x.detection_timestamp),
      [t.clock.now()],
      "the alert older than five days went",
    );
    assert.equal((await alerts(b)).length, 2, "the other tenant keeps the server default (30 days)");
    const [entry] = await log(a);
    assert.match(entry?.AUDIT_DESCRIPTION ?? "", /^Pruned 1 alerts of tenant 'retention-1' older than /);
    assert.equal(entry?.AUDIT_OWNER_NAME, "Warden (retention)");
    const metrics = await t.app.inject({ method: "GET", url: "/metrics" });
    assert.match(metrics.body, /^warden_retention_pruned_total\{what="alerts"\} 1$/m);
    t.clock.advance(21 * DAY);
    await t.services.retention.runOnce();
    assert.equal((await alerts(b)).length, 1, "past the server default, the other tenant's first alert goes too");
  });

  it("prunes the oldest audit entries in batches, recording who pruned what, and moves no AUDIT_ID", async () => {
    const a = await fresh();
    const b = await fresh();
    for (let i = 0; i < 7; i++) {
      for (const key of [a, b]) await insertIoc(key, `d${i}.example`);
      t.clock.advance(DAY);
    }
    const cutoff = t.clock.now() - 3 * DAY + 1;
    const beforeA = await log(a);
    const beforeB = await log(b);
    const keep = beforeA.filter((row) => row.AUDIT_INSERT_TIME >= cutoff);
    const small = new RetentionService(t.services.store, t.clock, t.config.retention, 2);
    const dry = await small.pruneAudit({ tenant: a.tenant, before: cutoff, dryRun: true, actor: TEST_ACTOR });
    assert.deepEqual(dry.ok && dry.value, [{ tenant: a.tenant, alerts: 0, audit: beforeA.length - keep.length }]);
    assert.equal((await log(a)).length, beforeA.length, "a dry run deletes nothing");
    const pruned = await small.pruneAudit({ tenant: a.tenant, before: cutoff, dryRun: false, actor: TEST_ACTOR });
    assert.ok(pruned.ok);
    assert.equal(pruned.value[0]?.audit, beforeA.length - keep.length);
    const [record, ...after] = await log(a);
    assert.deepEqual(
      after.map((row) => [row.AUDIT_ID, row.AUDIT_DESCRIPTION]),
      keep.map((row) => [row.AUDIT_ID, row.AUDIT_DESCRIPTION]),
      "what stays keeps its AUDIT_ID",
    );
    assert.equal(record?.AUDIT_ID, (beforeA[0]?.AUDIT_ID ?? 0) + 1, "ids count on");
    assert.equal(record?.AUDIT_OWNER_NAME, TEST_ACTOR.name);
    assert.equal(
      record?.AUDIT_DESCRIPTION,
      `Pruned ${pruned.value[0]?.audit} audit entries of tenant '${a.tenant}' older than ${new Date(cutoff).toISOString()}`,
    );
    assert.deepEqual(await log(b), beforeB, "another tenant's log is untouched");
  });

  it("still refuses any other delete of the audit log, from Warden's connection or another", async () => {
    const key = await fresh();
    await insertIoc(key, "kept.example");
    await assert.rejects(foreignExec(t, "DELETE FROM audit_log"), /the audit log is append-only/);
    await assert.rejects(foreignExec(t, "UPDATE audit_log SET actor = 'someone else'"), /the audit log is append-only/);
    const tenant = await t.services.tenants.find(key.tenant);
    assert.ok(tenant.ok);
    assert.equal(
      await t.services.store.pruneAudit(tenant.value.id, START_TIME - DAY, 100),
      0,
      "nothing older than the cutoff: nothing goes",
    );
    assert.ok((await log(key)).length > 0);
  });

  it("forgets correlation suppressions that ended and runs a later run follows", async () => {
    const key = await fresh();
    const tenant = await t.services.tenants.find(key.tenant);
    assert.ok(tenant.ok);
    const id = tenant.value.id;
    const now = t.clock.now();
    assert.ok(await t.services.store.claimSuppression(id, 1, "host-a", now, now + 1000));
    assert.ok(await t.services.store.claimCorrelationTick(id, 1, now - 20 * DAY, now - 20 * DAY));
    assert.ok(await t.services.store.claimCorrelationTick(id, 1, now - 19 * DAY, now - 19 * DAY));
    assert.ok(await t.services.store.claimCorrelationTick(id, 2, now - 30 * DAY, now - 30 * DAY));
    t.clock.advance(2000);
    await t.services.retention.runOnce();
    assert.ok(await t.services.store.claimCorrelationTick(id, 1, now - 20 * DAY, now), "the older run of rule 1 went");
    assert.equal(
      await t.services.store.claimCorrelationTick(id, 1, now - 19 * DAY, now),
      false,
      "its latest run stays, so the tick never runs twice",
    );
    assert.equal(
      await t.services.store.claimCorrelationTick(id, 2, now - 30 * DAY, now),
      false,
      "as does rule 2's only one",
    );
  });

  it("forgets which stream messages were folded after a week, and not before", async () => {
    const key = await fresh();
    const tenant = await t.services.tenants.find(key.tenant);
    assert.ok(tenant.ok);
    const id = tenant.value.id;
    const now = t.clock.now();
    const partial = { ruleId: 1, bucket: now, groupKey: "[]", state: "[1]" };
    const fold = (messageKey: string, at: number) =>
      t.services.store.recordStreamAlerts(id, [], { messageKey, partials: [partial], at });
    await fold("old", now - 8 * DAY);
    await fold("recent", now - 6 * DAY);
    await t.services.retention.runOnce();
    await fold("old", now);
    await fold("recent", now);
    const states = await t.services.store.readCorrelationPartials(id, 1, now, now + 1);
    assert.equal(states.length, 3, "the old key was forgotten, so it folded again; the recent one did not");
  });
});

describe("warden audit prune", () => {
  it("prunes from the CLI, as a process, on the server's store", async () => {
    const t = await startTestApp();
    after(() => t.close());
    const key = await t.key("retention-cli");
    const insertIoc = (indicator: string) =>
      t.post(
        "/public_api/v1/indicators/insert",
        { request_data: [{ indicator, type: "DOMAIN_NAME", severity: "SEV_040_HIGH" }] },
        key,
      );
    await insertIoc("cli.example");
    t.clock.advance(DAY);
    await insertIoc("cli2.example");
    const cutoff = new Date(t.clock.now() - DAY / 2).toISOString();
    const env = { ...process.env, WARDEN_MASTER_KEY: t.config.masterKey ?? "" };
    const args = [BIN, "--database", t.config.database, "--data-dir", t.dir, "audit", "prune"];
    const { stdout } = await run(process.execPath, [...args, "--tenant", key.tenant, "--before", cutoff, "--json"], {
      env,
    });
    // the tenant, its key and the first rule were recorded before the cutoff
    assert.deepEqual(JSON.parse(stdout), { tenant: key.tenant, before: cutoff, entries: 3, dry_run: false });
    const failed = await run(process.execPath, [...args, "--before", "soon"], { env }).catch((error) => error);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /--before: 'soon' is neither an age/);
  });
});
