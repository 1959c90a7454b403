/**
 * Correlation rules on stream messages: the consumer's processing of one message (matching with
 * correlation rules, then the keyed write) run as a redelivery runs it, on a real store with real
 * matching threads. A message delivered twice, or delivered again after an attempt that claimed its
 * suppressions but stored nothing, stores exactly what `POST /logs/v1/event` stores for the same
 * events once: the same REAL_TIME alerts (suppression included) and the same SCHEDULED states, so
 * the same alerts at the tick.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { messageAlerts } from "../../src/ingest/stream/message-alerts.ts";
import { FAILED_LOGONS, LIVE_EXAMPLE } from "../correlations/live-example.ts";
import { startTestApp, type TestApp, type TestKey } from "../harness.ts";

const TEN_MINUTES = 600_000;

/** Tickets on four hosts, 30 failed logons for alice and 10 for bob. */
function events(): string {
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) {
    lines.push(
      JSON.stringify({
        event_type: "EVENT_LOG",
        action_evtlog_event_id: 4768,
        action_evtlog_data_fields: { TicketOptions: "0x40810000" },
        action_evtlog_message: `ticket ${i}`,
        agent_hostname: `dc${i % 4}`,
      }),
    );
    const user = i % 4 === 0 ? "bob" : "alice";
    lines.push(JSON.stringify({ event_type: "LOGIN", action_login_status: 1, actor_effective_username: user }));
  }
  return lines.join("\n");
}

const PER_HOST = {
  ...LIVE_EXAMPLE,
  rule_id: null,
  name: "per host",
  alert_name: "Ticket anomaly on $agent_hostname",
  suppression_enabled: true,
  suppression_duration: "1 hours",
  suppression_fields: ["agent_hostname"],
};

describe("correlation rules on stream messages", () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ WARDEN_MATCH_WORKERS: "2" });
  });
  after(() => t.close());

  async function tenantWithRules(name: string): Promise<{ key: TestKey; tenantId: number }> {
    const key = await t.key(name);
    const rules = [{ ...LIVE_EXAMPLE, rule_id: null }, PER_HOST, FAILED_LOGONS];
    const inserted = await t.post("/public_api/v1/correlations/insert", { request_data: rules }, key);
    assert.deepEqual(inserted.json().errors, [], inserted.body);
    const tenant = await t.services.tenants.find(name);
    if (!tenant.ok) throw new Error(tenant.error);
    return { key, tenantId: tenant.value.id };
  }

  /** What the tenant holds: its alerts (ids aside) and what a tick ten minutes on raises. */
  async function outcome(key: TestKey, tenantId: number) {
    const ticks = await t.services.correlationEngine.runDue(tenantId, t.clock.now() + TEN_MINUTES);
    const found = await t.post("/public_api/v1/alerts/get_alerts", { request_data: {} }, key);
    const alerts = found.json().reply.alerts.map((a: Record<string, unknown>) => ({ ...a, alert_id: 0 }));
    return { alerts, ticks: ticks.map((r) => [r.groups, r.alerts]) };
  }

  it("stores what one HTTP ingest stores, however often the message comes", async () => {
    const http = await tenantWithRules("over-http");
    const res = await t.post("/logs/v1/event", events(), http.key, { "content-type": "text/plain" });
    assert.equal(res.statusCode, 200, res.body);
    const once = await outcome(http.key, http.tenantId);
    // 40 tickets; 4 more past per-host suppression; at the tick, alice's 30 failures (bob's 10 are too few)
    assert.equal(once.alerts.length, 44 + 1);
    assert.deepEqual(once.ticks, [[2, 1]]);

    const stream = await tenantWithRules("over-stream");
    const deps = { matching: t.services.matching, correlations: t.services.correlationEngine };
    const deliver = () => messageAlerts(deps, stream.tenantId, events(), "WARDEN_EVENTS.1:7", t.clock.now());
    // an attempt that claimed the suppressions, then failed before its write (the store went away)
    await deliver();
    for (let delivery = 0; delivery < 2; delivery++) {
      const found = await deliver();
      await t.services.store.recordStreamAlerts(stream.tenantId, found.alerts, found.fold);
    }
    assert.deepEqual(await outcome(stream.key, stream.tenantId), once);
  });

  it("folds a message's states once per tenant: the same key elsewhere is another message", async () => {
    const [a, b] = [await tenantWithRules("fold-a"), await tenantWithRules("fold-b")];
    const deps = { matching: t.services.matching, correlations: t.services.correlationEngine };
    for (const { tenantId } of [a, a, b]) {
      const found = await messageAlerts(deps, tenantId, events(), "WARDEN_EVENTS.1:9", t.clock.now());
      await t.services.store.recordStreamAlerts(tenantId, found.alerts, found.fold);
    }
    for (const { key, tenantId } of [a, b]) assert.deepEqual((await outcome(key, tenantId)).ticks, [[2, 1]]);
  });
});
