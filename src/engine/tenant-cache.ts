import type { Clock } from "../lib/clock.ts";

interface Built<T> {
  version: number;
  value: T;
  builtAt: number;
}

/**
 * One built value per tenant (a matcher, or a snapshot of its rules), rebuilt whole when the
 * tenant's rule-set version moves (every rule write bumps it, in whichever process made the write)
 * and swapped in at once. Concurrent requests share one build.
 */
export class TenantCache<T> {
  private readonly built = new Map<number, Built<T>>();
  private readonly building = new Map<number, Promise<Built<T>>>();

  constructor(
    private readonly clock: Clock,
    private readonly version: (tenantId: number) => Promise<number>,
    private readonly make: (tenantId: number, version: number) => Promise<T>,
  ) {}

  /**
   * The value for the tenant's current rules. With `maxStaleMs`, one built less than that long
   * ago may be answered instead: ingest can take a second's delay, so a stream of writes neither
   * makes every event wait for a rebuild nor keeps the process rebuilding back to back. A value
   * younger than half the allowance is used as it is; an older one is still answered while its
   * successor builds in the background; past the allowance the caller waits.
   */
  async get(tenantId: number, maxStaleMs = 0): Promise<T> {
    const version = await this.version(tenantId);
    const current = this.built.get(tenantId);
    if (current && current.version === version) return current.value;
    const age = current ? this.clock.now() - current.builtAt : Number.POSITIVE_INFINITY;
    if (current && age < maxStaleMs / 2) return current.value;
    const pending = this.rebuild(tenantId, version);
    if (current && age < maxStaleMs) {
      pending.catch(() => undefined); // a failed background build is retried on the next call
      return current.value;
    }
    return (await pending).value;
  }

  private rebuild(tenantId: number, version: number): Promise<Built<T>> {
    let pending = this.building.get(tenantId);
    if (!pending) {
      pending = this.make(tenantId, version)
        .then((value) => {
          // A build that started before a later write is still used once; the next call sees the new version.
          const fresh = { version, value, builtAt: this.clock.now() };
          this.built.set(tenantId, fresh);
          return fresh;
        })
        .finally(() => this.building.delete(tenantId));
      this.building.set(tenantId, pending);
    }
    return pending;
  }
}
