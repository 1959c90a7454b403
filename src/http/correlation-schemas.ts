/** The shapes of `correlations/insert|get|delete` (spec/API.md section 8), for answers and the OpenAPI document. */
import Type from "typebox";
import { Nullable } from "./schemas.ts";

const NullableString = Nullable(Type.String());

const DEFINITION = {
  name: Type.String(),
  severity: Type.String({
    enum: ["SEV_010_INFO", "SEV_020_LOW", "SEV_030_MEDIUM", "SEV_040_HIGH", "SEV_050_CRITICAL"],
  }),
  xql_query: Type.String({ description: "XQL; a syntax error fails the item with its line and column" }),
  is_enabled: Type.Boolean(),
  description: NullableString,
  alert_name: Type.String({ description: "$field is replaced by the query field's value" }),
  alert_category: Type.String(),
  alert_type: NullableString,
  alert_description: NullableString,
  alert_domain: NullableString,
  alert_fields: Type.Record(Type.String(), NullableString),
  execution_mode: Type.String({ enum: ["REAL_TIME", "SCHEDULED"] }),
  search_window: NullableString,
  simple_schedule: NullableString,
  timezone: NullableString,
  crontab: NullableString,
  suppression_enabled: Type.Boolean(),
  suppression_duration: NullableString,
  suppression_fields: Nullable(Type.Array(Type.String())),
  dataset: NullableString,
  user_defined_severity: NullableString,
  user_defined_category: NullableString,
  mitre_defs: Type.Record(Type.String(), Type.Array(Type.String())),
  investigation_query_link: NullableString,
  drilldown_query_timeframe: Nullable(Type.String({ enum: ["QUERY", "ALERT"] })),
  mapping_strategy: Nullable(Type.String({ enum: ["AUTO", "CUSTOM"] })),
  action: NullableString,
  lookup_mapping: Type.Array(Type.Unknown()),
};

const SERVER_FIELDS = {
  created_by: Type.String(),
  insert_time: Type.Integer(),
  modify_time: Type.Integer(),
  hits: Type.Integer(),
};

/** An insert item as documented: name, xql_query and alert_name required; the server's fields ignored. */
export const CorrelationItem = Type.Object({
  rule_id: Type.Optional(Nullable(Type.Integer({ description: "absent/0/null: create; otherwise that rule" }))),
  ...Object.fromEntries(
    Object.entries(DEFINITION).map(([k, v]) => [
      k,
      ["name", "xql_query", "alert_name"].includes(k) ? v : Type.Optional(v),
    ]),
  ),
  ...Object.fromEntries(Object.entries(SERVER_FIELDS).map(([k, v]) => [k, Type.Optional(v)])),
});

export const CorrelationObject = Type.Object({ rule_id: Type.Integer(), ...DEFINITION, ...SERVER_FIELDS });
