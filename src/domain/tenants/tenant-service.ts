import type { Clock } from "../../lib/clock.ts";
import { fail, ok, type Result } from "../../lib/result.ts";
import type { TenantStore } from "../../storage/ports.ts";
import { LICENSES, type License, TENANT_NAME_PATTERN, type Tenant } from "./tenant-model.ts";

export const DEFAULT_TENANT = "default";

export class TenantService {
  constructor(
    private readonly store: TenantStore,
    private readonly clock: Clock,
  ) {}

  async create(name: string, license: string = "xsiam"): Promise<Result<Tenant>> {
    if (!TENANT_NAME_PATTERN.test(name)) {
      return fail(
        `invalid tenant name '${name}': use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
      );
    }
    if (!(LICENSES as readonly string[]).includes(license)) {
      return fail(`unknown license '${license}': expected one of ${LICENSES.join(", ")}`);
    }
    const tenant = await this.store.createTenant(name, license as License, this.clock.now());
    return tenant ? ok(tenant) : fail(`tenant '${name}' already exists`);
  }

  async find(name: string): Promise<Result<Tenant>> {
    const tenant = await this.store.findTenantByName(name);
    return tenant ? ok(tenant) : fail(`no tenant named '${name}'`);
  }

  list(): Promise<Tenant[]> {
    return this.store.listTenants();
  }
}
