import { type Actor, actors, type ChangeContext } from "../audit/audit-model.ts";
import type { Tenant } from "../tenants/tenant-model.ts";
import type { Role } from "./key-model.ts";

/** Who a request acts as, once authenticated. */
export interface Principal {
  keyId: number;
  role: Role;
  tenant: Tenant;
  /** The address the request came from, for the audit log. */
  address: string | null;
}

/** How a request's changes appear in the audit log. */
function actorOf(principal: Principal): Actor {
  return actors.apiKey(principal.keyId, principal.address);
}

/** A request's write, made now: what the store records it under. */
export function changeBy(principal: Principal, now: number): ChangeContext {
  return { now, actor: actorOf(principal) };
}

/** Who wrote a rule, as `get` reports it. */
export function sourceOf(principal: Principal): string {
  return `Public API user (key #${principal.keyId})`;
}

/** Whether a source name is some key's own (sourceOf's form), which no other key may write under. */
export function isKeySource(source: string): boolean {
  return /^Public API user \(key #[0-9]+\)$/.test(source);
}
