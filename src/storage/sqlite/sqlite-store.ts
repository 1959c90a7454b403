import type { Store } from "../ports.ts";
import { sqliteAlertStore } from "./sqlite-alert-store.ts";
import { sqliteAuditStore } from "./sqlite-audit.ts";
import { sqliteBiocStore } from "./sqlite-bioc-store.ts";
import { openSqlite } from "./sqlite-database.ts";
import { sqliteIntelFeedStore } from "./sqlite-intel-feeds.ts";
import { sqliteIntelLinkStore } from "./sqlite-intel-links.ts";
import { sqliteIocStore } from "./sqlite-ioc-store.ts";
import { sqliteKeyStore } from "./sqlite-key-store.ts";
import { sqliteRuleSetStore } from "./sqlite-rule-set-store.ts";
import { sqliteTenantStore } from "./sqlite-tenant-store.ts";

/** The embedded store: one SQLite file in WAL mode. */
export function openSqliteStore(path: string): Store {
  const db = openSqlite(path);
  const ping = db.prepare("SELECT 1").pluck();
  return {
    ...sqliteTenantStore(db),
    ...sqliteKeyStore(db),
    ...sqliteIocStore(db),
    ...sqliteBiocStore(db),
    ...sqliteRuleSetStore(db),
    ...sqliteAlertStore(db),
    ...sqliteAuditStore(db),
    ...sqliteIntelLinkStore(db),
    ...sqliteIntelFeedStore(db),
    ping: async () => {
      ping.get();
    },
    close: async () => {
      if (db.open) db.close();
    },
  };
}
