import type { Tenant } from "../tenants/tenant-model.ts";
import type { Role } from "./key-model.ts";

/** Who a request acts as, once authenticated. */
export interface Principal {
  keyId: number;
  role: Role;
  tenant: Tenant;
}

/** Who wrote a rule, as `get` reports it. */
export function sourceOf(principal: Principal): string {
  return `Public API user (key #${principal.keyId})`;
}
