/**
 * The keyed alert write the stream consumer uses, on both stores: a key stored once is never
 * stored again (nor counted again in its rule's number_of_issues), within one call or across
 * calls, and keys are per tenant.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { Store } from "../../src/storage/ports.ts";
import { openPostgresStore } from "../../src/storage/postgres/postgres-store.ts";
import { openSqliteStore } from "../../src/storage/sqlite/sqlite-store.ts";
import type { KeyedAlert } from "../../src/storage/stream-ports.ts";
import { ioc } from "../drafts.ts";
import { postgresDatabase } from "./stream-harness.ts";

const NOW = 1_767_000_000_000;
const ctx = { now: NOW, source: "contract", actor: { name: "contract", address: null } };

function alert(ruleId: number, streamKey: string): KeyedAlert {
  const { source, name, severity, field, value } = {
    source: "IOC",
    name: "a.exe",
    severity: "SEV_010_INFO",
    field: "action_file_name",
    value: "a.exe",
  } as const;
  return { source, ruleId, name, severity, field, value, detectionTimestamp: NOW, event: "{}", streamKey };
}

function keyedAlertContract(name: string, open: () => Promise<Store>): void {
  describe(`keyed stream alerts: ${name}`, () => {
    it("stores each key once, counts each stored alert once, per tenant", async () => {
      const store = await open();
      try {
        const [a, b] = [await store.createTenant("a", "xsiam", ctx), await store.createTenant("b", "xsiam", ctx)];
        assert.ok(a && b);
        for (const t of [a.id, b.id]) await store.upsertIocs(t, [ioc("a.exe")], ctx);
        await store.createTarget({
          tenantId: a.id,
          name: "hook",
          kind: "webhook",
          url: "https://hooks.example/in",
          sealedSecret: null,
          minSeverity: "SEV_010_INFO",
          ruleKinds: ["IOC"],
          enabled: true,
          createdAt: NOW,
        });
        assert.equal(await store.recordStreamAlerts(a.id, [alert(1, "S.1:7:1"), alert(1, "S.1:7:2")]), 2);
        const again = [alert(1, "S.1:7:1"), alert(1, "S.1:7:2"), alert(1, "S.1:8:1")];
        assert.equal(await store.recordStreamAlerts(a.id, again), 1, "only the new key is stored");
        assert.equal(await store.recordStreamAlerts(b.id, [alert(1, "S.1:7:1")]), 1, "keys are per tenant");
        assert.equal(await store.recordStreamAlerts(a.id, []), 0);
        const page = { from: 0, to: 100 };
        const stored = await store.findAlerts(a.id, [], page);
        assert.equal(stored.total, 3);
        assert.equal(new Set(stored.rules.map((r) => r.alertId)).size, 3, "distinct alert ids");
        const rule = (await store.findIocs(a.id, [], page, NOW)).rules[0];
        assert.equal(rule?.numberOfIssues, 3, "a redelivered alert does not raise number_of_issues again");
        assert.equal((await store.findAlerts(b.id, [], page)).total, 1);
        const owed = await store.claimDeliveries(NOW + 60_000, 60_000, 100);
        assert.deepEqual(
          owed.map((entry) => entry.alert.alertId).sort(),
          stored.rules.map((r) => r.alertId).sort(),
          "each stored stream alert, and no redelivered one, is owed to the tenant's webhook",
        );
        // HTTP ingest's alerts have no key and are never taken for duplicates of one another
        await store.recordAlerts(a.id, [alert(1, "x"), alert(1, "x")]);
        assert.equal((await store.findAlerts(a.id, [], page)).total, 5);
      } finally {
        await store.close();
      }
    });

    it("folds a message's correlation states once, with its alerts; a suppression's claimant may claim it again", async () => {
      const store = await open();
      try {
        const [a, b] = [await store.createTenant("fa", "xsiam", ctx), await store.createTenant("fb", "xsiam", ctx)];
        assert.ok(a && b);
        const partial = { ruleId: 4, bucket: NOW, groupKey: '["alice"]', state: "[3]" };
        const fold = { messageKey: "S.1:7", partials: [partial], at: NOW };
        assert.equal(await store.recordStreamAlerts(a.id, [], fold), 0);
        assert.equal(
          await store.recordStreamAlerts(a.id, [alert(1, "S.1:7:1")], fold),
          1,
          "alerts stored, fold skipped",
        );
        await store.recordStreamAlerts(b.id, [], fold);
        const states = (tenant: number) => store.readCorrelationPartials(tenant, 4, NOW, NOW + 1);
        assert.deepEqual(await states(a.id), [partial], "folded once");
        assert.deepEqual(await states(b.id), [partial], "fold keys are per tenant");

        const claim = (claimant?: string) => store.claimSuppression(a.id, 4, "dc1", NOW, NOW + 60_000, claimant);
        assert.equal(await claim("S.1:7:correlation:4:0"), true);
        assert.equal(await claim("S.1:7:correlation:4:0"), true, "the same alert, redelivered, claims it again");
        assert.equal(await claim("S.1:8:correlation:4:0"), false, "another alert is suppressed");
        assert.equal(await claim(), false, "so is an HTTP one");
      } finally {
        await store.close();
      }
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), "warden-keyed-"));
after(() => rmSync(dir, { recursive: true, force: true }));
keyedAlertContract("SQLite", async () => openSqliteStore(join(dir, "keyed.db")));

const base = process.env.WARDEN_TEST_POSTGRES_URL;
if (base) {
  const database = await postgresDatabase(base);
  after(() => database.drop());
  keyedAlertContract("PostgreSQL", async () => openPostgresStore(database.url));
} else {
  describe("keyed stream alerts: PostgreSQL", () => {
    it.skip("needs WARDEN_TEST_POSTGRES_URL", () => {});
  });
}
