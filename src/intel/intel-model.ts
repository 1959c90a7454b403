/**
 * Threat intelligence as Warden reads it: every source format (STIX 2.1, MISP, CSV) becomes a list
 * of records, each keyed by the source's own identity of the object (the STIX id, the MISP uuid),
 * so a later import of the same object updates the rule it made instead of adding another.
 */
import type { IocDraft } from "../domain/ioc/ioc-model.ts";

/** One object of the source that becomes (or stays) a rule. */
export interface IntelRuleRecord {
  kind: "rule";
  /** The source's identity of the object: a STIX id, a MISP uuid, a CSV id. */
  externalId: string;
  /** Tells apart the rules of one object (a file's hashes, OR branches); "" when it gives one. */
  part: string;
  draft: IocDraft;
}

/** One object the source says is gone (STIX `revoked`, MISP `deleted`): the rules it made are deleted. */
export interface IntelDeleteRecord {
  kind: "delete";
  externalId: string;
}

export type IntelRecord = IntelRuleRecord | IntelDeleteRecord;

/** An object that cannot become a rule, and why: never dropped silently. */
export interface IntelRejection {
  /** What the source calls it: the STIX id, the MISP uuid, or the CSV row. */
  ref: string;
  reason: string;
}

/** What a reader made of a file. */
export interface IntelBatch {
  records: IntelRecord[];
  rejected: IntelRejection[];
}

export const INTEL_FORMATS = ["stix", "misp", "csv"] as const;
export type IntelFormat = (typeof INTEL_FORMATS)[number];

/** What one import did. Re-importing the same file gives only `unchanged`. */
export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  rejected: IntelRejection[];
}

export function emptyBatch(): IntelBatch {
  return { records: [], rejected: [] };
}
