/**
 * The rule families a repository holds. IOCs are matched to the server by value; the others by
 * name, and share one file format (one YAML or JSON file per rule), so a new family is one more
 * entry here.
 */
export type KindName = "ioc" | "bioc" | "correlation";

export interface NamedKind {
  kind: Exclude<KindName, "ioc">;
  /** The repository folder holding one file per rule. */
  folder: string;
  /** The API family: `/public_api/v1/<api>/insert|get|delete`. */
  api: string;
  /** Fields the server adds that a repository file never holds (nor compares). */
  serverFields: readonly string[];
  /** Fields written first, in this order; the rest follow alphabetically. */
  fieldOrder: readonly string[];
  /** Values a file may leave out, as the server fills them in. */
  defaults: Readonly<Record<string, unknown>>;
}

export const BIOC_KIND: NamedKind = {
  kind: "bioc",
  folder: "biocs",
  api: "bioc",
  serverFields: ["rule_id", "creation_time", "modification_time", "source", "number_of_issues"],
  fieldOrder: [
    "name",
    "type",
    "severity",
    "status",
    "comment",
    "mitre_tactic_id_and_name",
    "mitre_technique_id_and_name",
    "is_xql",
    "indicator",
  ],
  defaults: {
    comment: "",
    status: "enabled",
    is_xql: false,
    mitre_tactic_id_and_name: [],
    mitre_technique_id_and_name: [],
  },
};

export const CORRELATION_KIND: NamedKind = {
  kind: "correlation",
  folder: "correlations",
  api: "correlations",
  serverFields: ["rule_id", "created_by", "insert_time", "modify_time", "hits"],
  fieldOrder: ["name", "severity", "is_enabled", "description", "xql_query"],
  defaults: {},
};

export const NAMED_KINDS: readonly NamedKind[] = [BIOC_KIND, CORRELATION_KIND];

export const IOC_FOLDER = "iocs";

/** The CSV columns of an IOC list, in the order pull writes them. */
export const IOC_COLUMNS = [
  "indicator",
  "type",
  "severity",
  "expiration_date",
  "default_expiration_enabled",
  "comment",
  "reputation",
  "reliability",
] as const;

export function apiPath(api: string, verb: "insert" | "get" | "delete"): string {
  return `/public_api/v1/${api}/${verb}`;
}
