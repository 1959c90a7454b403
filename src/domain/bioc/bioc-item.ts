import type { Limits } from "../../config.ts";
import { fail, ok, type Result } from "../../lib/result.ts";
import { SEVERITIES } from "../ioc/ioc-model.ts";
import { ItemReader, isJsonObject, notAnObjectReason, unknownFieldsReason } from "../items/item-reader.ts";
import { checkBiocQuery, problemText, xqlText } from "../xql/xql-bioc.ts";
import { BIOC_TYPES, type BiocDraft } from "./bioc-model.ts";
import { checkFilterTree } from "./bioc-tree.ts";

export const BIOC_ITEM_FIELDS: ReadonlySet<string> = new Set([
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
]);

const STATUS_PATTERN = /^(enabled|disabled)$/i;

/** Checks one `bioc/insert` item (spec/API.md section 4.2) and fills in the defaults. */
export function parseBiocItem(raw: unknown, limits: Limits): Result<BiocDraft> {
  if (!isJsonObject(raw)) return fail(notAnObjectReason(raw));
  const unknown = unknownFieldsReason(raw, BIOC_ITEM_FIELDS);
  if (unknown) return fail(unknown);
  const read = new ItemReader(raw, limits.stringLength);
  const draft: BiocDraft = {
    ruleId: read.ruleId(),
    name: read.string("name"),
    type: read.enumValue("type", BIOC_TYPES),
    severity: read.enumValue("severity", SEVERITIES),
    comment: read.string("comment", ""),
    status: read.string("status", "enabled"),
    isXql: read.boolean("is_xql", false),
    indicator: read.raw("indicator"),
    mitreTacticIdAndName: read.stringArray("mitre_tactic_id_and_name"),
    mitreTechniqueIdAndName: read.stringArray("mitre_technique_id_and_name"),
  };
  if (read.error) return fail(read.error);
  if (draft.name.trim() === "") return fail("name must not be empty");
  if (!STATUS_PATTERN.test(draft.status)) return fail(`status must be enabled or disabled; got '${draft.status}'`);
  const problem = draft.isXql
    ? checkXqlIndicator(draft.indicator, limits)
    : checkFilterTree(draft.indicator, treeLimits(limits));
  return problem === undefined ? ok(draft) : fail(problem);
}

function treeLimits(limits: Limits) {
  return { maxDepth: limits.treeDepth, maxNodes: limits.treeNodes, maxStringLength: limits.stringLength };
}

/**
 * The query arrives as a string, or wrapped as `{"query": "..."}` by some clients; it is kept as
 * sent. It must parse (a syntax error fails the item in the seed's JSON form) and follow the BIOC rules.
 */
function checkXqlIndicator(indicator: unknown, limits: Limits): string | undefined {
  if (indicator === undefined || indicator === null) return "missing required field 'indicator'";
  const wrapped = isJsonObject(indicator) && Object.keys(indicator).length === 1;
  const query = wrapped ? xqlText(indicator) : indicator;
  if (typeof query !== "string") return 'an XQL indicator must be the query string (or {"query": "..."})';
  if (query.trim() === "") return "the XQL query must not be empty";
  if (query.length > limits.stringLength) {
    return `the XQL query is ${query.length} characters long; at most ${limits.stringLength} are allowed`;
  }
  const plan = checkBiocQuery(query);
  return plan.ok ? undefined : problemText(plan.error);
}
