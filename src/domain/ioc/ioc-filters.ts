import type { FieldCatalog } from "../filters/filter-parse.ts";
import { IOC_STATUSES, IOC_TYPES, RELIABILITIES, REPUTATIONS, SEVERITIES } from "./ioc-model.ts";
import { canonicalCandidates } from "./ioc-values.ts";

/** The fields `indicators/get` and `indicators/delete` filter on. */
export const IOC_FILTER_FIELDS: FieldCatalog = {
  rule_id: { kind: "number" },
  // A value is found whatever its type: the store compares every canonical form it could have.
  indicator: { kind: "string", normalize: canonicalCandidates },
  type: { kind: "string", allowed: IOC_TYPES },
  severity: { kind: "string", allowed: SEVERITIES },
  expiration_date: { kind: "number" },
  default_expiration_enabled: { kind: "boolean" },
  comment: { kind: "string" },
  reputation: { kind: "string", allowed: REPUTATIONS },
  reliability: { kind: "string", allowed: RELIABILITIES, nullable: true },
  status: { kind: "string", allowed: IOC_STATUSES, normalize: (value) => [value.toUpperCase()] },
  creation_time: { kind: "number" },
  modification_time: { kind: "number" },
  number_of_issues: { kind: "number" },
};
