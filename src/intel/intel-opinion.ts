/**
 * How a source's opinion of an indicator maps to a rule's reputation and reliability, both ways.
 * STIX `confidence` (0-100) becomes a reliability grade; `indicator_types` and `labels` (the STIX
 * 2.1 open vocabulary, and what MISP and OpenCTI put there) become the reputation. Exports carry
 * Warden's own values as well (x_warden_* properties) so a round trip keeps them exactly.
 */
import {
  RELIABILITIES,
  REPUTATIONS,
  type Reliability,
  type Reputation,
  SEVERITIES,
  type Severity,
} from "../domain/ioc/ioc-model.ts";

const CONFIDENCE_FLOORS: readonly [number, Reliability][] = [
  [90, "A"],
  [70, "B"],
  [50, "C"],
  [30, "D"],
  [10, "E"],
  [0, "F"],
];

const CONFIDENCE_OF: Readonly<Record<Reliability, number | undefined>> = {
  A: 95,
  B: 80,
  C: 60,
  D: 40,
  E: 20,
  F: 0,
  G: undefined,
};

export function reliabilityOfConfidence(confidence: unknown): Reliability | null {
  if (typeof confidence !== "number" || !Number.isInteger(confidence) || confidence < 0 || confidence > 100)
    return null;
  return (CONFIDENCE_FLOORS.find(([floor]) => confidence >= floor) as [number, Reliability])[1];
}

export function confidenceOfReliability(reliability: Reliability | null): number | undefined {
  return reliability === null ? undefined : CONFIDENCE_OF[reliability];
}

const REPUTATION_OF_LABEL: Readonly<Record<string, Reputation>> = {
  benign: "GOOD",
  "malicious-activity": "BAD",
  malicious: "BAD",
  compromised: "BAD",
  "anomalous-activity": "SUSPICIOUS",
  suspicious: "SUSPICIOUS",
  unknown: "UNKNOWN",
};

/** The first label that says something; UNKNOWN when none does. */
export function reputationOfLabels(...lists: unknown[]): Reputation {
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const label of list) {
      const found = typeof label === "string" ? REPUTATION_OF_LABEL[label.toLowerCase()] : undefined;
      if (found) return found;
    }
  }
  return "UNKNOWN";
}

export function indicatorTypeOfReputation(reputation: Reputation): string {
  if (reputation === "GOOD") return "benign";
  if (reputation === "BAD") return "malicious-activity";
  return reputation === "SUSPICIOUS" ? "anomalous-activity" : "unknown";
}

/** Warden's own property, when present and one of its values. */
export function ownValue<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return typeof value === "string" && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

export const ownSeverity = (value: unknown): Severity | undefined => ownValue(value, SEVERITIES);
export const ownReputation = (value: unknown): Reputation | undefined => ownValue(value, REPUTATIONS);
export const ownReliability = (value: unknown): Reliability | undefined => ownValue(value, RELIABILITIES);
