/**
 * Enum values come as `ENUM.PROCESS_START`, `PROCESS_START` or a number, in events and in rules
 * alike. Rules and events meet on one spelling: the name without `ENUM.`, and for event_type the
 * name its number stands for (the only enum whose numbers the public schema gives).
 */
import { eventTypeOf } from "./event-model.ts";
import { valueText } from "./rule-hit.ts";

/** Fields whose bare upper-case words in a query are enum names, not field names. */
export const ENUM_FIELDS: ReadonlySet<string> = new Set([
  "event_type",
  "event_sub_type",
  "agent_os_type",
  "agent_os_sub_type",
  "action_network_protocol",
  "action_registry_value_type",
  "action_file_type",
  "action_process_integrity_level",
  "dns_query_type",
  // Signature statuses (SIGNED, UNSIGNED, SIGNED_INVALID, ...): a live tenant's BIOC export writes
  // `actor_process_signature_status = SIGNED_INVALID`, vendor content `!= ENUM.SIGNED`.
  "action_file_signature_status",
  "action_module_signature_status",
  "action_process_signature_status",
  "actor_process_signature_status",
  "causality_actor_process_signature_status",
  "os_actor_process_signature_status",
]);

/** Lower-cased text without a leading `enum.`; other text as it is. */
export function withoutEnumPrefix(lowered: string): string {
  return lowered.length > 5 && lowered.charCodeAt(4) === 46 && lowered.startsWith("enum.") ? lowered.slice(5) : lowered;
}

/** The one spelling of a rule's value for this field: event_type numbers become names. */
export function canonicalEnumValue(field: string, value: string | number): string | number {
  if (field === "event_type") return eventTypeOf({ event_type: value }) ?? value;
  return typeof value === "string" ? value.replace(/^enum\./i, "") : value;
}

/** An event's value of an enum field in the rules' spelling (arrays item by item). */
export function canonicalEventEnum(field: string, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => canonicalEventEnum(field, item));
  if (typeof value !== "string" && typeof value !== "number") return value;
  return canonicalEnumValue(field, value);
}

/** A rule's EQ/NEQ value for an enum field as it is compared: canonical, lower-cased. */
export function enumRuleText(field: string, value: string): string {
  return String(canonicalEnumValue(field, value)).toLowerCase();
}

/**
 * One of an event's values of an enum field as rules compare it (enumRuleText's counterpart):
 * event_type's numbers and spellings as the type's name, then lower-cased without `enum.`.
 * The predicate and the BIOC index both use it, so an indexed rule is found exactly when it holds.
 */
export function enumEventText(field: string, value: unknown): string {
  const name = field === "event_type" ? eventTypeOf({ event_type: value }) : undefined;
  return withoutEnumPrefix(name?.toLowerCase() ?? valueText(value).toLowerCase());
}
