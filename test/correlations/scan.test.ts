/** `warden scan` runs correlation rules too: REAL_TIME hits by line, SCHEDULED rows per window of event time. */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { START_TIME, startTestApp, type TestApp } from "../harness.ts";
import { scanFile } from "./cli-runner.ts";
import { FAILED_LOGONS, LIVE_EXAMPLE } from "./live-example.ts";

describe("warden scan with correlation rules", () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp();
    const admin = await t.key("acme");
    const res = await t.post(
      "/public_api/v1/correlations/insert",
      { request_data: [LIVE_EXAMPLE, FAILED_LOGONS] },
      admin,
    );
    assert.deepEqual(res.json().errors, []);
  });
  after(async () => t.close());

  it("writes REAL_TIME hits with their line and SCHEDULED rows with their window", async () => {
    const failure = (user: string, minute: number) => ({
      event_type: "LOGIN",
      action_login_status: 1,
      actor_effective_username: user,
      _time: START_TIME + minute * 60_000,
    });
    const events = [
      {
        event_type: "EVENT_LOG",
        action_evtlog_event_id: 4768,
        action_evtlog_data_fields: { TicketOptions: "0x40810000" },
      },
      ...Array.from({ length: 21 }, () => failure("alice", 1)),
      ...Array.from({ length: 21 }, (_, i) => failure("bob", i % 2 === 0 ? 8 : 12)), // split over two windows
    ];
    const file = join(t.dir, "events.ndjson");
    writeFileSync(file, events.map((e) => JSON.stringify(e)).join("\n"));
    const { hits, stderr } = await scanFile(t, file, "1");
    assert.deepEqual(
      hits.map((h) => [h.line, h.source, h.rule_id, h.name]),
      [
        [1, "CORRELATION", 12, "Ticket anomaly"],
        [null, "CORRELATION", 13, "Brute force on alice"],
      ],
    );
    assert.equal(hits[1]?.window_start, new Date(START_TIME).toISOString());
    assert.equal(hits[1]?.window_end, new Date(START_TIME + 600_000).toISOString());
    assert.match(stderr, /2 hits/);
    assert.match(stderr, /2 correlation rules ran too/);
  });
});
