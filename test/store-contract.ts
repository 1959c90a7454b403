/**
 * The store contract: every backend runs these same cases (see sqlite-store.test.ts).
 * They speak only through the Store port, with the tenant id first.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { IocDraft } from "../src/domain/ioc/ioc-model.ts";
import type { Store } from "../src/storage/ports.ts";
import { correlationStoreContract } from "./correlation-store-contract.ts";
import { bioc, ioc } from "./drafts.ts";
import { iocChangePageContract } from "./ioc-change-page-contract.ts";
import { upsertLinksContract } from "./upsert-links-contract.ts";

const NOW = 1_767_000_000_000;
const actor = { name: "contract", address: "127.0.0.1" };
const ctx = { now: NOW, source: "contract", actor };
const at = (now: number) => ({ now, actor });

const everything = { from: 0, to: 1000 };

export function storeContract(name: string, open: () => Promise<Store>): void {
  correlationStoreContract(name, open);
  iocChangePageContract(name, open);
  upsertLinksContract(name, open);
  describe(`store contract: ${name}`, () => {
    let store: Store;
    let tenantA: number;
    let tenantB: number;
    let n = 0;
    const newTenant = async () => {
      const tenant = await store.createTenant(`t${++n}`, "xsiam", at(NOW));
      assert.ok(tenant);
      return tenant.id;
    };

    before(async () => {
      store = await open();
      tenantA = await newTenant();
      tenantB = await newTenant();
    });
    after(async () => store.close());

    it("creates tenants with unique names, without regard to case", async () => {
      assert.equal(await store.createTenant("t1", "xsiam", at(NOW)), undefined);
      assert.equal(await store.createTenant("T1", "xsiam", at(NOW)), undefined, "T1 beside t1");
      const unlike = await Promise.all([
        store.createTenant("Case-X", "xsiam", at(NOW)),
        store.createTenant("case-x", "xsiam", at(NOW)),
      ]);
      assert.equal(unlike.filter(Boolean).length, 1, "two created at once: one wins");
      const found = await store.findTenantByName("t1");
      assert.deepEqual(found, { id: tenantA, name: "t1", license: "xsiam", createdAt: NOW });
      assert.deepEqual(await store.getTenant(tenantA), found);
      assert.equal(await store.getTenant(99_999), undefined);
      assert.ok((await store.listTenants()).length >= 2);
    });

    it("keeps keys, revokes them once, and lists them per tenant", async () => {
      const key = await store.createKey(
        {
          tenantId: tenantA,
          role: "viewer",
          security: "standard",
          secretHash: Buffer.from("hash"),
          sealedSecret: null,
          createdAt: NOW,
          expiresAt: null,
        },
        at(NOW),
      );
      assert.deepEqual(await store.getKey(key.id), key);
      assert.deepEqual(await store.getKeyWithTenant(key.id), { key, tenant: await store.getTenant(tenantA) });
      assert.equal(await store.getKeyWithTenant(key.id + 1000), undefined);
      assert.equal(key.revokedAt, null);
      assert.ok((await store.listKeys(tenantA)).some((k) => k.id === key.id));
      assert.ok(!(await store.listKeys(tenantB)).some((k) => k.id === key.id));
      assert.equal(await store.revokeKey(key.id, at(NOW + 1)), true);
      assert.equal(await store.revokeKey(key.id, at(NOW + 2)), false);
      assert.equal((await store.getKey(key.id))?.revokedAt, NOW + 1);
      assert.equal((await store.getKeyWithTenant(key.id))?.key.revokedAt, NOW + 1, "a revoked key reads as revoked");
    });

    it("remembers a nonce until it expires, per key", async () => {
      assert.equal(await store.rememberNonces(1, ["n1"], NOW + 100, NOW), true);
      assert.equal(await store.rememberNonces(1, ["n1"], NOW + 100, NOW + 50), false);
      assert.equal(await store.rememberNonces(2, ["n1"], NOW + 100, NOW + 50), true);
      assert.equal(await store.rememberNonces(1, ["n1"], NOW + 300, NOW + 100), true, "expired nonces are forgotten");
    });

    it("refuses a set of nonces when any one of them was spent, and spends the rest", async () => {
      assert.equal(await store.rememberNonces(3, ["a", "signature x"], NOW + 100, NOW), true);
      assert.equal(await store.rememberNonces(3, ["b", "signature x"], NOW + 100, NOW), false, "signature replayed");
      assert.equal(await store.rememberNonces(3, ["b"], NOW + 100, NOW), false, "b was spent by the refused call");
      assert.equal(await store.rememberNonces(3, ["c", "signature y"], NOW + 100, NOW), true);
    });

    it("creates, updates by value and by id, and fails as the contract says", async () => {
      const t = await newTenant();
      const created = await store.upsertIocs(t, [ioc("a.exe"), ioc("b.exe"), ioc("A.EXE", { comment: "again" })], ctx);
      assert.deepEqual(created, [
        { kind: "created", ruleId: 1 },
        { kind: "created", ruleId: 2 },
        { kind: "updated", ruleId: 1 },
      ]);
      const later = { now: NOW + 10, source: "later", actor };
      const byId = await store.upsertIocs(
        t,
        [ioc("c.exe", { ruleId: 1 }), ioc("b.exe", { ruleId: 1 }), ioc("d.exe", { ruleId: 7 })],
        later,
      );
      assert.deepEqual(byId, [
        { kind: "updated", ruleId: 1 },
        { kind: "failed", reason: "indicator_exists" },
        { kind: "failed", reason: "rule_not_found" },
      ]);
      const { total, rules } = await store.findIocs(t, [], everything, NOW);
      assert.equal(total, 2);
      assert.deepEqual(
        rules.map((r) => [r.ruleId, r.indicator, r.creationTime, r.modificationTime, r.source]),
        [
          [1, "c.exe", NOW, NOW + 10, "later"],
          [2, "b.exe", NOW, NOW, "contract"],
        ],
      );
      const next = await store.upsertIocs(t, [ioc("e.exe")], ctx);
      assert.deepEqual(next, [{ kind: "created", ruleId: 3 }], "ids are never reused within a tenant");
    });

    it("keeps each tenant's rules and ids to itself", async () => {
      const [one, two] = [await newTenant(), await newTenant()];
      await store.upsertIocs(one, [ioc("x.exe")], ctx);
      assert.deepEqual(await store.upsertIocs(two, [ioc("x.exe")], ctx), [{ kind: "created", ruleId: 1 }]);
      assert.deepEqual(await store.upsertIocs(two, [ioc("y.exe", { ruleId: 2 })], ctx), [
        { kind: "failed", reason: "rule_not_found" },
      ]);
      assert.deepEqual(await store.deleteIocs(two, [{ field: "rule_id", operator: "IN", values: [1] }], at(NOW)), [1]);
      assert.equal((await store.findIocs(one, [], everything, NOW)).total, 1);
    });

    it("writes a whole upsert or nothing", async () => {
      const t = await newTenant();
      const broken = { ...ioc("z.exe"), indicator: null } as unknown as IocDraft;
      await assert.rejects(store.upsertIocs(t, [ioc("y.exe"), broken], ctx));
      assert.equal((await store.findIocs(t, [], everything, NOW)).total, 0);
      assert.deepEqual(await store.upsertIocs(t, [ioc("y.exe")], ctx), [{ kind: "created", ruleId: 1 }]);
    });

    it("filters with IN, NOT_IN, GTE and LTE, nulls included, and pages", async () => {
      const t = await newTenant();
      await store.upsertIocs(
        t,
        [ioc("a.exe", { reliability: "A" }), ioc("b.exe"), ioc("c.exe", { expirationDate: NOW - 1 }), ioc("d.exe")],
        ctx,
      );
      const ids = async (filters: Parameters<Store["findIocs"]>[1]) =>
        (await store.findIocs(t, filters, everything, NOW)).rules.map((r) => r.ruleId);
      assert.deepEqual(await ids([{ field: "reliability", operator: "IN", values: [null] }]), [2, 3, 4]);
      assert.deepEqual(await ids([{ field: "reliability", operator: "NOT_IN", values: ["A"] }]), [2, 3, 4]);
      assert.deepEqual(await ids([{ field: "reliability", operator: "NOT_IN", values: [null] }]), [1]);
      assert.deepEqual(
        await ids([
          { field: "rule_id", operator: "GTE", values: [2] },
          { field: "rule_id", operator: "LTE", values: [3] },
        ]),
        [2, 3],
      );
      assert.deepEqual(await ids([{ field: "status", operator: "IN", values: ["EXPIRED"] }]), [3]);
      assert.deepEqual(
        await ids([{ field: "default_expiration_enabled", operator: "IN", values: [false] }]),
        [1, 2, 3, 4],
      );
      const page = await store.findIocs(t, [], { from: 1, to: 3 }, NOW);
      assert.deepEqual([page.total, page.rules.map((r) => r.ruleId)], [4, [2, 3]]);
    });

    it("stores BIOC rules as sent and upserts them by id", async () => {
      const t = await newTenant();
      const tree = {
        investigationType: "FILE_EVENT",
        investigation: {
          FILE_EVENT: { filter: { AND: [{ SEARCH_FIELD: "f", SEARCH_TYPE: "EQ", SEARCH_VALUE: "1" }] } },
        },
      };
      const out = await store.upsertBiocs(
        t,
        [bioc("a", { isXql: false, indicator: tree, mitreTacticIdAndName: ["TA1"] }), bioc("a")],
        ctx,
      );
      assert.deepEqual(out, [
        { kind: "created", ruleId: 1 },
        { kind: "created", ruleId: 2 },
      ]);
      assert.deepEqual(
        await store.upsertBiocs(t, [bioc("b", { ruleId: 2, status: "DISABLED" }), bioc("c", { ruleId: 9 })], ctx),
        [
          { kind: "updated", ruleId: 2 },
          { kind: "failed", reason: "rule_not_found" },
        ],
      );
      const { total, rules } = await store.findBiocs(t, [], everything);
      assert.equal(total, 2);
      assert.deepEqual(rules[0]?.indicator, tree);
      assert.deepEqual(rules[0]?.mitreTacticIdAndName, ["TA1"]);
      assert.equal(rules[1]?.name, "b");
      assert.equal(rules[1]?.status, "DISABLED");
      const disabled = await store.findBiocs(
        t,
        [{ field: "status", operator: "IN", values: ["disabled"] }],
        everything,
      );
      assert.deepEqual(
        disabled.rules.map((r) => r.ruleId),
        [2],
      );
      const tactic = await store.findBiocs(
        t,
        [{ field: "mitre_tactic_id_and_name", operator: "IN", values: ["TA1"] }],
        everything,
      );
      assert.deepEqual(
        tactic.rules.map((r) => r.ruleId),
        [1],
      );
      assert.deepEqual(
        await store.deleteBiocs(t, [{ field: "rule_id", operator: "NOT_IN", values: [1] }], at(NOW)),
        [2],
      );
      assert.equal((await store.findBiocs(tenantA, [], everything)).total, 0);
    });
  });
}
