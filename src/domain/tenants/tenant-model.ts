/** Tenants and their licenses (spec/API.md section 5). */

export const LICENSES = ["xsiam", "xdr_pro", "xdr_prevent"] as const;
export type License = (typeof LICENSES)[number];

export interface Tenant {
  id: number;
  name: string;
  license: License;
  createdAt: number;
}

/** The IOC and BIOC APIs need one of these licenses; others get 402. */
const RULE_API_LICENSES: ReadonlySet<License> = new Set(["xsiam", "xdr_pro"]);

export function licenseAllowsRuleApi(license: License): boolean {
  return RULE_API_LICENSES.has(license);
}

/** Tenant names appear in CLI arguments and logs, so keep them plain. */
export const TENANT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
