/**
 * The correlation part of the store contract (run from store-contract.ts on every backend):
 * rules upserted by id with unique names, the execution state shared by nodes, tenants apart.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { CorrelationDefinition, CorrelationDraft } from "../src/domain/correlations/correlation-model.ts";
import type { Store } from "../src/storage/ports.ts";

const NOW = 1_767_000_000_000;
const actor = { name: "contract", address: "127.0.0.1" };
const ctx = { now: NOW, source: "contract", actor };
const everything = { from: 0, to: 1000 };

function definition(name: string, extra: Partial<CorrelationDefinition> = {}): CorrelationDefinition {
  return {
    name,
    severity: "SEV_020_LOW",
    user_defined_severity: null,
    xql_query: "dataset = xdr_data | filter x = 1",
    is_enabled: true,
    description: null,
    alert_name: name,
    alert_category: "OTHER",
    alert_type: null,
    alert_description: null,
    alert_domain: null,
    alert_fields: {},
    execution_mode: "REAL_TIME",
    search_window: null,
    simple_schedule: null,
    timezone: null,
    crontab: null,
    suppression_enabled: false,
    suppression_duration: null,
    suppression_fields: ["host"],
    dataset: "alerts",
    user_defined_category: null,
    mitre_defs: { TA0001: ["T1078"] },
    investigation_query_link: null,
    drilldown_query_timeframe: null,
    mapping_strategy: null,
    action: null,
    lookup_mapping: [],
    ...extra,
  };
}

const draft = (name: string, ruleId?: number, extra: Partial<CorrelationDefinition> = {}): CorrelationDraft => ({
  ruleId,
  definition: definition(name, extra),
});

export function correlationStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`correlation store contract: ${name}`, () => {
    let store: Store;
    let a: number;
    let b: number;

    before(async () => {
      store = await open();
      const stamp = Math.random().toString(36).slice(2, 8);
      a = (await store.createTenant(`corr-a-${stamp}`, "xsiam", { now: NOW, actor }))?.id ?? 0;
      b = (await store.createTenant(`corr-b-${stamp}`, "xsiam", { now: NOW, actor }))?.id ?? 0;
    });
    after(async () => store.close());

    it("creates, overwrites by id, creates under a named id, and keeps names unique", async () => {
      const outcomes = await store.upsertCorrelations(a, [draft("one"), draft("two"), draft("one")], ctx);
      assert.deepEqual(outcomes, [
        { kind: "created", ruleId: 1 },
        { kind: "created", ruleId: 2 },
        { kind: "failed", reason: "name_exists" },
      ]);
      const later = { ...ctx, now: NOW + 10 };
      assert.deepEqual(await store.upsertCorrelations(a, [draft("uno", 1), draft("two", 1), draft("ten", 10)], later), [
        { kind: "updated", ruleId: 1 },
        { kind: "failed", reason: "name_exists" },
        { kind: "created", ruleId: 10 },
      ]);
      assert.deepEqual(await store.upsertCorrelations(a, [draft("eleven")], later), [{ kind: "created", ruleId: 11 }]);
      const { total, rules } = await store.findCorrelations(a, [], everything);
      assert.equal(total, 4);
      const first = rules[0];
      assert.equal(first?.definition.name, "uno");
      assert.deepEqual(first?.definition.mitre_defs, { TA0001: ["T1078"] });
      assert.equal(first?.insertTime, NOW);
      assert.equal(first?.modifyTime, NOW + 10);
      assert.equal(first?.createdBy, "contract");
      assert.equal(first?.hits, 0);
    });

    it("filters on columns and on definition fields, and keeps tenants apart", async () => {
      await store.upsertCorrelations(a, [draft("off", undefined, { is_enabled: false, alert_domain: "D" })], ctx);
      const off = await store.findCorrelations(
        a,
        [{ field: "is_enabled", operator: "IN", values: [false] }],
        everything,
      );
      assert.deepEqual(
        off.rules.map((r) => r.definition.name),
        ["off"],
      );
      const domain = await store.findCorrelations(
        a,
        [{ field: "alert_domain", operator: "IN", values: ["D"] }],
        everything,
      );
      assert.equal(domain.total, 1);
      const nulls = await store.findCorrelations(
        a,
        [{ field: "alert_domain", operator: "IN", values: [null] }],
        everything,
      );
      assert.equal(nulls.total, 4);
      const host = await store.findCorrelations(
        a,
        [{ field: "suppression_fields", operator: "IN", values: ["host"] }],
        everything,
      );
      assert.equal(host.total, 5);
      assert.deepEqual(
        (await store.listEnabledCorrelations(a)).map((r) => r.ruleId),
        [1, 2, 10, 11],
      );
      assert.equal((await store.findCorrelations(b, [], everything)).total, 0);
      assert.deepEqual(await store.deleteCorrelations(b, [{ field: "rule_id", operator: "IN", values: [1] }], ctx), []);
    });

    it("keeps partial aggregates per rule and bucket, and forgets them by age and by rule", async () => {
      const partial = (bucket: number, key: string) => ({ ruleId: 2, bucket, groupKey: key, state: `[${bucket}]` });
      await store.addCorrelationPartials(a, [
        partial(1000, '["u1"]'),
        partial(2000, '["u1"]'),
        partial(2000, '["u2"]'),
      ]);
      await store.addCorrelationPartials(a, [partial(2000, '["u1"]')]);
      await store.addCorrelationPartials(b, [partial(2000, '["theirs"]')]);
      assert.equal((await store.readCorrelationPartials(a, 2, 0, 3000)).length, 4, "appended, never merged");
      assert.equal((await store.readCorrelationPartials(a, 2, 2000, 3000)).length, 3);
      await store.forgetCorrelationPartials(a, 2, 2000);
      assert.equal((await store.readCorrelationPartials(a, 2, 0, 3000)).length, 3);
      assert.equal((await store.readCorrelationPartials(b, 2, 0, 3000)).length, 1, "another tenant's stay");
      await store.upsertCorrelations(a, [draft("two", 2, { xql_query: "dataset = xdr_data | filter y = 2" })], ctx);
      assert.equal((await store.readCorrelationPartials(a, 2, 0, 3000)).length, 0, "a new query starts afresh");
    });

    it("lets exactly one caller run a tick, and one claim a suppression until it ends", async () => {
      const claims = await Promise.all([1, 2, 3, 4].map(() => store.claimCorrelationTick(a, 1, 60_000, NOW)));
      assert.equal(claims.filter(Boolean).length, 1);
      assert.equal(await store.claimCorrelationTick(a, 1, 120_000, NOW), true, "the next tick is free");
      assert.equal(await store.claimCorrelationTick(b, 1, 60_000, NOW), true, "another tenant's rule 1 is its own");
      const suppress = (now: number) => store.claimSuppression(a, 1, '["u1"]', now, now + 100);
      assert.deepEqual(await Promise.all([suppress(0), suppress(0)]).then((r) => r.filter(Boolean).length), 1);
      assert.equal(await suppress(50), false, "still suppressed");
      assert.equal(await store.claimSuppression(a, 1, '["u2"]', 50, 150), true, "another key is not");
      assert.equal(await suppress(100), true, "over at its end");
    });

    it("deletes rules with their state", async () => {
      await store.addCorrelationPartials(a, [{ ruleId: 1, bucket: 5000, groupKey: "[]", state: "[]" }]);
      assert.deepEqual(
        await store.deleteCorrelations(a, [{ field: "name", operator: "IN", values: ["uno"] }], ctx),
        [1],
      );
      assert.equal((await store.readCorrelationPartials(a, 1, 0, 10_000)).length, 0);
      assert.equal(await store.claimCorrelationTick(a, 1, 60_000, NOW), true, "its runs are gone too");
    });
  });
}
