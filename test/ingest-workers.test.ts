/**
 * Matching on worker threads over HTTP: the same answers as on the main thread, health checks
 * answered while a costly match runs, and a batch that overruns its time budget refused with the
 * server still serving.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { authHeaders, startTestApp, type TestApp, type TestKey } from "./harness.ts";

/**
 * RE2 is linear in the input, but the factor is the threads alive at once: on a field of all "a",
 * every one of the hundred repetitions stays alive for each character, and the closing "c" never
 * comes. One such field costs about 400 ms here (a field of "b" would cost 5).
 */
const COSTLY_TREE = {
  investigationType: "PROCESS_EXECUTION_EVENT",
  investigation: {
    PROCESS_EXECUTION_EVENT: {
      filter: {
        SEARCH_FIELD: "f0",
        SEARCH_TYPE: "REGEX",
        SEARCH_VALUE: "(.*a){100}c",
      },
    },
  },
};

/** One line that costs the costly rule several times the 50 ms budget, even on a fast machine. */
function costlyEvent(): string {
  return JSON.stringify({ event_type: "PROCESS", f0: "a".repeat(65_536) });
}

const PLAIN_EVENTS = [
  JSON.stringify({ event_type: "NETWORK", dns_query_name: "a.evil.com" }),
  "not json",
  "",
  JSON.stringify({ event_type: "PROCESS", action_process_image_name: "PowerShell.exe" }),
  JSON.stringify([1]),
  JSON.stringify({ event_type: "PROCESS", action_file_name: "x" }),
].join("\n");

async function withRules(t: TestApp, tenant: string, costly = false): Promise<TestKey> {
  const key = await t.key(tenant);
  await t.post(
    "/public_api/v1/indicators/insert",
    { request_data: [{ indicator: "evil.com", type: "DOMAIN_NAME", severity: "SEV_040_HIGH" }] },
    key,
  );
  const tree = {
    investigationType: "PROCESS_EXECUTION_EVENT",
    investigation: {
      PROCESS_EXECUTION_EVENT: {
        filter: { SEARCH_FIELD: "action_process_image_name", SEARCH_TYPE: "CONTAINS", SEARCH_VALUE: "shell" },
      },
    },
  };
  const biocs = [{ name: "shell", type: "EXECUTION", severity: "SEV_030_MEDIUM", indicator: tree }];
  if (costly) biocs.push({ name: "costly", type: "EXECUTION", severity: "SEV_030_MEDIUM", indicator: COSTLY_TREE });
  const res = await t.post("/public_api/v1/bioc/insert", { request_data: biocs }, key);
  assert.equal(res.statusCode, 200, res.body);
  return key;
}

const ingest = (t: TestApp, key: TestKey, body: string) =>
  t.app.inject({ method: "POST", url: "/logs/v1/event", headers: authHeaders(key, t.clock.now()), payload: body });

const health = (t: TestApp) => t.app.inject({ method: "GET", url: "/public_api/v1/healthcheck" });

async function alertsOf(t: TestApp, key: TestKey) {
  const res = await t.post("/public_api/v1/alerts/get_alerts", { request_data: {} }, key);
  return res.json().reply.alerts.map((a: Record<string, unknown>) => ({ ...a, alert_id: 0 }));
}

describe("ingest on worker threads", () => {
  let threaded: TestApp;
  let inline: TestApp;
  before(async () => {
    threaded = await startTestApp({ WARDEN_MATCH_WORKERS: "2", WARDEN_MATCH_TIMEOUT_MS: "60000" });
    inline = await startTestApp({ WARDEN_MATCH_WORKERS: "0" });
  });
  after(async () => {
    await threaded.close();
    await inline.close();
  });

  it("answers and stores exactly what matching on the main thread does", async () => {
    const answers = [];
    for (const t of [threaded, inline]) {
      const key = await withRules(t, "same");
      const res = await ingest(t, key, PLAIN_EVENTS);
      assert.equal(res.statusCode, 200, res.body);
      const array = await ingest(t, key, `[${PLAIN_EVENTS.split("\n")[0]}, 5, ${PLAIN_EVENTS.split("\n")[3]}]`);
      const hits = await t.post(
        "/public_api/v1/rules/evaluate",
        {
          request_data: {
            events: [
              { event_type: "PROCESS", action_process_image_name: "bash" },
              JSON.parse(PLAIN_EVENTS.split("\n")[3] as string),
            ],
          },
        },
        key,
      );
      answers.push([res.json(), array.json(), hits.json(), await alertsOf(t, key)]);
    }
    const [fromThreads, fromMain] = answers;
    assert.deepEqual(fromThreads, fromMain);
    assert.deepEqual(fromThreads?.[0].reply, {
      events: 3,
      matched_events: 2,
      alerts: 2,
      malformed_count: 2,
      malformed: [
        { line: 2, error: fromMain?.[0].reply.malformed[0].error },
        { line: 5, error: "an event must be a JSON object" },
      ],
    });
    assert.equal(fromThreads?.[1].reply.malformed_count, 1);
    assert.equal(fromThreads?.[2].reply.hits[0].event_index, 1);
  });

  it("refuses a body with one line nested 5,000 deep, whole, on either thread (checked where lines are parsed)", async () => {
    const deep = `{"event_type":"PROCESS","x":${"[".repeat(5000)}${"]".repeat(5000)}}`;
    // Braces inside strings and a nested but shallow line are fine: only real depth counts.
    const shallow = JSON.stringify({ event_type: "PROCESS", action_file_name: "{[", nested: { a: [1, { b: 2 }] } });
    for (const t of [threaded, inline]) {
      const key = await withRules(t, "deep");
      const fine = await ingest(t, key, `${PLAIN_EVENTS}\n${shallow}`);
      assert.equal(fine.statusCode, 200, fine.body);
      assert.equal(fine.json().reply.events, 4);
      const before = await alertsOf(t, key);
      for (const body of [`${PLAIN_EVENTS}\n${deep}`, `[${PLAIN_EVENTS.split("\n")[0]}, ${deep}]`]) {
        const res = await ingest(t, key, body);
        assert.equal(res.statusCode, 400, res.body);
        assert.match(res.json().err_extra, /the body is nested deeper than 128 levels/);
      }
      assert.deepEqual(await alertsOf(t, key), before, "nothing of a refused body is stored");
    }
  });

  it("keeps answering health checks while a costly match runs", async () => {
    const key = await withRules(threaded, "slow", true);
    // Rules built and workers started first, so what follows waits only on the match itself.
    assert.equal((await ingest(threaded, key, PLAIN_EVENTS)).statusCode, 200);
    let done = false;
    const slow = ingest(threaded, key, Array.from({ length: 4 }, costlyEvent).join("\n")).finally(() => {
      done = true;
    });
    let answeredMeanwhile = 0;
    while (!done) {
      const res = await health(threaded);
      assert.equal(res.statusCode, 200);
      if (!done) answeredMeanwhile += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const res = await slow;
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().reply.events, 4);
    // Matching on the main thread answers one or two (those in before the match starts), not a stream.
    assert.ok(answeredMeanwhile >= 5, `${answeredMeanwhile} health checks answered while the match ran`);
  });
});

describe("a batch past the matching time budget", () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ WARDEN_MATCH_WORKERS: "1", WARDEN_MATCH_TIMEOUT_MS: "50" });
  });
  after(async () => t.close());

  it("is refused with a 400, stores nothing, and the next request is served by a fresh worker", async () => {
    const key = await withRules(t, "overrun", true);
    // Each costly line is its own piece and alone well past the budget, so the budget decides, not a race.
    const costly = Array.from({ length: 2 }, costlyEvent);
    const res = await ingest(t, key, [PLAIN_EVENTS, ...costly].join("\n"));
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.json().err_extra, /took longer than 50 ms.*nothing was stored/);
    assert.deepEqual(await alertsOf(t, key), []);
    assert.equal((await health(t)).statusCode, 200);
    const after = await ingest(t, key, PLAIN_EVENTS);
    assert.equal(after.statusCode, 200, after.body);
    assert.equal(after.json().reply.alerts, 2);
  });
});
