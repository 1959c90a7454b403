import type { Store } from "../ports.ts";
import { sqliteAlertStore } from "./sqlite-alert-store.ts";
import { sqliteAuditStore } from "./sqlite-audit.ts";
import { sqliteBiocStore } from "./sqlite-bioc-store.ts";
import { BULK_DRAFTS, sqliteBulkWrites } from "./sqlite-bulk-writes.ts";
import { storeCheckpoints } from "./sqlite-checkpointer.ts";
import { sqliteCorrelationStore } from "./sqlite-correlation-store.ts";
import { openSqlite } from "./sqlite-database.ts";
import { sqliteDeliveryStore } from "./sqlite-delivery-store.ts";
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
      await bulk?.close();
      await checkpoints?.close();
      if (db.open) db.close();
    },
  };
  const { upsertIocs, replaceIocsOfSource } = store;
  if (bulk) {
    store.upsertIocs = (tenantId, drafts, ctx) =>
      drafts.length > BULK_DRAFTS ? bulk.upsertIocs(tenantId, drafts, ctx) : upsertIocs(tenantId, drafts, ctx);
    store.replaceIocsOfSource = (tenantId, drafts, ctx) =>
      drafts.length > BULK_DRAFTS
        ? bulk.replaceIocsOfSource(tenantId, drafts, ctx)
        : replaceIocsOfSource(tenantId, drafts, ctx);
  }
  return gated(store, writeGate(), () => checkpoints?.started());
}

function gated(store: Store, gate: WriteGate, beforeWrite: () => void): Store {
  const methods = store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const [name, method] of Object.entries(methods)) {
    if (READS.has(name as keyof Store) || typeof method !== "function") continue;
    methods[name] = (...args) => {
      beforeWrite();
      return gate(() => method(...args));
    };
  }
  return store;
}
