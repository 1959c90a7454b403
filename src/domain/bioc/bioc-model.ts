/** The BIOC rule as the contract (spec/API.md section 4.2) defines it. */
import type { Severity } from "../ioc/ioc-model.ts";

export const BIOC_TYPES = [
  "OTHER",
  "PERSISTENCE",
  "EVASION",
  "TAMPERING",
  "FILE_TYPE_OBFUSCATION",
  "PRIVILEGE_ESCALATION",
  "CREDENTIAL_ACCESS",
  "LATERAL_MOVEMENT",
  "EXECUTION",
  "COLLECTION",
  "EXFILTRATION",
  "INFILTRATION",
  "DROPPER",
  "FILE_PRIVILEGE_MANIPULATION",
  "RECONNAISSANCE",
  "DISCOVERY",
] as const;
export type BiocType = (typeof BIOC_TYPES)[number];

/** A checked insert item, ready for the store. */
export interface BiocDraft {
  /** `undefined` when the item named no rule (absent, null or 0). */
  ruleId: number | undefined;
  name: string;
  type: BiocType;
  severity: Severity;
  comment: string;
  /** `enabled` or `disabled` in the letter case the client wrote. */
  status: string;
  isXql: boolean;
  /** The filter tree (is_xql false) or the query string (is_xql true), exactly as sent. */
  indicator: unknown;
  mitreTacticIdAndName: string[];
  mitreTechniqueIdAndName: string[];
}

/** A stored BIOC rule. */
export interface BiocRule extends Omit<BiocDraft, "ruleId"> {
  ruleId: number;
  creationTime: number;
  modificationTime: number;
  source: string;
  numberOfIssues: number;
}
