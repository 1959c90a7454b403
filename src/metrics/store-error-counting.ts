import type { Store } from "../storage/ports.ts";
import { isStoreUnavailable } from "../storage/store-errors.ts";
import type { WardenMetrics } from "./warden-metrics.ts";

/**
 * Counts every store call that fails (warden_store_errors_total), whoever made it: wrapped once
 * at the composition root, so no store backend or service has to remember to. The error is
 * passed on unchanged.
 */
export function countStoreErrors(store: Store, metrics: WardenMetrics): Store {
  const counted = { ...store } as unknown as Record<string, unknown>;
  for (const [name, method] of Object.entries(store)) {
    if (typeof method !== "function" || name === "close") continue;
    counted[name] = async (...args: unknown[]) => {
      try {
        return await (method as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (error) {
        metrics.storeError(name, isStoreUnavailable(error));
        throw error;
      }
    };
  }
  return counted as unknown as Store;
}
