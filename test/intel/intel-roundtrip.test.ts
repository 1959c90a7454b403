/** Export: 10,000 indicators in, out as STIX 2.1 (checked against the standard), and into another tenant unchanged. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApp, type TestApp, type TestKey } from "../harness.ts";
import { bundle, indicator, manyIndicators } from "./stix-fixtures.ts";
import { indicatorProblems, patternError } from "./stix-validator.ts";

const COUNT = 10_000;
type Rule = Record<string, unknown> & { rule_id: number; indicator: string };

describe("intel/export", () => {
  let t: TestApp;
  let first: TestKey;
  let second: TestKey;

  const post = async (path: string, body: unknown, key: TestKey) => {
    const res = await t.post(path, { request_data: body }, key);
    assert.equal(res.statusCode, 200, res.body.slice(0, 500));
    return res;
  };
  /** What makes a rule the same rule in another tenant: all but ids, times, source and counters. */
  const comparable = async (key: TestKey) => {
    const all: Rule[] = [];
    for (let from = 0; ; from += 5000) {
      const res = await post("/public_api/v1/indicators/get", { search_from: from, search_to: from + 5000 }, key);
      const page = res.json().objects as Rule[];
      all.push(...page);
      if (page.length < 5000) break;
    }
    return all
      .map(({ rule_id, creation_time, modification_time, source, number_of_issues, ...rest }) => JSON.stringify(rest))
      .sort();
  };

  before(async () => {
    t = await startTestApp();
    first = await t.key("exporter");
    second = await t.key("importer");
  });
  after(async () => t.close());

  it("round trip: 10,000 indicators imported, exported and imported into another tenant give the same rules", async () => {
    const objects = [
      ...manyIndicators(COUNT - 2),
      indicator("path", "[file:parent_directory_ref.path = '/usr/bin' AND file:name = 'evil']", {
        x_warden_severity: "SEV_050_CRITICAL",
      }),
      indicator("ip6", "[ipv6-addr:value = '2001:db8::5']", { valid_until: "2020-01-01T00:00:00Z" }),
    ];
    const imported = (await post("/public_api/v1/intel/import", { content: bundle(objects) }, first)).json().reply;
    assert.equal(imported.created, COUNT, JSON.stringify(imported.rejected.slice(0, 3)));

    const exported = await post("/public_api/v1/intel/export", { format: "stix" }, first);
    assert.match(String(exported.headers["content-type"]), /^application\/stix\+json;version=2.1/);
    const doc = exported.json();
    assert.equal(doc.type, "bundle");
    assert.match(doc.id, /^bundle--[0-9a-f-]{36}$/);
    assert.equal(doc.objects.length, COUNT);
    const problems = doc.objects.flatMap((o: Record<string, unknown>) =>
      indicatorProblems(o).map((p) => `${o.id}: ${p}`),
    );
    assert.deepEqual(problems.slice(0, 5), []);
    const originalIds = new Set(objects.map((o) => o.id));
    assert.ok(
      doc.objects.every((o: { id: string }) => originalIds.has(o.id)),
      "imported rules keep their STIX ids",
    );

    const again = (await post("/public_api/v1/intel/import", { content: doc }, second)).json().reply;
    assert.equal(again.created, COUNT, JSON.stringify(again.rejected.slice(0, 3)));
    assert.deepEqual(await comparable(second), await comparable(first));
  });

  it("exports rules written through the API too, and the console's selection only", async () => {
    const key = await t.key("mixed");
    const items = [
      {
        indicator: "C:\\Temp\\x.exe",
        type: "PATH",
        severity: "SEV_020_LOW",
        reliability: "A",
        comment: 'say "hi", ok',
      },
      { indicator: "mixed value", type: "MIXED", severity: "SEV_020_LOW" },
      { indicator: "evil.example", type: "DOMAIN_NAME", severity: "SEV_040_HIGH", expiration_date: 1_000 },
    ];
    await post("/public_api/v1/indicators/insert", items, key);
    await post("/public_api/v1/indicators/disable_iocs", ["evil.example"], key).catch(() => undefined);
    const stix = (await post("/public_api/v1/intel/export", { format: "stix" }, key)).json();
    assert.equal(stix.objects.length, 2, "a MIXED rule has no STIX form");
    for (const o of stix.objects) assert.deepEqual(indicatorProblems(o), []);
    const path = stix.objects.find((o: { pattern: string }) => o.pattern.includes("parent_directory_ref"));
    assert.equal(path.pattern, "[file:parent_directory_ref.path = 'C:\\\\Temp' AND file:name = 'x.exe']");
    assert.equal(path.confidence, 95);

    const selection = { format: "csv", filters: [{ field: "type", operator: "in", value: ["PATH"] }] };
    const csv = await post("/public_api/v1/intel/export", selection, key);
    assert.match(String(csv.headers["content-type"]), /^text\/csv/);
    assert.equal(
      csv.body,
      'id,indicator,type,severity,expiration_date,comment,reputation,reliability\nPATH:c:\\temp\\x.exe,C:\\Temp\\x.exe,PATH,SEV_020_LOW,Never,"say ""hi"", ok",UNKNOWN,A\n',
    );
    const misp = (await post("/public_api/v1/intel/export", { format: "misp" }, key)).json();
    assert.deepEqual(misp.Event.Attribute.map((a: Record<string, unknown>) => [a.type, a.value, a.to_ids]).sort(), [
      ["domain", "evil.example", false],
      ["filename", "C:\\Temp\\x.exe", true],
    ]);
    const other = await t.key("mixed-copy");
    const back = (await post("/public_api/v1/intel/import", { content: misp }, other)).json().reply;
    // to_ids is off for the expired rule, but Warden's own tags carry its expiry and state
    assert.equal(back.created, 2, JSON.stringify(back.rejected));
    const state = async (k: TestKey) => {
      const res = await post("/public_api/v1/indicators/get", {}, k);
      return res
        .json()
        .objects.filter((r: Rule) => r.type !== "MIXED")
        .map((r: Rule) => [r.indicator, r.expiration_date, r.status, r.severity, r.reliability])
        .sort();
    };
    assert.deepEqual(await state(other), await state(key));

    const bad = await t.post("/public_api/v1/intel/export", { request_data: { format: "yaml" } }, key);
    assert.equal(bad.statusCode, 400);
    const badFilter = await t.post(
      "/public_api/v1/intel/export",
      { request_data: { format: "csv", filters: [{ field: "colour", operator: "in", value: ["x"] }] } },
      key,
    );
    assert.equal(badFilter.statusCode, 400);
  });

  it("keeps a disabled rule disabled through its own STIX and MISP exports, into the same tenant or another", async () => {
    const key = await t.key("disabled-trip", "instance_admin", "advanced"); // the legacy disable needs one
    await post(
      "/public_api/v1/indicators/insert",
      [
        { indicator: "off.example", type: "DOMAIN_NAME", severity: "SEV_040_HIGH" },
        { indicator: "on.example", type: "DOMAIN_NAME", severity: "SEV_040_HIGH" },
      ],
      key,
    );
    const off = await t.post("/public_api/v1/indicators/disable_iocs", { request_data: ["off.example"] }, key);
    assert.equal(off.statusCode, 200, off.body);
    const statuses = async (k: TestKey) =>
      (await post("/public_api/v1/indicators/get", {}, k))
        .json()
        .objects.map((r: Rule) => `${r.indicator} ${r.status}`)
        .sort();
    const expected = ["off.example DISABLED", "on.example ENABLED"];
    assert.deepEqual(await statuses(key), expected);
    for (const format of ["stix", "misp"]) {
      const doc = (await post("/public_api/v1/intel/export", { format }, key)).json();
      const same = (await post("/public_api/v1/intel/import", { content: doc }, key)).json().reply;
      assert.equal(same.deleted, 0, `${format}: nothing of the tenant's own is deleted`);
      assert.deepEqual(await statuses(key), expected, format);
      const copy = await t.key(`disabled-copy-${format}`);
      await post("/public_api/v1/intel/import", { content: doc }, copy);
      assert.deepEqual(await statuses(copy), expected, `${format}: into another tenant`);
    }
  });

  it("the validator itself refuses what the standard refuses", () => {
    assert.equal(patternError("[file:hashes.'SHA-256' = 'ab']"), undefined);
    assert.ok(patternError("[file:name = 'a'"));
    assert.ok(patternError("file:name = 'a'"));
    assert.ok(patternError("[file:name = a]"));
    assert.ok(indicatorProblems({ type: "indicator", id: "indicator--x" }).length > 3);
  });
});
