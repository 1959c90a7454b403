import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { BIOC_TYPES } from "../src/domain/bioc/bioc-model.ts";
import { SEVERITIES } from "../src/domain/ioc/ioc-model.ts";
import { startTestApp, type TestApp, type TestKey } from "./harness.ts";

const INSERT = "/public_api/v1/bioc/insert";
const GET = "/public_api/v1/bioc/get";
const DELETE = "/public_api/v1/bioc/delete";

/** The seed's own example item (spec 001_...txt). */
const SEED_ITEM = {
  name: "TestBIOC",
  type: "EXECUTION",
  severity: "SEV_020_LOW",
  comment: "",
  status: "ENABLED",
  is_xql: false,
  indicator: {
    runOnCGO: true,
    investigationType: "FILE_EVENT",
    investigation: {
      FILE_EVENT: {
        filter: {
          AND: [
            {
              OR: ["1", "2", "3", "5", "6"].map((v) => ({
                SEARCH_FIELD: "event_sub_type",
                SEARCH_TYPE: "EQ",
                SEARCH_VALUE: v,
                isExtended: false,
              })),
            },
            {
              SEARCH_FIELD: "action_file_name",
              SEARCH_TYPE: "EQ",
              SEARCH_VALUE: "aaaaaa",
              EXTRA_FIELDS: [],
              isExtended: false,
            },
          ],
        },
      },
    },
  },
  mitre_tactic_id_and_name: [""],
  mitre_technique_id_and_name: [""],
};

const leafTree = (leaf: Record<string, unknown>) => ({
  investigationType: "PROCESS_EXECUTION_EVENT",
  investigation: { PROCESS_EXECUTION_EVENT: { filter: leaf } },
});

function nested(depth: number): unknown {
  let node: unknown = { SEARCH_FIELD: "action_file_name", SEARCH_TYPE: "EQ", SEARCH_VALUE: "x" };
  for (let i = 1; i < depth; i++) node = { AND: [node] };
  return node;
}

describe("bioc/insert, get and delete", () => {
  let t: TestApp;
  let n = 0;
  const fresh = async () => t.key(`bioc-${++n}`);
  const insert = async (key: TestKey, items: unknown[]) => {
    const res = await t.post(INSERT, { request_data: items }, key);
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };
  const getAll = async (key: TestKey, filters: unknown[] = []) =>
    (await t.post(GET, { request_data: { filters } }, key)).json();

  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

  it("stores the seed's example and returns the tree unchanged", async () => {
    const key = await fresh();
    const body = await insert(key, [SEED_ITEM]);
    assert.deepEqual(body, {
      added_objects: [{ id: 1, status: "Created a new BIOC rule with the ID: 1 successfully" }],
      updated_objects: [],
      errors: [],
    });
    const got = await getAll(key);
    assert.equal(got.objects_type, "bioc");
    assert.equal(got.objects_count, 1);
    const { rule_id, creation_time, modification_time, source, number_of_issues, ...fields } = got.objects[0];
    assert.deepEqual(fields, SEED_ITEM);
    assert.equal(rule_id, 1);
    assert.equal(source, `Public API user (key #${key.id})`);
    assert.equal(number_of_issues, 0);
    assert.equal(creation_time, modification_time);
  });

  it("accepts every type and severity, and both status spellings as written", async () => {
    const key = await fresh();
    const items = BIOC_TYPES.map((type, i) => ({
      ...SEED_ITEM,
      name: `rule ${type}`,
      type,
      severity: SEVERITIES[i % SEVERITIES.length],
      status: i % 2 === 0 ? "enabled" : "Disabled",
    }));
    const body = await insert(key, items);
    assert.equal(body.added_objects.length, BIOC_TYPES.length, JSON.stringify(body.errors));
    const disabled = await getAll(key, [{ field: "status", operator: "EQ", value: "DISABLED" }]);
    assert.equal(disabled.objects_count, Math.floor(BIOC_TYPES.length / 2));
    assert.equal(disabled.objects[0].status, "Disabled");
  });

  it("upserts by rule id only: names are not unique", async () => {
    const key = await fresh();
    await insert(key, [SEED_ITEM, SEED_ITEM]);
    const updated = await insert(key, [{ ...SEED_ITEM, rule_id: 2, comment: "changed" }]);
    assert.deepEqual(updated.updated_objects, [{ id: 2, status: "Updated the BIOC rule with the ID: 2 successfully" }]);
    const missing = await insert(key, [{ ...SEED_ITEM, rule_id: 40 }]);
    assert.deepEqual(missing.errors, [
      { index: 0, status: "Failed to create bioc due to: BIOC rule with the ID: 40 does not exist" },
    ]);
    const rules = (await getAll(key)).objects;
    assert.deepEqual(
      rules.map((r: { comment: string }) => r.comment),
      ["", "changed"],
    );
    const other = await fresh();
    const foreign = await insert(other, [{ ...SEED_ITEM, rule_id: 1 }]);
    assert.equal(foreign.errors.length, 1, "another tenant's rule id is unknown here");
  });

  it("accepts XQL rules as a query string or {query}", async () => {
    const key = await fresh();
    const query = 'dataset = xdr_data | filter event_type = ENUM.PROCESS and action_process_image_name = "evil.exe"';
    const body = await insert(key, [
      { ...SEED_ITEM, is_xql: true, indicator: query },
      { ...SEED_ITEM, is_xql: true, indicator: { query } },
      { ...SEED_ITEM, is_xql: true, indicator: "  " },
      { ...SEED_ITEM, is_xql: true, indicator: 5 },
    ]);
    assert.equal(body.added_objects.length, 2);
    assert.match(body.errors[0].status, /query must not be empty/);
    assert.match(body.errors[1].status, /XQL indicator must be the query string/);
    const xql = await getAll(key, [{ field: "indicator", operator: "EQ", value: query }]);
    assert.equal(xql.objects_count, 1);
    assert.equal(xql.objects[0].indicator, query);
  });

  it("rejects malformed trees, each with a reason", async () => {
    const key = await fresh();
    const leaf = { SEARCH_FIELD: "action_file_name", SEARCH_TYPE: "EQ", SEARCH_VALUE: "x" };
    const bad: unknown[] = [
      null,
      "not a tree",
      { investigationType: "FILE_EVENT", investigation: { PROCESS_EXECUTION_EVENT: { filter: leaf } } },
      leafTree({ AND: [] }),
      leafTree({ AND: [leaf], OR: [leaf] }),
      leafTree({ ...leaf, SEARCH_TYPE: "SOUNDS_LIKE" }),
      leafTree({ ...leaf, SEARCH_TYPE: "REGEX", SEARCH_VALUE: "(unclosed" }),
      leafTree({ ...leaf, SEARCH_TYPE: "GTE", SEARCH_VALUE: "lots" }),
      leafTree({ ...leaf, colour: "red" }),
      leafTree(nested(33) as Record<string, unknown>),
      leafTree({ OR: Array.from({ length: 10_001 }, () => leaf) }),
    ];
    const body = await insert(
      key,
      bad.map((indicator) => ({ ...SEED_ITEM, indicator })),
    );
    assert.equal(body.added_objects.length, 0);
    assert.equal(body.errors.length, bad.length);
    for (const error of body.errors) assert.match(error.status, /^Failed to create bioc due to: .+/);
    const fine = await insert(key, [
      { ...SEED_ITEM, indicator: leafTree(nested(32) as Record<string, unknown>) },
      { ...SEED_ITEM, indicator: leafTree({ OR: Array.from({ length: 9_999 }, () => leaf) }) },
    ]);
    assert.equal(fine.added_objects.length, 2, JSON.stringify(fine.errors));
    assert.equal((await getAll(key)).objects_count, 2);
  });

  it("checks the item's own fields and refuses unknown ones", async () => {
    const key = await fresh();
    const body = await insert(key, [
      { ...SEED_ITEM, type: "MISCHIEF" },
      { ...SEED_ITEM, status: "paused" },
      { ...SEED_ITEM, name: "" },
      { ...SEED_ITEM, mitre_tactic_id_and_name: "TA0001" },
      { ...SEED_ITEM, extra: true },
      { ...SEED_ITEM, severity: undefined },
    ]);
    assert.deepEqual(
      body.errors.map((e: { index: number }) => e.index),
      [0, 1, 2, 3, 4, 5],
    );
    assert.match(body.errors[0].status, /type must be one of OTHER/);
    assert.match(body.errors[1].status, /status must be enabled or disabled/);
    assert.match(body.errors[2].status, /name must not be empty/);
    assert.match(body.errors[3].status, /must be an array of strings/);
    assert.match(body.errors[4].status, /Got also the fields: \['extra'\]/);
    assert.match(body.errors[5].status, /missing required field 'severity'/);
  });

  it("filters, pages and deletes", async () => {
    const key = await fresh();
    await insert(key, [
      { ...SEED_ITEM, name: "a", severity: "SEV_010_INFO", mitre_tactic_id_and_name: ["TA0002 - Execution"] },
      { ...SEED_ITEM, name: "b", severity: "SEV_040_HIGH" },
      {
        ...SEED_ITEM,
        name: "c",
        severity: "SEV_040_HIGH",
        is_xql: true,
        indicator: "dataset = xdr_data | filter event_type = ENUM.FILE",
      },
    ]);
    const high = await getAll(key, [{ field: "severity", operator: "EQ", value: "SEV_040_HIGH" }]);
    assert.deepEqual(
      high.objects.map((o: { name: string }) => o.name),
      ["b", "c"],
    );
    const xql = await getAll(key, [{ field: "is_xql", operator: "EQ", value: true }]);
    assert.deepEqual(
      xql.objects.map((o: { name: string }) => o.name),
      ["c"],
    );
    const tactic = await getAll(key, [
      { field: "mitre_tactic_id_and_name", operator: "EQ", value: "TA0002 - Execution" },
    ]);
    assert.deepEqual(
      tactic.objects.map((o: { name: string }) => o.name),
      ["a"],
    );
    const page = (await t.post(GET, { request_data: { search_from: 2, search_to: 3 } }, key)).json();
    assert.deepEqual([page.objects_count, page.objects[0].name], [3, "c"]);
    const refused = await t.post(DELETE, { request_data: { filters: [] } }, key);
    assert.equal(refused.statusCode, 400);
    // with `extended_view`, as the vendor's own bioc/delete example sends it
    const deleted = await t.post(
      DELETE,
      { request_data: { extended_view: false, filters: [{ field: "name", operator: "IN", value: ["a", "c"] }] } },
      key,
    );
    assert.deepEqual(deleted.json(), { objects_count: 2, objects: [1, 3] });
    assert.deepEqual(
      (await getAll(key)).objects.map((o: { name: string }) => o.name),
      ["b"],
    );
  });
});
