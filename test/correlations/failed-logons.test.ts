/**
 * The "Done when": a SCHEDULED rule (more than 20 failed logons per user in 10 minutes)
 * fed over /logs/v1/event and run by `warden correlations run` as a separate process raises one
 * alert per user over the threshold, none below, and one (not two) under suppression.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { START_TIME, startTestApp, type TestApp, type TestKey } from "../harness.ts";
import { correlationsRun } from "./cli-runner.ts";
import { FAILED_LOGONS } from "./live-example.ts";

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** `n` logon events of `user` with this status, spread over the minute starting at `at`. */
function logons(user: string, n: number, status: number, at: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({
    event_type: "LOGIN",
    action_login_status: status,
    actor_effective_username: user,
    _time: at + i * 1000,
  }));
}

interface AlertRow {
  rule_id: number;
  source: string;
  name: string;
  severity: string;
  alert_name: string;
  alert_category: string;
  alert_description: string;
  mitre_defs: unknown;
  group_key: Record<string, unknown>;
  event: Record<string, unknown>;
  detection_timestamp: number;
}

describe("failed logons over 20 per user in 10 minutes, end to end", () => {
  let t: TestApp;
  let admin: TestKey;
  const ids: Record<string, number> = {};

  before(async () => {
    t = await startTestApp();
    admin = await t.key("acme");
    const res = await t.post(
      "/public_api/v1/correlations/insert",
      {
        request_data: [
          FAILED_LOGONS,
          { ...FAILED_LOGONS, name: "hourly, unsuppressed", search_window: "1 hours" },
          {
            ...FAILED_LOGONS,
            name: "hourly, suppressed",
            search_window: "1 hours",
            suppression_enabled: true,
            suppression_duration: "1 hours",
            suppression_fields: ["actor_effective_username"],
          },
        ],
      },
      admin,
    );
    assert.deepEqual(res.json().errors, [], res.body);
    for (const { id, status } of res.json().added_objects as { id: number; status: string }[]) ids[status] = id;
  });
  after(async () => t.close());

  const ingest = async (events: unknown[]) => {
    const body = events.map((e) => JSON.stringify(e)).join("\n");
    const res = await t.post("/logs/v1/event", body, admin, { "content-type": "text/plain" });
    assert.equal(res.statusCode, 200, res.body);
  };
  const alerts = async (ruleId?: number) => {
    const filters = [{ field: "source", operator: "EQ", value: "CORRELATION" }];
    if (ruleId !== undefined) filters.push({ field: "rule_id", operator: "EQ", value: ruleId as unknown as string });
    const res = await t.post("/public_api/v1/alerts/get_alerts", { request_data: { filters } }, admin);
    assert.equal(res.statusCode, 200, res.body);
    return res.json().reply.alerts as AlertRow[];
  };
  const ruleNamed = async (name: string) => {
    const res = await t.post(
      "/public_api/v1/correlations/get",
      { request_data: { filters: [{ field: "name", operator: "EQ", value: name }] } },
      admin,
    );
    return res.json().objects[0] as { rule_id: number; hits: number };
  };

  it("raises exactly one alert per user over the threshold in the window, none below", async () => {
    await ingest([
      ...logons("alice", 25, 1, START_TIME + MINUTE),
      ...logons("bob", 20, 1, START_TIME + 2 * MINUTE), // 20 is not more than 20
      ...logons("carol", 30, 0, START_TIME + 3 * MINUTE), // successes
      ...logons("dave", 30, 1, START_TIME - 5 * MINUTE), // before this window
      ...logons("erin", 10, 1, START_TIME + 4 * MINUTE),
    ]);
    await ingest(logons("erin", 11, 1, START_TIME + 5 * MINUTE)); // 21 over two requests
    const runs = await correlationsRun(t, "acme", iso(START_TIME + 10 * MINUTE));
    const tenMinutes = runs.find((r) => r.name === "Failed logons");
    assert.deepEqual(
      { groups: tenMinutes?.groups, rows: tenMinutes?.rows, alerts: tenMinutes?.alerts },
      { groups: 3, rows: 2, alerts: 2 }, // alice, bob, erin; carol never failed, dave is outside
    );
    const rule = await ruleNamed("Failed logons");
    const raised = await alerts(rule.rule_id);
    assert.deepEqual(raised.map((a) => a.group_key.actor_effective_username).sort(), ["alice", "erin"]);
    const alice = raised.find((a) => a.group_key.actor_effective_username === "alice");
    assert.equal(alice?.name, "Brute force on alice");
    assert.equal(alice?.alert_name, "Brute force on alice");
    assert.equal(alice?.alert_description, "25 failed logons for alice in 10 minutes");
    assert.equal(alice?.alert_category, "CREDENTIAL_ACCESS");
    assert.equal(alice?.severity, "SEV_030_MEDIUM");
    assert.deepEqual(alice?.mitre_defs, FAILED_LOGONS.mitre_defs);
    assert.deepEqual(alice?.event, { actor_effective_username: "alice", failures: 25 });
    assert.equal(alice?.detection_timestamp, START_TIME + 10 * MINUTE);
    assert.equal(rule.hits, 2, "hits counts the alerts it raised");
  });

  it("runs a tick once: running the same time again raises nothing more", async () => {
    const again = await correlationsRun(t, "acme", iso(START_TIME + 10 * MINUTE + 30_000));
    assert.deepEqual(again, []);
    assert.equal((await alerts((await ruleNamed("Failed logons")).rule_id)).length, 2);
  });

  it("raises one alert, not two, for a key still over the threshold when suppression is on", async () => {
    await ingest(logons("alice", 5, 1, START_TIME + 12 * MINUTE));
    const runs = await correlationsRun(t, "acme", iso(START_TIME + 20 * MINUTE));
    assert.equal(runs.length, 3);
    const unsuppressed = await alerts((await ruleNamed("hourly, unsuppressed")).rule_id);
    const suppressed = await alerts((await ruleNamed("hourly, suppressed")).rule_id);
    const count = (list: AlertRow[], user: string) =>
      list.filter((a) => a.group_key.actor_effective_username === user).length;
    assert.equal(count(unsuppressed, "alice"), 2, "both hourly runs saw alice over 20");
    assert.equal(count(suppressed, "alice"), 1, "the second was suppressed");
    assert.equal(count(suppressed, "erin"), 1);
    assert.equal(count(suppressed, "dave"), 1, "dave's failures fall in the hour window");
    const tenMinutes = await alerts((await ruleNamed("Failed logons")).rule_id);
    assert.equal(tenMinutes.length, 2, "12:10-12:20 holds only alice's 5 more");
  });

  it("keeps another tenant's events out of the aggregates", async () => {
    const other = await t.key("globex");
    const body = logons("alice", 30, 1, START_TIME + 21 * MINUTE)
      .map((e) => JSON.stringify(e))
      .join("\n");
    await t.post("/logs/v1/event", body, other, { "content-type": "text/plain" });
    const runs = await correlationsRun(t, "acme", iso(START_TIME + 30 * MINUTE));
    assert.equal(runs.find((r) => r.name === "Failed logons")?.groups, 0);
  });
});
