import type { IocStore } from "../../storage/ports.ts";
import { DAY_MS, type ExpiryDefaults, type IocDraft, NEVER_EXPIRES } from "./ioc-model.ts";

/** The expiry a draft ends up with: its own, or with `default_expiration_enabled` the tenant's default for its type. */
export function effectiveExpiry(draft: IocDraft, defaults: ExpiryDefaults, now: number): number {
  if (!draft.defaultExpirationEnabled) return draft.expirationDate;
  const days = defaults[draft.type];
  return days === undefined ? NEVER_EXPIRES : now + days * DAY_MS;
}

/** Applies the tenant's default expiry (spec/API.md section 7) to the drafts that ask for it. */
export async function withEffectiveExpiry(
  store: Pick<IocStore, "getExpiryDefaults">,
  tenantId: number,
  drafts: IocDraft[],
  now: number,
): Promise<IocDraft[]> {
  if (!drafts.some((draft) => draft.defaultExpirationEnabled)) return drafts;
  const defaults = await store.getExpiryDefaults(tenantId);
  return drafts.map((draft) => ({ ...draft, expirationDate: effectiveExpiry(draft, defaults, now) }));
}
