import type { FieldCatalog } from "../filters/filter-parse.ts";

const upper = (value: string) => [value.toUpperCase()];
/** Sub-types read as the live service writes them: `Create`, `Edit`, ... whatever case is sent. */
const capitalized = (value: string) => [value.charAt(0).toUpperCase() + value.slice(1).toLowerCase()];

/**
 * What `audits/management_logs` filters on (the live service's field names; XSOAR sends `in`,
 * `gte` and `lte`), plus Warden's `owner_name` and `audit_id`. Types and sub-types outside
 * Warden's own are not an error: the live service has many more, and they simply match nothing.
 */
export const AUDIT_FILTER_FIELDS: FieldCatalog = {
  audit_id: { kind: "number" },
  timestamp: { kind: "number" },
  type: { kind: "string", normalize: upper },
  sub_type: { kind: "string", normalize: capitalized },
  result: { kind: "string", normalize: upper },
  email: { kind: "string" },
  owner_name: { kind: "string" },
};
