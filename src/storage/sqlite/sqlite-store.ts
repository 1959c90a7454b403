import type { Store } from "../ports.ts";
import { sqliteAlertStore } from "./sqlite-alert-store.ts";
import { sqliteAuditStore } from "./sqlite-audit.ts";
import { sqliteBiocStore } from "./sqlite-bioc-store.ts";
import { BULK_DRAFTS, sqliteBulkWrites } from "./sqlite-bulk-writes.ts";
import { storeCheckpoints } from "./sqlite-checkpointer.ts";
import { sqliteCorrelationStore } from "./sqlite-correlation-store.ts";
import { openSqlite } from "./sqlite-database.ts";
import { sqliteDeliveryStore } from "./sqlite-delivery-store.ts";
import { type GroupCommit, groupCommit } from "./sqlite-group-commit.ts";
import { sqliteIntelFeedStore } from "./sqlite-intel-feeds.ts";
import { sqliteIntelLinkStore } from "./sqlite-intel-links.ts";
import { sqliteIocStore } from "./sqlite-ioc-store.ts";
import { sqliteKeyStore } from "./sqlite-key-store.ts";
import { sqliteRetentionStore } from "./sqlite-retention.ts";
import { sqliteRuleCountStore } from "./sqlite-rule-counts.ts";
import { sqliteRuleSetStore } from "./sqlite-rule-set-store.ts";
import { sqliteTenantStore } from "./sqlite-tenant-store.ts";
import { type WriteGate, writeGate } from "./sqlite-write-gate.ts";

/** Methods that only read: WAL lets them run beside a bulk write. Every other method waits at the write gate. */
const READS = new Set<keyof Store>([
  "getTenant",
  "findTenantByName",
  "listTenants",
  "getKey",
  "getKeyWithTenant",
  "listKeys",
  "findIocs",
  "iocChanges",
  "iocChangePage",
  "getExpiryDefaults",
  "findBiocs",
  "ruleSetVersion",
  "forEachMatchableIoc",
  "listMatchableBiocs",
  "findAlerts",
  "findAudit",
  "countRules",
  "listTargets",
  "listDeadLetters",
  "hasDueDeliveries",
  "getRetention",
  "countPrunable",
  "ping",
  "close",
]);

/** The embedded store: one SQLite file in WAL mode. */
export function openSqliteStore(path: string): Store {
  const db = openSqlite(path);
  const ping = db.prepare("SELECT 1").pluck();
  const inMemory = path === ":memory:";
  // WAL checkpoints on a worker thread, never inside a request's commit
  const checkpoints = inMemory ? undefined : storeCheckpoints(path, db);
  // a second connection to the same file; an in-memory database has none, so it writes in one step
  const bulk = checkpoints && sqliteBulkWrites(path, checkpoints.started);
  const group = groupCommit(db);
  const store: Store = {
    ...sqliteTenantStore(db),
    ...sqliteKeyStore(db),
    ...sqliteIocStore(db),
    ...sqliteBiocStore(db),
    ...sqliteCorrelationStore(db),
    ...sqliteRuleSetStore(db),
    ...sqliteAlertStore(db),
    ...sqliteAuditStore(db),
    ...sqliteIntelLinkStore(db),
    ...sqliteIntelFeedStore(db),
    ...sqliteRuleCountStore(db),
    ...sqliteDeliveryStore(db),
    ...sqliteRetentionStore(db),
    ping: async () => {
      ping.get();
    },
    close: async () => {
      group.commitNow();
      await bulk?.close();
      await checkpoints?.close();
      if (db.open) db.close();
    },
  };
  const { upsertIocs, replaceIocsOfSource } = store;
  if (bulk) {
    // the bulk connection needs the file's write lock, which the main connection's open group holds
    const onBulk = <T>(write: () => Promise<T>): Promise<T> => {
      group.commitNow();
      return write();
    };
    store.upsertIocs = (tenantId, drafts, ctx) =>
      drafts.length > BULK_DRAFTS
        ? onBulk(() => bulk.upsertIocs(tenantId, drafts, ctx))
        : upsertIocs(tenantId, drafts, ctx);
    store.replaceIocsOfSource = (tenantId, drafts, ctx) =>
      drafts.length > BULK_DRAFTS
        ? onBulk(() => bulk.replaceIocsOfSource(tenantId, drafts, ctx))
        : replaceIocsOfSource(tenantId, drafts, ctx);
  }
  return gated(store, writeGate(), group, () => checkpoints?.started());
}

/**
 * Writes go through the gate one at a time, each inside the turn's group transaction
 * (sqlite-group-commit.ts); a caller is answered once the group its write belongs to has committed.
 */
function gated(store: Store, gate: WriteGate, group: GroupCommit, beforeWrite: () => void): Store {
  const methods = store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const [name, method] of Object.entries(methods)) {
    if (READS.has(name as keyof Store) || typeof method !== "function") continue;
    methods[name] = async (...args) => {
      beforeWrite();
      const { value, committed } = await gate(async () => {
        const committed = group.open();
        return { value: await method(...args), committed };
      });
      await committed;
      return value;
    };
  }
  return store;
}
