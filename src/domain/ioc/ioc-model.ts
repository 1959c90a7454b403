/** The IOC rule as the contract (spec/API.md section 4.1) defines it. */

export const IOC_TYPES = ["HASH", "IP", "PATH", "DOMAIN_NAME", "FILENAME", "MIXED", "URL"] as const;
export type IocType = (typeof IOC_TYPES)[number];

export const SEVERITIES = [
  "SEV_010_INFO",
  "SEV_020_LOW",
  "SEV_030_MEDIUM",
  "SEV_040_HIGH",
  "SEV_050_CRITICAL",
] as const;
export type Severity = (typeof SEVERITIES)[number];

export const REPUTATIONS = ["GOOD", "BAD", "SUSPICIOUS", "UNKNOWN", "NO_REPUTATION"] as const;
export type Reputation = (typeof REPUTATIONS)[number];

export const RELIABILITIES = ["A", "B", "C", "D", "E", "F", "G"] as const;
export type Reliability = (typeof RELIABILITIES)[number];

export const IOC_STATUSES = ["ENABLED", "DISABLED", "EXPIRED"] as const;
export type IocStatus = (typeof IOC_STATUSES)[number];

export const DAY_MS = 86_400_000;

/** Per-type default expiry in days; a type that is absent never expires by default. */
export type ExpiryDefaults = Partial<Record<IocType, number>>;

/** `-1` in `expiration_date` means the rule never expires. */
export const NEVER_EXPIRES = -1;

/** A vendor's opinion of an IOC, as the legacy XDR endpoints carry it. */
export interface Vendor {
  vendor_name: string;
  reputation: Reputation;
  reliability: Reliability | null;
}

/** A checked insert item, ready for the store. */
export interface IocDraft {
  /** `undefined` when the item named no rule (absent, null or 0). */
  ruleId: number | undefined;
  indicator: string;
  /** The identity of the value inside its tenant (see ioc-values.ts). */
  canonical: string;
  type: IocType;
  severity: Severity;
  expirationDate: number;
  defaultExpirationEnabled: boolean;
  comment: string;
  reputation: Reputation;
  reliability: Reliability | null;
  /** Legacy endpoints only: vendor opinions and threat class; null when not given. */
  vendors: Vendor[] | null;
  klass: string | null;
  /** Legacy `status`: undefined leaves a stored rule's state alone (new rules start enabled). */
  enabled?: boolean | undefined;
}

/** A stored IOC rule. */
export interface IocRule extends Omit<IocDraft, "ruleId" | "enabled"> {
  ruleId: number;
  enabled: boolean;
  creationTime: number;
  modificationTime: number;
  source: string;
  numberOfIssues: number;
}

/** A disabled rule reads DISABLED; an enabled one whose expiry has passed reads EXPIRED. */
export function iocStatus(rule: Pick<IocRule, "enabled" | "expirationDate">, now: number): IocStatus {
  if (!rule.enabled) return "DISABLED";
  return rule.expirationDate >= 0 && rule.expirationDate <= now ? "EXPIRED" : "ENABLED";
}
