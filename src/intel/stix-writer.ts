/**
 * IOC rules as STIX 2.1 indicators (STIX 2.1 section 4.7): every required property, ids of the
 * form `indicator--<uuid>`, millisecond UTC timestamps, and patterns the grammar accepts. A rule
 * imported from STIX keeps its indicator's id; others get a name-based id from tenant and rule.
 */
import { iocStatus } from "../domain/ioc/ioc-model.ts";
import { derivedIndicatorId } from "./derived-rule-ids.ts";
import { confidenceOfReliability, indicatorTypeOfReputation } from "./intel-opinion.ts";
import type { LinkedRule } from "./intel-rules.ts";
import { patternOf } from "./stix-ioc-map.ts";
import { stixTime } from "./stix-time.ts";

const STIX_ID = /^indicator--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface StixOptions {
  tenantId: number;
  now: number;
  /** TAXII: an expired rule is revoked too (an export file keeps its past valid_until instead). */
  revokeExpired: boolean;
  /** TAXII: when this version came to be (a write, an expiry, a deletion); the rule's modification time otherwise. */
  versionTime?: number;
  /** TAXII: the rule was deleted, and is served as revoked so clients drop it. */
  deleted?: boolean;
}

/** The rule's indicator id: the one it was imported under when it was a whole STIX indicator or MISP attribute. */
export function indicatorId({ rule, link }: LinkedRule, tenantId: number): string {
  if (link && link.part === "") {
    if (STIX_ID.test(link.externalId)) return link.externalId;
    if (UUID.test(link.externalId)) return `indicator--${link.externalId.toLowerCase()}`;
  }
  return derivedIndicatorId(tenantId, rule.ruleId);
}

/** The indicator, or undefined for a MIXED rule, which no STIX pattern can hold. */
export function stixIndicator(linked: LinkedRule, options: StixOptions): Record<string, unknown> | undefined {
  const { rule } = linked;
  const pattern = patternOf(rule.type, rule.indicator);
  if (pattern === undefined) return undefined;
  const status = iocStatus(rule, options.now);
  const revoked = options.deleted === true || status === "DISABLED" || (options.revokeExpired && status === "EXPIRED");
  const never = rule.expirationDate < 0;
  // valid_until must come after valid_from: a rule written already expired starts just before it ends
  const validFrom = never ? rule.creationTime : Math.min(rule.creationTime, rule.expirationDate - 1);
  const confidence = confidenceOfReliability(rule.reliability);
  return {
    type: "indicator",
    spec_version: "2.1",
    id: indicatorId(linked, options.tenantId),
    created: stixTime(rule.creationTime),
    modified: stixTime(Math.max(options.versionTime ?? rule.modificationTime, rule.creationTime)),
    ...(rule.comment === "" ? {} : { description: rule.comment }),
    indicator_types: [indicatorTypeOfReputation(rule.reputation)],
    pattern,
    pattern_type: "stix",
    pattern_version: "2.1",
    valid_from: stixTime(validFrom),
    ...(never ? {} : { valid_until: stixTime(rule.expirationDate) }),
    ...(confidence === undefined ? {} : { confidence }),
    ...(revoked ? { revoked: true } : {}),
    // revoked for STIX readers, but only switched off: Warden's own import keeps the rule, disabled
    ...(status === "DISABLED" && options.deleted !== true ? { x_warden_status: "DISABLED" } : {}),
    x_warden_severity: rule.severity,
    x_warden_reputation: rule.reputation,
    ...(rule.reliability === null ? {} : { x_warden_reliability: rule.reliability }),
  };
}
