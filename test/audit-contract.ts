/**
 * The audit contract: every backend records each change to rules, keys and tenants, with its
 * actor, time, before and after, in the same transaction as the change (see *-store.test.ts).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Actor, AuditEntry, AuditOrder } from "../src/domain/audit/audit-model.ts";
import type { RuleFilter } from "../src/domain/filters/filter-model.ts";
import type { IocDraft } from "../src/domain/ioc/ioc-model.ts";
import type { Store } from "../src/storage/ports.ts";
import { bioc, ioc } from "./drafts.ts";

const NOW = 1_768_000_000_000;
const alice: Actor = { name: "Public API - 7", address: "10.1.2.3" };
const bob: Actor = { name: "CLI - bob", address: null };
const oldestFirst: AuditOrder = { field: "timestamp", descending: false };
const all = { from: 0, to: 10_000 };

/** What an entry says, without the id and tenant that differ between runs. */
function gist(entry: AuditEntry) {
  return { entity: entry.entity, action: entry.action, target: entry.target, actor: entry.actor, at: entry.at };
}

export function auditContract(name: string, open: () => Promise<Store>): void {
  describe(`audit contract: ${name}`, () => {
    let store: Store;
    let n = 0;
    const entries = async (tenantId: number | null, filters: RuleFilter[] = [], order = oldestFirst) =>
      (await store.findAudit(tenantId, filters, all, order)).rules;
    const newTenant = async (actor = bob) => {
      const tenant = await store.createTenant(`audit${++n}`, "xsiam", { now: NOW, actor });
      assert.ok(tenant);
      return tenant;
    };

    before(async () => {
      store = await open();
    });
    after(async () => store.close());

    it("records the creation of a tenant and of a key, and a key's revocation, never its secret", async () => {
      const tenant = await newTenant();
      const key = await store.createKey(
        {
          tenantId: tenant.id,
          role: "analyst",
          security: "advanced",
          secretHash: null,
          sealedSecret: Buffer.from("sealed secret"),
          createdAt: NOW,
          expiresAt: null,
        },
        { now: NOW + 1, actor: bob },
      );
      await store.revokeKey(key.id, { now: NOW + 2, actor: alice });
      const log = await entries(tenant.id);
      assert.deepEqual(log.map(gist), [
        { entity: "TENANTS", action: "Create", target: tenant.name, actor: bob.name, at: NOW },
        { entity: "API_KEYS", action: "Create", target: String(key.id), actor: bob.name, at: NOW + 1 },
        { entity: "API_KEYS", action: "Revoke", target: String(key.id), actor: alice.name, at: NOW + 2 },
      ]);
      assert.deepEqual(log[0]?.after, { name: tenant.name, license: "xsiam" });
      assert.deepEqual(log[2]?.before, {
        key_id: key.id,
        role: "analyst",
        security: "advanced",
        created_at: NOW,
        expires_at: null,
        revoked_at: null,
      });
      assert.equal(log[2]?.after?.revoked_at, NOW + 2);
      assert.equal(log[2]?.address, alice.address);
      assert.doesNotMatch(JSON.stringify(log), /sealed|secret_hash/);
    });

    it("records each IOC rule created, edited, disabled and deleted, with the rule before and after", async () => {
      const { id: t } = await newTenant();
      await store.upsertIocs(t, [ioc("a.exe"), ioc("b.exe")], { now: NOW + 10, source: "s", actor: alice });
      await store.upsertIocs(t, [ioc("A.EXE", { severity: "SEV_040_HIGH", comment: "worse" })], {
        now: NOW + 11,
        source: "s",
        actor: alice,
      });
      await store.setIocsEnabled(t, ["b.exe"], false, { now: NOW + 12, actor: alice });
      await store.deleteIocs(t, [{ field: "rule_id", operator: "IN", values: [2] }], { now: NOW + 13, actor: bob });
      const log = (await entries(t)).filter((e) => e.entity === "IOC_RULES");
      assert.deepEqual(
        log.map((e) => [e.action, e.target, e.actor]),
        [
          ["Create", "1", alice.name],
          ["Create", "2", alice.name],
          ["Edit", "1", alice.name],
          ["Disable", "2", alice.name],
          ["Delete", "2", bob.name],
        ],
      );
      const [created, , edited, disabled, deleted] = log;
      assert.equal(created?.before, null);
      assert.deepEqual(created?.after, {
        rule_id: 1,
        indicator: "a.exe",
        type: "FILENAME",
        severity: "SEV_010_INFO",
        expiration_date: -1,
        default_expiration_enabled: false,
        comment: "",
        reputation: "UNKNOWN",
        reliability: null,
        vendors: null,
        class: null,
        enabled: true,
        source: "s",
        creation_time: NOW + 10,
        modification_time: NOW + 10,
      });
      assert.deepEqual(edited?.before, created?.after);
      assert.deepEqual(
        [edited?.after?.indicator, edited?.after?.severity, edited?.after?.comment],
        ["A.EXE", "SEV_040_HIGH", "worse"],
      );
      assert.equal(disabled?.after?.enabled, false);
      assert.equal(deleted?.before?.enabled, false);
      assert.equal(deleted?.after, null);
    });

    it("records re-dated rules and the new default when a tenant's default expiry changes", async () => {
      const { id: t, name: tenantName } = await newTenant();
      await store.upsertIocs(t, [ioc("d.exe", { defaultExpirationEnabled: true })], {
        now: NOW,
        source: "s",
        actor: alice,
      });
      await store.setExpiryDefault(t, "FILENAME", 30, { now: NOW + 20, actor: bob });
      const log = (await entries(t, [{ field: "timestamp", operator: "GTE", values: [NOW + 20] }])).map((e) => [
        e.entity,
        e.action,
        e.target,
        e.before,
        e.after,
      ]);
      assert.deepEqual(log[0], ["TENANTS", "Edit", tenantName, null, { ioc_type: "FILENAME", days: 30 }]);
      assert.deepEqual(
        log.slice(1).map((e) => e.slice(0, 3)),
        [["IOC_RULES", "Edit", "1"]],
      );
      const redated = log[1]?.[4] as Record<string, unknown> | undefined;
      assert.equal(redated?.expiration_date, NOW + 30 * 86_400_000);
    });

    it("records BIOC rules created, edited and deleted", async () => {
      const { id: t } = await newTenant();
      const draft = bioc("r", { mitreTacticIdAndName: ["TA0002 - Execution"] });
      await store.upsertBiocs(t, [draft], { now: NOW, source: "s", actor: alice });
      await store.upsertBiocs(t, [{ ...draft, ruleId: 1, name: "renamed" }], {
        now: NOW + 1,
        source: "s",
        actor: alice,
      });
      await store.deleteBiocs(t, [{ field: "rule_id", operator: "IN", values: [1] }], { now: NOW + 2, actor: alice });
      const log = (await entries(t)).filter((e) => e.entity === "BIOC_RULES");
      assert.deepEqual(
        log.map((e) => [e.action, e.target]),
        [
          ["Create", "1"],
          ["Edit", "1"],
          ["Delete", "1"],
        ],
      );
      assert.equal(log[0]?.after?.indicator, draft.indicator);
      assert.deepEqual(log[0]?.after?.mitre_tactic_id_and_name, ["TA0002 - Execution"]);
      assert.deepEqual([log[1]?.before?.name, log[1]?.after?.name], ["r", "renamed"]);
    });

    it("records nothing for a write that fails, nor for alerts counting hits", async () => {
      const { id: t } = await newTenant();
      await store.upsertIocs(t, [ioc("hit.exe")], { now: NOW, source: "s", actor: alice });
      const before = (await entries(t)).length;
      const broken = { ...ioc("z.exe"), indicator: null } as unknown as IocDraft;
      await assert.rejects(store.upsertIocs(t, [ioc("y.exe"), broken], { now: NOW, source: "s", actor: alice }));
      const hit = { source: "IOC" as const, ruleId: 1, name: "hit.exe", severity: "SEV_010_INFO" as const };
      await store.recordAlerts(t, [{ ...hit, field: "f", value: "hit.exe", detectionTimestamp: NOW, event: "{}" }]);
      assert.equal((await entries(t)).length, before);
    });

    it("keeps each tenant's log to itself, filters, sorts and pages it, and shows the operator every tenant's", async () => {
      const one = await newTenant(alice);
      const two = await newTenant(bob);
      await store.upsertIocs(one.id, [ioc("1.exe"), ioc("2.exe"), ioc("3.exe")], {
        now: NOW + 5,
        source: "s",
        actor: alice,
      });
      assert.ok((await entries(two.id)).every((e) => e.tenantId === two.id));
      assert.equal((await entries(two.id)).length, 1);
      const rules = [{ field: "type", operator: "IN" as const, values: ["IOC_RULES"] }];
      const newest = await store.findAudit(one.id, rules, { from: 0, to: 2 }, { field: "timestamp", descending: true });
      assert.equal(newest.total, 3);
      assert.deepEqual(
        newest.rules.map((e) => e.target),
        ["3", "2"],
      );
      const byActor = await entries(one.id, [{ field: "owner_name", operator: "IN", values: [alice.name] }]);
      assert.equal(byActor.length, 4);
      assert.equal((await entries(one.id, [{ field: "owner_name", operator: "IN", values: [bob.name] }])).length, 0);
      const notCreations = await entries(one.id, [{ field: "sub_type", operator: "NOT_IN", values: ["Create"] }]);
      assert.equal(notCreations.length, 0, "the tenant's log holds its creation and three rule creations only");
      const everyone = await entries(null);
      assert.ok(everyone.some((e) => e.tenantId === one.id) && everyone.some((e) => e.tenantId === two.id));
    });
  });
}
