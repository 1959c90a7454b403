/**
 * What an edit form sends back: the whole stored rule, minus the fields the API fills in itself.
 * An insert with `rule_id` overwrites the whole rule, so a field left out would be reset; a
 * read-only field sent back is refused. Picking the insert fields (spec/API.md 4.1, 4.2) does both.
 */

const IOC_FIELDS = [
  "rule_id",
  "indicator",
  "type",
  "severity",
  "expiration_date",
  "default_expiration_enabled",
  "comment",
  "reputation",
  "reliability",
] as const;

const BIOC_FIELDS = [
  "rule_id",
  "name",
  "type",
  "severity",
  "comment",
  "status",
  "is_xql",
  "indicator",
  "mitre_tactic_id_and_name",
  "mitre_technique_id_and_name",
] as const;

function pick(record: object, fields: readonly string[]): Record<string, unknown> {
  const source = record as Record<string, unknown>;
  return Object.fromEntries(fields.filter((f) => source[f] !== undefined).map((f) => [f, source[f]]));
}

export const writableIoc = (record: object) => pick(record, IOC_FIELDS);

/** The live service answers empty MITRE lists as `[""]`; sending that back would store an empty name. */
export function writableBioc(record: object): Record<string, unknown> {
  const item = pick(record, BIOC_FIELDS);
  for (const key of ["mitre_tactic_id_and_name", "mitre_technique_id_and_name"]) {
    if (Array.isArray(item[key])) item[key] = (item[key] as string[]).filter((name) => name.trim() !== "");
  }
  return item;
}

/**
 * A correlation rule is inserted in the shape it is exported in (spec/API.md section 8), so it goes
 * back whole, minus the four fields the server writes.
 */
const CORRELATION_READ_ONLY = new Set(["created_by", "insert_time", "modify_time", "hits"]);

export function writableCorrelation(record: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([field]) => !CORRELATION_READ_ONLY.has(field)));
}
