/** Turns one value read from a source into a checked IOC draft, with the defaults imports use. */

import {
  type IocDraft,
  type IocType,
  NEVER_EXPIRES,
  type Reliability,
  type Reputation,
  type Severity,
} from "../domain/ioc/ioc-model.ts";
import { canonicalIndicator } from "../domain/ioc/ioc-values.ts";
import { fail, ok, type Result } from "../lib/result.ts";

/** What a source may say about a rule beyond its value; the rest take the defaults below. */
export interface IntelFields {
  severity?: Severity | undefined;
  expirationDate?: number | undefined;
  comment?: string | undefined;
  reputation?: Reputation | undefined;
  reliability?: Reliability | null | undefined;
  /** Warden's own exports say whether the rule is on; undefined leaves a stored rule's state alone. */
  enabled?: boolean | undefined;
}

/** Intelligence that reaches a detection rule is meant to detect: medium severity unless the source says. */
export const DEFAULT_INTEL_SEVERITY: Severity = "SEV_030_MEDIUM";

/** Longest comment kept; longer descriptions are cut (the API's own free-text limit is larger). */
export const MAX_COMMENT = 4096;

export function intelDraft(type: IocType, value: string, fields: IntelFields): Result<IocDraft> {
  const indicator = value.trim();
  const canonical = canonicalIndicator(type, indicator);
  if (canonical === undefined) return fail(`the value '${clip(indicator, 200)}' is not a valid ${type}`);
  return ok({
    ruleId: undefined,
    indicator,
    canonical,
    type,
    severity: fields.severity ?? DEFAULT_INTEL_SEVERITY,
    expirationDate: fields.expirationDate ?? NEVER_EXPIRES,
    defaultExpirationEnabled: false,
    comment: clip(fields.comment ?? "", MAX_COMMENT),
    reputation: fields.reputation ?? "UNKNOWN",
    reliability: fields.reliability ?? null,
    vendors: null,
    klass: null,
    enabled: fields.enabled,
  });
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max);
}

/** "name: description", or whichever of the two a source gives. */
export function commentOf(name: unknown, description: unknown): string {
  const parts = [name, description].filter((p): p is string => typeof p === "string" && p.trim() !== "");
  return parts.map((p) => p.trim()).join(": ");
}
