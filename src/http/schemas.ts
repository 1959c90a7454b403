/**
 * Wire schemas of the rule endpoints. Bodies are checked here at the edge; each insert item is
 * then judged alone by the domain, so one bad item fails only itself (spec/API.md 4.1).
 */
import Type from "typebox";
import { BIOC_TYPES } from "../domain/bioc/bioc-model.ts";
import { SEARCH_TYPES } from "../domain/bioc/bioc-tree.ts";
import { FILTER_OPERATORS } from "../domain/filters/filter-model.ts";
import { MAX_FILTER_VALUES } from "../domain/filters/filter-parse.ts";
import { IOC_STATUSES, IOC_TYPES, RELIABILITIES, REPUTATIONS, SEVERITIES } from "../domain/ioc/ioc-model.ts";

export const strict = { additionalProperties: false } as const;
const enumOf = (values: readonly string[], description?: string) =>
  Type.Unsafe<string>({ type: "string", enum: [...values], ...(description ? { description } : {}) });

/** The body of an insert as the edge checks it: items are judged one by one later. */
export function insertBody(maxItems: number) {
  return Type.Object({ request_data: Type.Array(Type.Unknown(), { maxItems }) }, strict);
}

const FilterValue = Type.Union([
  Type.String(),
  Type.Number(),
  Type.Boolean(),
  Type.Null(),
  Type.Array(Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()])),
]);

export const Filter = Type.Object(
  {
    field: Type.String({ minLength: 1, maxLength: 64 }),
    operator: Type.String({ minLength: 1, maxLength: 8, description: FILTER_OPERATORS.join(", ") }),
    value: Type.Unsafe<Type.Static<typeof FilterValue>>({
      ...FilterValue,
      description: `A value, or a list of them; one request's filters hold at most ${MAX_FILTER_VALUES} values in all`,
    }),
  },
  strict,
);

/**
 * A Warden extension (docs/console.md): the order of a list, in the `{field, keyword}` form of
 * XSIAM's get_alerts. XSIAM clients never send it; without it, lists come in ascending id order.
 */
export const Sort = Type.Object(
  {
    field: Type.String({ minLength: 1, maxLength: 64, description: "Any field the list can be filtered on" }),
    keyword: Type.String({ enum: ["asc", "desc", "ASC", "DESC"], description: "asc or desc" }),
  },
  { ...strict, description: "Warden extension: sort the list by this field (ties by id, same direction)" },
);

export const GetBody = Type.Object(
  {
    request_data: Type.Object(
      {
        extended_view: Type.Optional(Type.Boolean()),
        filters: Type.Optional(Type.Array(Filter, { maxItems: 100 })),
        search_from: Type.Optional(Type.Integer({ minimum: 0 })),
        search_to: Type.Optional(Type.Integer({ minimum: 0 })),
        sort: Type.Optional(Sort),
      },
      strict,
    ),
  },
  strict,
);

export const DeleteBody = Type.Object(
  {
    request_data: Type.Object(
      {
        // the vendor's own bioc/delete example sends it; a delete has no view to extend
        extended_view: Type.Optional(Type.Boolean({ description: "Accepted and ignored" })),
        filters: Type.Array(Filter, { maxItems: 100 }),
      },
      strict,
    ),
  },
  strict,
);

const Outcome = Type.Object({ id: Type.Integer(), status: Type.String() });
export const InsertResponse = Type.Object({
  added_objects: Type.Array(Outcome),
  updated_objects: Type.Array(Outcome),
  errors: Type.Array(Type.Object({ index: Type.Integer(), status: Type.String() })),
});

export const DeleteResponse = Type.Object({ objects_count: Type.Integer(), objects: Type.Array(Type.Integer()) });

export const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const IocItem = Type.Object(
  {
    rule_id: Type.Optional(Nullable(Type.Integer({ description: "An existing rule of this tenant to overwrite" }))),
    indicator: Type.String({ description: "The value; must fit its type" }),
    type: enumOf(IOC_TYPES),
    severity: enumOf(SEVERITIES),
    expiration_date: Type.Optional(
      Type.Union([Type.Integer(), Type.String()], {
        description: 'Epoch ms; -1 or "Never" for never; ISO-8601 accepted',
      }),
    ),
    default_expiration_enabled: Type.Optional(Type.Boolean()),
    comment: Type.Optional(Type.String()),
    reputation: Type.Optional(enumOf(REPUTATIONS)),
    reliability: Type.Optional(Nullable(enumOf([...RELIABILITIES, ""]))),
  },
  strict,
);

export const IocObject = Type.Object({
  rule_id: Type.Integer(),
  indicator: Type.String(),
  type: Type.String(),
  severity: Type.String(),
  expiration_date: Type.Integer(),
  default_expiration_enabled: Type.Boolean(),
  comment: Type.String(),
  reputation: Type.String(),
  reliability: Nullable(Type.String()),
  status: enumOf(IOC_STATUSES),
  creation_time: Type.Integer(),
  modification_time: Type.Integer(),
  source: Type.String(),
  number_of_issues: Type.Integer(),
});

export const BiocItem = Type.Object(
  {
    rule_id: Type.Optional(Nullable(Type.Integer())),
    name: Type.String(),
    type: enumOf(BIOC_TYPES),
    severity: enumOf(SEVERITIES),
    comment: Type.Optional(Type.String()),
    status: Type.Optional(Type.String({ description: "enabled or disabled, any letter case" })),
    is_xql: Type.Optional(Type.Boolean()),
    indicator: Type.Unknown({
      description: `A filter tree (is_xql false; leaf SEARCH_TYPEs: ${SEARCH_TYPES.join(", ")}) or an XQL query string`,
    }),
    mitre_tactic_id_and_name: Type.Optional(Type.Array(Type.String())),
    mitre_technique_id_and_name: Type.Optional(Type.Array(Type.String())),
  },
  strict,
);

export const BiocObject = Type.Object({
  rule_id: Type.Integer(),
  name: Type.String(),
  type: Type.String(),
  severity: Type.String(),
  comment: Type.String(),
  status: Type.String(),
  is_xql: Type.Boolean(),
  indicator: Type.Unknown(),
  mitre_tactic_id_and_name: Type.Array(Type.String()),
  mitre_technique_id_and_name: Type.Array(Type.String()),
  creation_time: Type.Integer(),
  modification_time: Type.Integer(),
  source: Type.String(),
  number_of_issues: Type.Integer(),
});

export function getResponse<T extends Type.TSchema>(object: T) {
  return Type.Object({
    objects_count: Type.Integer(),
    objects_type: Type.String(),
    objects: Type.Array(object),
  });
}

const ErrorFields = {
  err_code: Type.Integer(),
  err_msg: Type.String(),
  err_extra: Type.Unknown(),
};
export const ErrorResponse = Type.Object({ ...ErrorFields, reply: Type.Object(ErrorFields) });
