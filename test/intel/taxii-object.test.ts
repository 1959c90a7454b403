/**
 * TAXII `objects/<id>/` finds a live rule's object without reading the change feed, and serves
 * exactly what the collection's pages serve (taxiiPage, read here as the oracle). Runs on both
 * stores (WARDEN_TEST_STORE).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DerivedRuleIds } from "../../src/intel/derived-rule-ids.ts";
import { intelDraft } from "../../src/intel/intel-draft.ts";
import { type TaxiiEntry, type TaxiiStore, taxiiPage } from "../../src/intel/taxii-collection.ts";
import { taxiiObject } from "../../src/intel/taxii-object.ts";
import { startTestApp, type TestApp, type TestKey } from "../harness.ts";

const INSERT = "/public_api/v1/indicators/insert";

describe("TAXII objects/<id>/ without reading the collection", () => {
  let t: TestApp;
  let admin: TestKey;
  let tenantId: number;
  /** The store, counting how often the change feed is read. */
  let counted: TaxiiStore;
  let feedReads = 0;

  const insert = async (prefix: string, count: number) => {
    const items = Array.from({ length: count }, (_, i) => ({
      indicator: `${prefix}${i}.example`,
      type: "DOMAIN_NAME",
      severity: "SEV_020_LOW",
    }));
    assert.equal((await t.post(INSERT, { request_data: items }, admin)).statusCode, 200);
    t.clock.advance(10);
  };
  /** Every object of the collection, as its pages serve them. */
  const oracle = async (): Promise<TaxiiEntry[]> => {
    const query = { addedAfter: undefined, limit: 100_000, next: undefined, ids: undefined, types: undefined };
    return (await taxiiPage(counted, tenantId, query, t.clock.now())).entries;
  };

  before(async () => {
    t = await startTestApp();
    admin = await t.key("taxii-object");
    const found = await t.services.tenants.find("taxii-object");
    assert.ok(found.ok);
    tenantId = found.value.id;
    const store = t.services.store;
    counted = {
      findIocs: (...args) => store.findIocs(...args),
      findIntelLinks: (...args) => store.findIntelLinks(...args),
      intelLinksOfRules: (...args) => store.intelLinksOfRules(...args),
      iocChangePage: (...args) => {
        feedReads += 1;
        return store.iocChangePage(...args);
      },
    };
  });
  after(async () => t.close());

  it("answers every live rule's object from its own rows, as the pages serve it, as the rules grow", async () => {
    const derived = new DerivedRuleIds();
    const lookUp = (id: string) => taxiiObject(counted, derived, tenantId, id, t.clock.now());
    await insert("a", 300);
    const imported = (externalId: string, value: string) => {
      const draft = intelDraft("DOMAIN_NAME", value, {});
      assert.ok(draft.ok);
      return { kind: "rule" as const, externalId, part: "", draft: draft.value };
    };
    await t.services.intel.import({
      tenantId,
      batch: {
        records: [
          imported("indicator--2b9e7c1a-0d4f-4a8e-9b3c-5e6f7a8b9c0d", "stix.example"),
          imported("7D8E9F00-1A2B-4C3D-8E4F-5A6B7C8D9E0F", "misp.example"),
        ],
        rejected: [],
      },
      source: "test",
      actor: { name: "test", address: null },
    });
    // an expired rule is served with its expiry as its version
    const soon = {
      indicator: "soon.example",
      type: "DOMAIN_NAME",
      severity: "SEV_020_LOW",
      expiration_date: t.clock.now() + 5,
    };
    assert.equal((await t.post(INSERT, { request_data: [soon] }, admin)).statusCode, 200);
    t.clock.advance(100);

    const first = await oracle();
    const early = first[5] as TaxiiEntry;
    assert.deepEqual(await lookUp(String(early.object.id)), early);
    // rules written after the first lookup: the index takes them in on the next
    await insert("b", 700);
    feedReads = 0;
    const all = await oracle();
    assert.ok(feedReads > 0, "the pages read the feed, and the count sees it");
    feedReads = 0;
    for (const entry of all) assert.deepEqual(await lookUp(String(entry.object.id)), entry, String(entry.object.id));
    assert.equal(feedReads, 0, "no lookup of a live rule read the change feed");
    assert.equal(all.length, 1003, "past the first table size (1,024 slots at most 60% full)");
    assert.ok(all.some((e) => e.object.id === "indicator--7d8e9f00-1a2b-4c3d-8e4f-5a6b7c8d9e0f"));
    assert.ok(
      all.some((e) => e.object.revoked === true),
      "the expired rule, revoked",
    );
  });

  it("reads the feed only for what no live rule bears: a deleted rule (served revoked) and an unknown id", async () => {
    const derived = new DerivedRuleIds();
    const lookUp = (id: string) => taxiiObject(counted, derived, tenantId, id, t.clock.now());
    const filters = [{ field: "indicator", operator: "in", value: ["a7.example"] }];
    assert.equal(
      (await t.post("/public_api/v1/indicators/delete", { request_data: { filters } }, admin)).statusCode,
      200,
    );
    t.clock.advance(10);
    const gone = (await oracle()).find((e) => String(e.object.pattern).includes("'a7.example'")) as TaxiiEntry;
    assert.equal(gone.object.revoked, true);
    feedReads = 0;
    assert.deepEqual(await lookUp(String(gone.object.id)), gone);
    assert.ok(feedReads > 0);
    assert.equal(await lookUp("indicator--00000000-0000-5000-8000-000000000000"), undefined);
    feedReads = 0;
    assert.equal(await lookUp("INDICATOR--00000000-0000-5000-8000-000000000000"), undefined);
    assert.equal(await lookUp("indicator--nope"), undefined);
    assert.equal(feedReads, 0, "an id of a form no object has is answered at once");
  });
});
