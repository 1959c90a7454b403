/**
 * An IOC upsert and the intel links of its drafts (WriteContext.links) are one transaction on
 * every backend, on the small-write path and the bulk one: a link that cannot be written takes the
 * rules down with it, so no rule is ever left without its link (issue 15).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { DraftLink, Store } from "../src/storage/ports.ts";
import { ioc } from "./drafts.ts";

const NOW = 1_767_000_000_000;
const actor = { name: "contract", address: "127.0.0.1" };
const ctx = (links: readonly DraftLink[]) => ({ now: NOW, source: "contract", actor, links });
const link = (externalId: string): DraftLink => ({ externalId, part: "", fingerprint: `fp-${externalId}` });

export function upsertLinksContract(name: string, open: () => Promise<Store>): void {
  describe(`IOC upsert with intel links: ${name}`, () => {
    let store: Store;
    let n = 0;
    const newTenant = async () => {
      const tenant = await store.createTenant(`links-${++n}`, "xsiam", { now: NOW, actor });
      assert.ok(tenant);
      return tenant.id;
    };
    before(async () => {
      store = await open();
    });
    after(async () => store.close());

    it("links each draft that holds a rule, and none that failed", async () => {
      const t = await newTenant();
      const outcomes = await store.upsertIocs(
        t,
        [ioc("a.exe"), ioc("b.exe", { ruleId: 99 })],
        ctx([link("obj-a"), link("obj-b")]),
      );
      assert.deepEqual(outcomes[1], { kind: "failed", reason: "rule_not_found" });
      const links = await store.findIntelLinks(t, ["obj-a", "obj-b"]);
      assert.deepEqual(
        links.map((l) => [l.externalId, l.ruleId, l.fingerprint, l.live]),
        [["obj-a", 1, "fp-obj-a", true]],
      );
    });

    for (const count of [2, 5_001]) {
      it(`writes ${count} rules and their links whole or not at all`, async () => {
        const t = await newTenant();
        const drafts = Array.from({ length: count }, (_, i) => ioc(`r${i}.exe`));
        const links = drafts.map((_, i) => link(`obj-${i}`));
        // a link the store must refuse (no object id) comes last, after every rule was written
        const broken = [...links.slice(0, -1), { ...link("x"), externalId: null as unknown as string }];
        await assert.rejects(store.upsertIocs(t, drafts, ctx(broken)));
        assert.equal((await store.findIocs(t, [], { from: 0, to: 10 }, NOW)).total, 0, "no rule without its link");
        assert.deepEqual(await store.findIntelLinks(t, ["obj-0"]), []);

        await store.upsertIocs(t, drafts, ctx(links));
        assert.equal((await store.findIocs(t, [], { from: 0, to: 10 }, NOW)).total, count);
        assert.equal(
          (
            await store.findIntelLinks(
              t,
              links.map((l) => l.externalId),
            )
          ).length,
          count,
        );
      });
    }
  });
}
