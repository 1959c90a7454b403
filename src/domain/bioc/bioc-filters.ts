import type { FieldCatalog } from "../filters/filter-parse.ts";
import { SEVERITIES } from "../ioc/ioc-model.ts";
import { BIOC_TYPES } from "./bioc-model.ts";

/** The fields `bioc/get` and `bioc/delete` filter on. */
export const BIOC_FILTER_FIELDS: FieldCatalog = {
  rule_id: { kind: "number" },
  name: { kind: "string" },
  type: { kind: "string", allowed: BIOC_TYPES },
  severity: { kind: "string", allowed: SEVERITIES },
  comment: { kind: "string" },
  // Stored as written; compared without regard to case.
  status: { kind: "string", allowed: ["enabled", "disabled"], normalize: (value) => [value.toLowerCase()] },
  is_xql: { kind: "boolean" },
  // Matches an XQL rule's query exactly (the stored form is JSON text).
  indicator: { kind: "string", normalize: (value) => [JSON.stringify(value)] },
  mitre_tactic_id_and_name: { kind: "string", list: true },
  mitre_technique_id_and_name: { kind: "string", list: true },
  creation_time: { kind: "number" },
  modification_time: { kind: "number" },
  number_of_issues: { kind: "number" },
};
