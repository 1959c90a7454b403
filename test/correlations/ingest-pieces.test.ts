/**
 * Correlation rules run where ingest parses the body (on the matching threads, piece by piece):
 * a body cut into many pieces stores the same alerts and the same aggregate states as matching
 * on the main thread in one run, and the states of one group met in several pieces are merged.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApp, type TestApp, type TestKey } from "../harness.ts";
import { FAILED_LOGONS, LIVE_EXAMPLE } from "./live-example.ts";

const TEN_MINUTES = 600_000;

/** About 600 KB: several 128 KB pieces, with alice's and bob's failed logons in every one. */
function body(): string {
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const padding = "x".repeat(100);
    if (i % 3 === 0)
      lines.push(
        JSON.stringify({
          event_type: "EVENT_LOG",
          action_evtlog_event_id: 4768,
          action_evtlog_data_fields: { TicketOptions: i % 2 === 0 ? "0x40810000" : "0x1" },
          action_evtlog_message: `ticket ${i} ${padding}`,
          agent_hostname: `dc${i % 4}`,
        }),
      );
    else {
      const user = i % 3 === 1 ? "alice" : "bob";
      lines.push(
        JSON.stringify({ event_type: "LOGIN", action_login_status: 1, actor_effective_username: user, padding }),
      );
    }
  }
  return lines.join("\n");
}

async function ingestAndTick(t: TestApp, key: TestKey) {
  const res = await t.post("/logs/v1/event", body(), key, { "content-type": "text/plain" });
  assert.equal(res.statusCode, 200, res.body);
  const tenant = await t.services.tenants.find(key.tenant);
  if (!tenant.ok) throw new Error(tenant.error);
  const now = t.clock.now();
  const states = [];
  for (const ruleId of [1, 2, 3])
    states.push(await t.services.store.readCorrelationPartials(tenant.value.id, ruleId, now - TEN_MINUTES, now + 1));
  const ticks = await t.services.correlationEngine.runDue(tenant.value.id, now + TEN_MINUTES);
  const found = await t.post("/public_api/v1/alerts/get_alerts", { request_data: {} }, key);
  const alerts = found.json().reply.alerts.map((a: Record<string, unknown>) => ({ ...a, alert_id: 0 }));
  return { reply: res.json().reply, states, ticks: ticks.map((r) => [r.ruleId, r.groups, r.alerts]), alerts };
}

describe("correlation rules on a body cut into pieces", () => {
  let threaded: TestApp;
  let inline: TestApp;
  before(async () => {
    threaded = await startTestApp({ WARDEN_MATCH_WORKERS: "2" });
    inline = await startTestApp({ WARDEN_MATCH_WORKERS: "0" });
  });
  after(async () => {
    await threaded.close();
    await inline.close();
  });

  it("stores what one run on the main thread stores: alerts, suppression, merged group states", async () => {
    const runs = [];
    for (const t of [threaded, inline]) {
      const key = await t.key("pieces");
      const suppressed = {
        ...LIVE_EXAMPLE,
        name: "per host",
        alert_name: "Ticket anomaly on $agent_hostname",
        suppression_enabled: true,
        suppression_duration: "1 hours",
        suppression_fields: ["agent_hostname"],
      };
      const inserted = await t.post(
        "/public_api/v1/correlations/insert",
        { request_data: [{ ...LIVE_EXAMPLE, rule_id: null }, { ...suppressed, rule_id: null }, FAILED_LOGONS] },
        key,
      );
      assert.deepEqual(inserted.json().errors, [], inserted.body);
      runs.push(await ingestAndTick(t, key));
    }
    const [pieces, oneRun] = runs;
    assert.deepEqual(pieces, oneRun);
    // 500 matching tickets, 2 more (one per host with such tickets) past suppression, 2 brute forces at the tick
    assert.equal(oneRun?.reply.alerts, 502);
    assert.deepEqual(
      oneRun?.states[2]?.map((p) => [p.groupKey, JSON.parse(p.state)]),
      [
        ['["alice"]', [1000]],
        ['["bob"]', [1000]],
      ],
      "one state per group, holding every piece's events",
    );
    assert.deepEqual(oneRun?.ticks, [[3, 2, 2]]);
  });
});
