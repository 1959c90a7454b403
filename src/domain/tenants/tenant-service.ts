import type { Clock } from "../../lib/clock.ts";
import { fail, ok, type Result } from "../../lib/result.ts";
import type { IocStore, TenantStore } from "../../storage/ports.ts";
import type { Actor } from "../audit/audit-model.ts";
import { IOC_TYPES, type IocType } from "../ioc/ioc-model.ts";
import { LICENSES, type License, TENANT_NAME_PATTERN, type Tenant } from "./tenant-model.ts";

export const DEFAULT_TENANT = "default";
const MAX_EXPIRY_DAYS = 3650;

export class TenantService {
  constructor(
    private readonly store: TenantStore & Pick<IocStore, "setExpiryDefault">,
    private readonly clock: Clock,
  ) {}

  async create(name: string, actor: Actor, license: string = "xsiam"): Promise<Result<Tenant>> {
    if (!TENANT_NAME_PATTERN.test(name)) {
      return fail(
        `invalid tenant name '${name}': use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
      );
    }
    if (!(LICENSES as readonly string[]).includes(license)) {
      return fail(`unknown license '${license}': expected one of ${LICENSES.join(", ")}`);
    }
    const tenant = await this.store.createTenant(name, license as License, { now: this.clock.now(), actor });
    return tenant ? ok(tenant) : fail(`tenant '${name}' already exists (names are unique without regard to case)`);
  }

  async find(name: string): Promise<Result<Tenant>> {
    const tenant = await this.store.findTenantByName(name);
    return tenant ? ok(tenant) : fail(`no tenant named '${name}'`);
  }

  /**
   * Sets how long IOCs of a type live when inserted with `default_expiration_enabled` (null: never),
   * and re-dates the tenant's rules that use the default. Answers how many were re-dated.
   */
  async setIocExpiry(name: string, type: string, days: number | null, actor: Actor): Promise<Result<number>> {
    const tenant = await this.find(name);
    if (!tenant.ok) return tenant;
    if (!(IOC_TYPES as readonly string[]).includes(type))
      return fail(`unknown IOC type '${type}': expected one of ${IOC_TYPES.join(", ")}`);
    if (days !== null && !(Number.isInteger(days) && days >= 1 && days <= MAX_EXPIRY_DAYS)) {
      return fail(`days must be a whole number from 1 to ${MAX_EXPIRY_DAYS}`);
    }
    const ctx = { now: this.clock.now(), actor };
    return ok(await this.store.setExpiryDefault(tenant.value.id, type as IocType, days, ctx));
  }

  list(): Promise<Tenant[]> {
    return this.store.listTenants();
  }
}
