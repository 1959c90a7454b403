import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { IOC_TYPES, RELIABILITIES, REPUTATIONS, SEVERITIES } from "../src/domain/ioc/ioc-model.ts";
import { START_TIME, startTestApp, type TestApp, type TestKey } from "./harness.ts";

const INSERT = "/public_api/v1/indicators/insert";
const GET = "/public_api/v1/indicators/get";

const SAMPLE: Record<string, string> = {
  HASH: "d41d8cd98f00b204e9800998ecf8427e",
  IP: "10.1.2.3",
  PATH: "C:\\Windows\\evil.exe",
  DOMAIN_NAME: "evil.example.com",
  FILENAME: "evil.exe",
  MIXED: "anything at all",
  URL: "https://evil.example.com/payload?x=1",
};

describe("indicators/insert", () => {
  let t: TestApp;
  let admin: TestKey;
  let tenantCounter = 0;
  // Each test gets its own tenant so rule ids and values never collide.
  const freshAdmin = async () => t.key(`ioc-${++tenantCounter}`);
  const insert = async (key: TestKey, items: unknown[]) => {
    const res = await t.post(INSERT, { request_data: items }, key);
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };
  const getAll = async (key: TestKey) => (await t.post(GET, { request_data: {} }, key)).json();

  before(async () => {
    t = await startTestApp();
    admin = await t.key("ioc-main");
  });
  after(async () => t.close());

  it("stores the seed's example and answers in its form", async () => {
    const key = await freshAdmin();
    const body = await insert(key, [
      {
        indicator: "virus1.exe",
        type: "FILENAME",
        severity: "SEV_040_HIGH",
        expiration_date: 1234567891234,
        default_expiration_enabled: false,
        comment: "test",
        reputation: "GOOD",
        reliability: "A",
      },
      {
        indicator: "test.exe",
        type: "FILENAME",
        severity: "SEV_030_MEDIUM",
        expiration_date: 1234567891234,
        default_expiration_enabled: true,
        reputation: "GOOD",
        reliability: "B",
      },
    ]);
    assert.deepEqual(body, {
      added_objects: [
        { id: 1, status: "Created a new IOC rule with the ID: 1 successfully" },
        { id: 2, status: "Created a new IOC rule with the ID: 2 successfully" },
      ],
      updated_objects: [],
      errors: [],
    });
    const again = await insert(key, [{ indicator: "virus1.exe", type: "FILENAME", severity: "SEV_010_INFO" }]);
    assert.deepEqual(again.updated_objects, [
      { id: 1, status: "Updated the IOC rule with the indicator: 'virus1.exe' successfully" },
    ]);
  });

  it("accepts every type, severity, reputation and reliability", async () => {
    const key = await freshAdmin();
    const items = IOC_TYPES.map((type, i) => ({
      indicator: SAMPLE[type],
      type,
      severity: SEVERITIES[i % SEVERITIES.length],
      reputation: REPUTATIONS[i % REPUTATIONS.length],
      reliability: RELIABILITIES[i % RELIABILITIES.length],
    }));
    const body = await insert(key, items);
    assert.equal(body.added_objects.length, IOC_TYPES.length, JSON.stringify(body.errors));
    const all = await getAll(key);
    assert.deepEqual(
      all.objects.map((o: { type: string }) => o.type),
      [...IOC_TYPES],
    );
    for (const severity of SEVERITIES) {
      const res = await insert(key, [{ indicator: SAMPLE.HASH, type: "HASH", severity }]);
      assert.equal(res.updated_objects.length, 1);
    }
  });

  it("fills in the contract's defaults and reports every stored field", async () => {
    const key = await freshAdmin();
    await insert(key, [{ indicator: "1.2.3.4", type: "IP", severity: "SEV_020_LOW" }]);
    const [rule] = (await getAll(key)).objects;
    assert.deepEqual(rule, {
      rule_id: 1,
      indicator: "1.2.3.4",
      type: "IP",
      severity: "SEV_020_LOW",
      expiration_date: -1,
      default_expiration_enabled: false,
      comment: "",
      reputation: "UNKNOWN",
      reliability: null,
      status: "ENABLED",
      creation_time: START_TIME,
      modification_time: START_TIME,
      source: `Public API user (key #${key.id})`,
      number_of_issues: 0,
    });
  });

  it("fails items with unknown enum values, missing fields or wrong types, naming the problem", async () => {
    const key = await freshAdmin();
    const cases: [unknown, RegExp][] = [
      [{ indicator: "a.exe", type: "FILE", severity: "SEV_010_INFO" }, /type must be one of HASH, IP/],
      [{ indicator: "a.exe", type: "FILENAME", severity: "SEV_060_WORSE" }, /severity must be one of/],
      [{ indicator: "a.exe", type: "FILENAME", severity: "SEV_010_INFO", reputation: "EVIL" }, /reputation/],
      [{ indicator: "a.exe", type: "FILENAME", severity: "SEV_010_INFO", reliability: "Z" }, /reliability/],
      [{ type: "FILENAME", severity: "SEV_010_INFO" }, /missing required field 'indicator'/],
      [{ indicator: "a.exe", severity: "SEV_010_INFO" }, /missing required field 'type'/],
      [{ indicator: "a.exe", type: "FILENAME" }, /missing required field 'severity'/],
      [{ indicator: 5, type: "FILENAME", severity: "SEV_010_INFO" }, /indicator must be a string/],
      [{ indicator: "a.exe", type: "FILENAME", severity: "SEV_010_INFO", comment: 3 }, /comment must be a string/],
      [
        { indicator: "a.exe", type: "FILENAME", severity: "SEV_010_INFO", rule_id: "7" },
        /rule_id must be a positive integer/,
      ],
      [
        { indicator: "a.exe", type: "FILENAME", severity: "SEV_010_INFO", rule_id: -2 },
        /rule_id must be a positive integer/,
      ],
      [{ indicator: "a.exe", type: "FILENAME", severity: "SEV_010_INFO", expiration_date: "soon" }, /expiration_date/],
      [
        { indicator: "a.exe", type: "FILENAME", severity: "SEV_010_INFO", default_expiration_enabled: "yes" },
        /true or false/,
      ],
      [{ indicator: "   ", type: "FILENAME", severity: "SEV_010_INFO" }, /must not be empty/],
      [
        { indicator: "testtest.com", type: "HASH", severity: "SEV_010_INFO" },
        /^Failed to create indicator due to: Got type: HASH, Indicator: testtest.com mismatch$/,
      ],
      [null, /each item must be a JSON object, got null/],
      [42, /each item must be a JSON object, got 42/],
      [[], /got an array/],
      ["evil.exe", /got 'evil.exe'/],
    ];
    const body = await insert(
      key,
      cases.map(([item]) => item),
    );
    assert.equal(body.added_objects.length, 0);
    assert.equal(body.errors.length, cases.length);
    for (const [index, [, pattern]] of cases.entries()) {
      const error = body.errors[index];
      assert.equal(error.index, index);
      assert.match(error.status, /^Failed to create indicator due to: /);
      assert.match(error.status, pattern, `item ${index}: ${error.status}`);
    }
    assert.equal((await getAll(key)).objects_count, 0);
  });

  it("names every unknown field in the live service's words", async () => {
    const key = await freshAdmin();
    const body = await insert(key, [
      { indicator: "a.exe", type: "FILENAME", severity: "SEV_010_INFO", foo: 1, bar: 2 },
    ]);
    assert.equal(
      body.errors[0].status,
      "Failed to create indicator due to: The allowed fields are: ['rule_id', 'indicator', 'type', 'severity', " +
        "'expiration_date', 'default_expiration_enabled', 'comment', 'reputation', 'reliability']. " +
        "Got also the fields: ['foo', 'bar']",
    );
  });

  it("stores the good items of a request even when others fail, in request order", async () => {
    const key = await freshAdmin();
    const body = await insert(key, [
      { indicator: "good1.exe", type: "FILENAME", severity: "SEV_010_INFO" },
      { indicator: "bad", type: "IP", severity: "SEV_010_INFO" },
      { indicator: "good2.exe", type: "FILENAME", severity: "SEV_010_INFO" },
    ]);
    assert.deepEqual(
      body.added_objects.map((o: { id: number }) => o.id),
      [1, 2],
    );
    assert.deepEqual(body.errors, [
      { index: 1, status: "Failed to create indicator due to: Got type: IP, Indicator: bad mismatch" },
    ]);
  });

  it("identifies values by canonical form: case, whitespace and IP notation", async () => {
    const key = await freshAdmin();
    await insert(key, [
      { indicator: "D41D8CD98F00B204E9800998ECF8427E", type: "HASH", severity: "SEV_010_INFO" },
      { indicator: "Evil.Example.COM", type: "DOMAIN_NAME", severity: "SEV_010_INFO" },
      { indicator: "2001:DB8:0:0:0:0:0:1", type: "IP", severity: "SEV_010_INFO" },
      { indicator: "C:\\Temp\\X.EXE", type: "PATH", severity: "SEV_010_INFO" },
    ]);
    const again = await insert(key, [
      { indicator: " d41d8cd98f00b204e9800998ecf8427e ", type: "HASH", severity: "SEV_020_LOW" },
      { indicator: "evil.example.com", type: "DOMAIN_NAME", severity: "SEV_020_LOW" },
      { indicator: "2001:db8::1", type: "IP", severity: "SEV_020_LOW" },
      { indicator: "c:\\temp\\x.exe", type: "PATH", severity: "SEV_020_LOW" },
    ]);
    assert.deepEqual(
      again.updated_objects.map((o: { id: number }) => o.id),
      [1, 2, 3, 4],
    );
    assert.equal(again.added_objects.length, 0);
    const rules = (await getAll(key)).objects;
    assert.equal(rules.length, 4);
    assert.equal(rules[2].indicator, "2001:db8::1", "the latest write's spelling is kept");
  });

  it("follows the four upsert paths for rule_id", async () => {
    const key = await freshAdmin();
    await insert(key, [
      { indicator: "one.exe", type: "FILENAME", severity: "SEV_010_INFO" },
      { indicator: "two.exe", type: "FILENAME", severity: "SEV_010_INFO" },
    ]);
    t.clock.advance(1000);
    // rule_id null / 0 with a known value: update that rule
    const byValue = await insert(key, [
      { rule_id: null, indicator: "one.exe", type: "FILENAME", severity: "SEV_020_LOW" },
      { rule_id: 0, indicator: "two.exe", type: "FILENAME", severity: "SEV_020_LOW" },
    ]);
    assert.deepEqual(
      byValue.updated_objects.map((o: { id: number }) => o.id),
      [1, 2],
    );
    // rule_id of an existing rule: overwrite in place even with a new value, keeping creation time
    const overwrite = await insert(key, [
      { rule_id: 1, indicator: "renamed.exe", type: "FILENAME", severity: "SEV_040_HIGH" },
    ]);
    assert.deepEqual(overwrite.updated_objects, [
      { id: 1, status: "Updated the IOC rule with the indicator: 'renamed.exe' successfully" },
    ]);
    // the new value belongs to another rule
    const clash = await insert(key, [{ rule_id: 1, indicator: "two.exe", type: "FILENAME", severity: "SEV_040_HIGH" }]);
    assert.deepEqual(clash.errors, [{ index: 0, status: "Failed to create indicator due to: IOC indicator exists" }]);
    // a rule id the tenant does not have
    const missing = await insert(key, [
      { rule_id: 99, indicator: "new.exe", type: "FILENAME", severity: "SEV_010_INFO" },
    ]);
    assert.deepEqual(missing.errors, [
      { index: 0, status: "Failed to create indicator due to: IOC rule with the ID: 99 does not exist" },
    ]);
    const rules = (await getAll(key)).objects;
    assert.deepEqual(
      rules.map((r: { rule_id: number; indicator: string; severity: string }) => [r.rule_id, r.indicator, r.severity]),
      [
        [1, "renamed.exe", "SEV_040_HIGH"],
        [2, "two.exe", "SEV_020_LOW"],
      ],
    );
    assert.equal(rules[0].creation_time, START_TIME);
    assert.equal(rules[0].modification_time, t.clock.now());
  });

  it("lets a later item of the same request update the rule an earlier one created", async () => {
    const key = await freshAdmin();
    const body = await insert(key, [
      { indicator: "dup.exe", type: "FILENAME", severity: "SEV_010_INFO", comment: "first" },
      { indicator: "DUP.EXE", type: "FILENAME", severity: "SEV_040_HIGH", comment: "second" },
    ]);
    assert.deepEqual(
      body.added_objects.map((o: { id: number }) => o.id),
      [1],
    );
    assert.deepEqual(
      body.updated_objects.map((o: { id: number }) => o.id),
      [1],
    );
    const [rule] = (await getAll(key)).objects;
    assert.equal(rule.comment, "second");
  });

  it("never touches or reveals another tenant's rule named by id", async () => {
    const other = await freshAdmin();
    await insert(other, [{ indicator: "theirs.exe", type: "FILENAME", severity: "SEV_010_INFO" }]);
    const mine = await freshAdmin();
    const body = await insert(mine, [
      { rule_id: 1, indicator: "mine.exe", type: "FILENAME", severity: "SEV_010_INFO" },
    ]);
    assert.deepEqual(body.errors, [
      { index: 0, status: "Failed to create indicator due to: IOC rule with the ID: 1 does not exist" },
    ]);
    const theirs = (await getAll(other)).objects;
    assert.equal(theirs[0].indicator, "theirs.exe");
    // and the same value in two tenants is two rules
    const same = await insert(mine, [{ indicator: "theirs.exe", type: "FILENAME", severity: "SEV_010_INFO" }]);
    assert.deepEqual(
      same.added_objects.map((o: { id: number }) => o.id),
      [1],
    );
  });

  it("converts expiry forms and reports expired rules", async () => {
    const key = await freshAdmin();
    const future = START_TIME + 86_400_000;
    await insert(key, [
      { indicator: "a.exe", type: "FILENAME", severity: "SEV_010_INFO", expiration_date: "Never" },
      {
        indicator: "b.exe",
        type: "FILENAME",
        severity: "SEV_010_INFO",
        expiration_date: new Date(future).toISOString(),
      },
      { indicator: "c.exe", type: "FILENAME", severity: "SEV_010_INFO", expiration_date: 1234567891234 },
      { indicator: "d.exe", type: "FILENAME", severity: "SEV_010_INFO", expiration_date: 0 },
    ]);
    const rules = (await getAll(key)).objects;
    assert.deepEqual(
      rules.map((r: { expiration_date: number; status: string }) => [r.expiration_date, r.status]),
      [
        [-1, "ENABLED"],
        [future, "ENABLED"],
        [1234567891234, "EXPIRED"],
        [-1, "ENABLED"],
      ],
    );
    t.clock.set(future);
    assert.equal((await getAll(key)).objects[1].status, "EXPIRED");
    t.clock.set(START_TIME);
  });

  it("refuses strings over the configured length", async () => {
    const key = await freshAdmin();
    const body = await insert(key, [
      {
        indicator: "a.exe",
        type: "FILENAME",
        severity: "SEV_010_INFO",
        comment: "x".repeat(t.config.limits.stringLength + 1),
      },
    ]);
    assert.match(body.errors[0].status, /comment is \d+ characters long; at most \d+ are allowed/);
  });

  it("answers a request with no items with three empty lists", async () => {
    assert.deepEqual(await insert(admin, []), { added_objects: [], updated_objects: [], errors: [] });
  });
});
