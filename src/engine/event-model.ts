/**
 * How endpoint events (xdr_data field names) meet rules: which fields each IOC type checks, how
 * `event_type` is spelled, and which event type a BIOC's `investigationType` watches.
 * docs/engine.md is the reader's version of this file.
 */
import type { IocType } from "../domain/ioc/ioc-model.ts";

/** An event as parsed from JSON. */
export type EndpointEvent = Record<string, unknown>;

/** The event fields each IOC type is checked against, in the order a hit reports the first match. */
export const IOC_EVENT_FIELDS: Readonly<Record<Exclude<IocType, "MIXED">, readonly string[]>> = {
  HASH: [
    "action_file_md5",
    "action_file_sha256",
    "action_process_image_md5",
    "action_process_image_sha256",
    "actor_process_image_md5",
    "actor_process_image_sha256",
    "causality_actor_process_image_md5",
    "causality_actor_process_image_sha256",
    "os_actor_process_image_sha256",
  ],
  IP: ["action_remote_ip", "action_local_ip", "dst_action_external_ip", "action_external_ip"],
  DOMAIN_NAME: ["dns_query_name", "action_external_hostname", "dst_host", "action_remote_host"],
  URL: ["action_url", "dst_action_url"],
  PATH: [
    "action_file_path",
    "action_process_image_path",
    "actor_process_image_path",
    "causality_actor_process_image_path",
  ],
  FILENAME: [
    "action_file_name",
    "action_process_image_name",
    "actor_process_image_name",
    "causality_actor_process_image_name",
  ],
};

/** MIXED values are not typed, so they are looked for, exactly, in every field above. */
export const MIXED_EVENT_FIELDS: readonly string[] = [...new Set(Object.values(IOC_EVENT_FIELDS).flat())];

/**
 * xdr_data's numeric event_type enum. Only the first four are relied on by rules in practice;
 * the rest follow the public schema as far as it is known.
 */
const EVENT_TYPE_NUMBERS: Readonly<Record<number, string>> = {
  1: "PROCESS",
  2: "NETWORK",
  3: "FILE",
  4: "REGISTRY",
  5: "INJECTION",
  6: "LOAD_IMAGE",
  7: "SYSTEM_CALL",
  8: "EVENT_LOG",
  9: "RPC_CALL",
};

/** The event type a spelling names: `FILE`, `file`, `ENUM.FILE` and `3` all name FILE. */
export function typeNameOf(raw: string): string | undefined {
  const text = raw.trim().toUpperCase();
  if (/^\d+$/.test(text)) return EVENT_TYPE_NUMBERS[Number(text)];
  return text.startsWith("ENUM.") ? text.slice(5) : text;
}

/** Every event is routed by its type, and a stream spells few types: their names are remembered (null: none). */
const typeNames = new Map<string, string | null>();
const TYPE_NAMES_MAX = 1024;

/** `FILE`, `file`, `ENUM.FILE`, `3` and 3 all name the FILE event type; undefined when absent or unreadable. */
export function eventTypeOf(event: EndpointEvent): string | undefined {
  const raw = event.event_type;
  if (typeof raw === "number") return EVENT_TYPE_NUMBERS[raw];
  if (typeof raw !== "string") return undefined;
  let name = typeNames.get(raw);
  if (name === undefined) {
    if (typeNames.size >= TYPE_NAMES_MAX) typeNames.clear();
    name = typeNameOf(raw) ?? null;
    typeNames.set(raw, name);
  }
  return name ?? undefined;
}

const INVESTIGATION_TYPES: Readonly<Record<string, string>> = {
  PROCESS_EXECUTION_EVENT: "PROCESS",
  NETWORK_CONNECTION_EVENT: "NETWORK",
};

/** FILE_EVENT watches FILE events, PROCESS_EXECUTION_EVENT PROCESS, and so on: `X_EVENT` watches `X`. */
export function eventTypeOfInvestigation(investigationType: string): string {
  return INVESTIGATION_TYPES[investigationType] ?? investigationType.replace(/_EVENT$/, "");
}

/** Reads a field, following dots into nested objects when the flat name is absent. */
export function fieldValue(event: EndpointEvent, field: string): unknown {
  // Own properties only: a rule naming `constructor` must not read Object.prototype.
  if (Object.hasOwn(event, field)) return event[field];
  if (!field.includes(".")) return undefined;
  let value: unknown = event;
  for (const part of field.split(".")) {
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
