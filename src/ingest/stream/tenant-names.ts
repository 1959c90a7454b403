import type { TenantStore } from "../../storage/ports.ts";

/** Subjects are `warden.events.<tenant name>`; a name may itself hold dots. */
export const SUBJECT_PREFIX = "warden.events.";
export const SUBJECT_FILTER = `${SUBJECT_PREFIX}>`;

/** How long a tenant found by name is trusted without asking the store again. */
const FOUND_TTL_MS = 60_000;

/**
 * Tenant ids by subject. Found names are cached; unknown ones are asked again every time, so a
 * tenant created a moment ago is found at once.
 */
export class TenantNames {
  private readonly found = new Map<string, { id: number; until: number }>();

  constructor(
    private readonly store: Pick<TenantStore, "findTenantByName">,
    private readonly now: () => number,
  ) {}

  async idOfSubject(subject: string): Promise<number | undefined> {
    if (!subject.startsWith(SUBJECT_PREFIX)) return undefined;
    const name = subject.slice(SUBJECT_PREFIX.length);
    const cached = this.found.get(name);
    if (cached && cached.until > this.now()) return cached.id;
    const tenant = await this.store.findTenantByName(name);
    if (!tenant) return undefined;
    this.found.set(name, { id: tenant.id, until: this.now() + FOUND_TTL_MS });
    return tenant.id;
  }
}
