import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CorrelationDefinition } from "../../domain/correlations/correlation-model.ts";
import { planCorrelation } from "../../domain/correlations/correlation-plan.ts";
import { cronMatches, parseCrontab } from "../../domain/correlations/crontab.ts";
import { accumulate, mergeByGroup, resultRows, toPartials } from "./aggregation.ts";
import { compileCorrelation } from "./compiled-correlation.ts";
import { scheduleOf } from "./schedule.ts";

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

function scheduled(xql: string) {
  const definition = {
    xql_query: xql,
    execution_mode: "SCHEDULED",
    search_window: "10 minutes",
    simple_schedule: "10 minutes",
    crontab: null,
    timezone: null,
    suppression_enabled: false,
  } as CorrelationDefinition;
  const compiled = compileCorrelation({ ruleId: 1, definition, createdBy: "", insertTime: 0, modifyTime: 0, hits: 0 });
  assert.ok(compiled, xql);
  return compiled;
}

/** Rows of `xql` over `events`, folded in two batches and merged through their stored (JSON) form. */
function rows(xql: string, events: Record<string, unknown>[]) {
  const compiled = scheduled(xql);
  const half = Math.ceil(events.length / 2);
  const partials = [events.slice(0, half), events.slice(half)].flatMap((batch) =>
    toPartials(1, accumulate(compiled, batch, T0).values()),
  );
  const merged = mergeByGroup(
    compiled,
    partials.map((p) => ({ groupKey: p.groupKey, states: JSON.parse(p.state) })),
  );
  return resultRows(compiled, merged);
}

const events = [
  { user: "a", ip: "1.1.1.1", bytes: 10, _time: T0 + 1000 },
  { user: "a", ip: "1.1.1.2", bytes: 30, _time: T0 + 3000 },
  { user: "a", ip: "1.1.1.1", bytes: 20, _time: T0 + 2000 },
  { user: "b", ip: "2.2.2.2", bytes: 5, _time: T0 + 4000 },
  { user: "c", bytes: "n/a", _time: T0 + 5000 },
];

describe("correlation aggregates, merged across batches", () => {
  it("computes every aggregate per group key", () => {
    const got = rows(
      "dataset = xdr_data | comp count() as n, count(ip) as with_ip, count_distinct(ip) as ips, sum(bytes) as total, avg(bytes) as mean, min(bytes) as low, max(bytes) as high, values(ip) as seen, earliest(bytes) as first_bytes, latest(bytes) as last_bytes by user | sort asc user",
      events,
    );
    assert.deepEqual(got[0], {
      user: "a",
      n: 3,
      with_ip: 3,
      ips: 2,
      total: 60,
      mean: 20,
      low: 10,
      high: 30,
      seen: ["1.1.1.1", "1.1.1.2"],
      first_bytes: 10,
      last_bytes: 30,
    });
    assert.deepEqual(got[2], {
      user: "c",
      n: 1,
      with_ip: 0,
      ips: 0,
      total: 0,
      mean: null,
      low: "n/a",
      high: "n/a",
      seen: [],
      first_bytes: "n/a",
      last_bytes: "n/a",
    });
  });

  it("runs filter, alter, sort, limit and dedup after comp, and bin before it", () => {
    const top = rows(
      "dataset = xdr_data | comp sum(bytes) as total by user | filter total > 1 | sort desc total | limit 1",
      events,
    );
    assert.deepEqual(top, [{ user: "a", total: 60 }]);
    const altered = rows(
      "dataset = xdr_data | comp count() as n by user | alter big = n > 2 | filter big = true",
      events,
    );
    assert.deepEqual(altered, [{ user: "a", n: 3, big: true }]);
    const dedup = rows("dataset = xdr_data | comp count() as n by user, ip | dedup user | sort asc user", events);
    assert.deepEqual(
      dedup.map((r) => r.user),
      ["a", "b", "c"],
    );
    const binned = rows(
      "dataset = xdr_data | bin _time span = 2s | comp count() as n by _time | sort asc _time",
      events,
    );
    assert.deepEqual(
      binned.map((r) => [r._time, r.n]),
      [
        [T0, 1],
        [T0 + 2000, 2],
        [T0 + 4000, 2],
      ],
    );
  });

  it("refuses, with a position, what it cannot run", () => {
    const refused = (xql: string, mode: "REAL_TIME" | "SCHEDULED") => {
      const plan = planCorrelation(xql, mode);
      assert.ok(!plan.ok, xql);
      return plan.error;
    };
    assert.match(refused("dataset = xdr_data | filter x = 1", "SCHEDULED").message, /must aggregate with comp/);
    assert.match(
      refused("dataset = xdr_data | comp median(x) as m by y", "SCHEDULED").message,
      /'median' is not supported/,
    );
    assert.deepEqual(
      {
        ...refused("dataset = xdr_data\n| join (dataset = b) as b b.x = x | comp count() by x", "SCHEDULED"),
        message: "",
      },
      { line: 2, column: 2, message: "" },
    );
    assert.match(refused("dataset = xdr_data | dedup x", "REAL_TIME").message, /'dedup' works over many events/);
  });
});

describe("schedules", () => {
  it("ticks a simple schedule on its multiples, and a day-long one at the zone's midnight", () => {
    assert.equal(scheduleOf("10 minutes", null, null)(T0 + 9 * 60_000 + 59_000), T0);
    const daily = scheduleOf("1 days", null, "America/New_York");
    assert.equal(new Date(daily(T0) ?? 0).toISOString(), "2026-01-05T05:00:00.000Z");
  });

  it("reads a crontab in the rule's time zone", () => {
    const cron = parseCrontab("*/15 9-17 * * 1-5");
    assert.ok(typeof cron !== "string");
    assert.equal(cronMatches(cron, T0, "UTC"), true, "Monday 09:00 UTC");
    assert.equal(cronMatches(cron, T0, "Asia/Tokyo"), false, "18:00 in Tokyo");
    assert.equal(cronMatches(cron, T0 + 5 * 60_000, "UTC"), false);
    assert.equal(scheduleOf(null, "0 * * * *", "UTC")(T0 + 59 * 60_000), T0);
    assert.match(String(parseCrontab("* * *")), /5 fields/);
    assert.match(String(parseCrontab("61 * * * *")), /outside 0-59/);
  });
});
