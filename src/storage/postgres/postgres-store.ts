import type { Store } from "../ports.ts";
import { postgresAuditStore } from "./postgres-audit.ts";
import { postgresBiocStore } from "./postgres-bioc-store.ts";
import { postgresCorrelationStore } from "./postgres-correlation-store.ts";
import { openPostgres } from "./postgres-database.ts";
import { postgresDeliveryStore } from "./postgres-delivery-store.ts";
import { postgresAlertStore, postgresRuleSetStore } from "./postgres-engine-store.ts";
import { postgresIntelFeedStore } from "./postgres-intel-feeds.ts";
import { postgresIntelLinkStore } from "./postgres-intel-links.ts";
import { postgresIocStore } from "./postgres-ioc-store.ts";
import { postgresLimitStore } from "./postgres-limits.ts";
import { postgresRetentionStore } from "./postgres-retention.ts";
import { postgresRuleCountStore } from "./postgres-rule-counts.ts";
import { postgresKeyStore, postgresTenantStore } from "./postgres-tenant-key-store.ts";

/** The scale-out store: several Warden nodes share one PostgreSQL. */
export async function openPostgresStore(url: string): Promise<Store> {
  const pool = await openPostgres(url);
  let closed = false;
  return {
    ...postgresTenantStore(pool),
    ...postgresKeyStore(pool),
    ...postgresIocStore(pool),
    ...postgresBiocStore(pool),
    ...postgresCorrelationStore(pool),
    ...postgresRuleSetStore(pool),
    ...postgresAlertStore(pool),
    ...postgresAuditStore(pool),
    ...postgresIntelLinkStore(pool),
    ...postgresIntelFeedStore(pool),
    ...postgresRuleCountStore(pool),
    ...postgresDeliveryStore(pool),
    ...postgresRetentionStore(pool),
    sharedLimits: postgresLimitStore(pool),
    ping: async () => {
      await pool.query("SELECT 1");
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
