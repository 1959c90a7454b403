/**
 * The IOC change feed read a page at a time (Store.iocChangePage), on every backend: the same
 * changes, in the same (change time, rule id) order, as the whole feed (Store.iocChanges).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { IocChange, IocChangeKey, Store } from "../src/storage/ports.ts";
import { ioc } from "./drafts.ts";

const NOW = 1_767_000_000_000;
const actor = { name: "contract", address: "127.0.0.1" };
const FROM_START: IocChangeKey = { time: -1, ruleId: Number.MAX_SAFE_INTEGER };

const keys = (changes: IocChange[]) => changes.map((c) => [c.changeTime - NOW, c.rule.ruleId, c.deleted]);

export function iocChangePageContract(name: string, open: () => Promise<Store>): void {
  describe(`IOC change feed by page: ${name}`, () => {
    let store: Store;
    let tenant: number;

    before(async () => {
      store = await open();
      const created = await store.createTenant("changes", "xsiam", { now: NOW, actor });
      assert.ok(created);
      tenant = created.id;
      const write = (now: number, drafts: ReturnType<typeof ioc>[]) =>
        store.upsertIocs(tenant, drafts, { now, source: "contract", actor });
      await write(NOW, [ioc("a.exe"), ioc("b.exe"), ioc("c.exe")]);
      await write(NOW + 10, [ioc("d.exe", { expirationDate: NOW + 20 })]);
      await store.deleteIocs(tenant, [{ field: "rule_id", operator: "IN", values: [2] }], { now: NOW + 30, actor });
      await write(NOW + 30, [ioc("e.exe"), ioc("f.exe", { expirationDate: NOW + 5 })]);
    });
    after(async () => store.close());

    /** Every change, following each page's last key. */
    async function paged(now: number, limit: number): Promise<IocChange[]> {
      const all: IocChange[] = [];
      let from = FROM_START;
      for (;;) {
        const page = await store.iocChangePage(tenant, from, now, limit);
        assert.ok(page.length <= limit);
        all.push(...page);
        const last = page.at(-1);
        if (page.length < limit || !last) return all;
        from = { time: last.changeTime, ruleId: last.rule.ruleId };
      }
    }

    it("gives writes, expiries and deletions in (change time, rule id) order, as the whole feed does", async () => {
      const expected = [
        [0, 1, false],
        [0, 3, false],
        [20, 4, false], // expired at NOW + 20, after it was written
        [30, 2, true],
        [30, 5, false],
        [30, 6, false], // written after its expiry: the write is its change
      ];
      const now = NOW + 100;
      assert.deepEqual(keys(await store.iocChangePage(tenant, FROM_START, now, 100)), expected);
      assert.deepEqual(keys(await store.iocChanges(tenant, -1, now)), expected);
      for (const limit of [1, 2, 4]) assert.deepEqual(keys(await paged(now, limit)), expected, `pages of ${limit}`);
    });

    it("sees an expiry only once it has passed", async () => {
      const early = await store.iocChangePage(tenant, FROM_START, NOW + 15, 100);
      assert.deepEqual(
        keys(early).find(([, id]) => id === 4),
        [10, 4, false],
      );
    });

    it("starts after the key it is given, ties broken by rule id", async () => {
      const page = await store.iocChangePage(tenant, { time: NOW + 30, ruleId: 2 }, NOW + 100, 100);
      assert.deepEqual(keys(page), [
        [30, 5, false],
        [30, 6, false],
      ]);
      const since = await store.iocChangePage(
        tenant,
        { time: NOW + 20, ruleId: Number.MAX_SAFE_INTEGER },
        NOW + 100,
        100,
      );
      assert.deepEqual(
        keys(since).map(([time, id]) => [time, id]),
        [
          [30, 2],
          [30, 5],
          [30, 6],
        ],
      );
    });

    it("shows no other tenant's changes", async () => {
      const other = await store.createTenant("changes-other", "xsiam", { now: NOW, actor });
      assert.ok(other);
      assert.deepEqual(await store.iocChangePage(other.id, FROM_START, NOW + 100, 100), []);
    });
  });
}
