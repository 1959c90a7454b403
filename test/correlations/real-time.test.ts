/**
 * REAL_TIME rules: the live export raises an alert per matching event on ingest, rules/evaluate
 * shows correlation hits (aggregates over the events given, too), and suppression holds a key.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApp, type TestApp, type TestKey } from "../harness.ts";
import { FAILED_LOGONS, LIVE_EXAMPLE } from "./live-example.ts";

const ticket = (options: string, message = "a ticket was requested") => ({
  event_type: "EVENT_LOG",
  action_evtlog_event_id: 4768,
  action_evtlog_data_fields: { TicketOptions: options, TargetUserName: "svc" },
  action_evtlog_message: message,
  agent_hostname: "dc01",
});

describe("REAL_TIME correlation rules", () => {
  let t: TestApp;
  let admin: TestKey;

  before(async () => {
    t = await startTestApp();
    admin = await t.key("acme");
    const res = await t.post(
      "/public_api/v1/correlations/insert",
      {
        request_data: [
          LIVE_EXAMPLE,
          {
            ...LIVE_EXAMPLE,
            rule_id: null,
            name: "Ticket anomaly per host",
            alert_name: "Ticket anomaly on $agent_hostname ($Opts)",
            suppression_enabled: true,
            suppression_duration: "1 hours",
            suppression_fields: ["agent_hostname"],
          },
          FAILED_LOGONS,
        ],
      },
      admin,
    );
    assert.deepEqual(res.json().errors, [], res.body);
  });
  after(async () => t.close());

  const alerts = async () => {
    const filters = [{ field: "source", operator: "EQ", value: "CORRELATION" }];
    const res = await t.post("/public_api/v1/alerts/get_alerts", { request_data: { filters } }, admin);
    return res.json().reply.alerts as {
      rule_id: number;
      name: string;
      alert_domain: string;
      event: Record<string, unknown>;
    }[];
  };

  it("shows correlation hits in rules/evaluate, aggregates over the events given, nothing stored", async () => {
    const events = [
      ticket("0x40810000"),
      ticket("0x40810010"),
      ticket("0x40810000", "$machine account"),
      ...Array.from({ length: 21 }, () => ({
        event_type: "LOGIN",
        action_login_status: 1,
        actor_effective_username: "al",
      })),
    ];
    const res = await t.post("/public_api/v1/rules/evaluate", { request_data: { events } }, admin);
    assert.equal(res.statusCode, 200, res.body);
    const hits = (
      res.json().reply.hits as { event_index: number; source: string; rule_id: number; name: string }[]
    ).filter((h) => h.source === "CORRELATION");
    assert.deepEqual(
      hits.map((h) => [h.event_index, h.rule_id, h.name]),
      [
        [0, 12, "Ticket anomaly"],
        [0, 13, "Ticket anomaly on dc01 (0x40810000)"],
        [-1, 14, "Brute force on al"],
      ],
    );
    assert.deepEqual(await alerts(), []);
  });

  it("raises an alert per matching ingested event, and one per suppression key", async () => {
    const body = [ticket("0x40810000"), ticket("0x1"), ticket("0x40810000")].map((e) => JSON.stringify(e)).join("\n");
    const res = await t.post("/logs/v1/event", body, admin, { "content-type": "text/plain" });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().reply.alerts, 3, "two from the plain rule, one from the suppressed one");
    const raised = await alerts();
    assert.deepEqual(
      raised.map((a) => a.rule_id),
      [12, 12, 13],
    );
    assert.equal(raised[0]?.alert_domain, "DOMAIN_SECURITY");
    assert.deepEqual(raised[0]?.event.Opts, ["0x40810000"], "the row carries alter's fields");
    t.clock.advance(3_600_000);
    await t.post("/logs/v1/event", JSON.stringify(ticket("0x40810000")), admin, { "content-type": "text/plain" });
    assert.equal((await alerts()).filter((a) => a.rule_id === 13).length, 2, "an hour later the key is free again");
    const got = await t.post("/public_api/v1/correlations/get", { request_data: {} }, admin);
    const hits = Object.fromEntries(
      (got.json().objects as { rule_id: number; hits: number }[]).map((o) => [o.rule_id, o.hits]),
    );
    assert.deepEqual(hits, { 12: 3, 13: 2, 14: 0 });
  });
});
