/**
 * Reads MISP events (the JSON of an event export, and each event file of a MISP feed): every
 * attribute, loose or inside an object, with `to_ids` set becomes a rule; a `deleted` attribute,
 * or one whose `to_ids` is now off, deletes the rule it made. Identity is the attribute's uuid.
 */
import type { IocType, Severity } from "../domain/ioc/ioc-model.ts";
import { type IntelFields, intelDraft } from "./intel-draft.ts";
import { emptyBatch, type IntelBatch, type IntelRecord } from "./intel-model.ts";
import { ownReliability, ownReputation, ownSeverity } from "./intel-opinion.ts";
import { singleAddress } from "./ip-value.ts";

type Json = Record<string, unknown>;

/** Which half of a composite value (`filename|sha256`) a rule holds, and as what type. */
const ATTRIBUTE_TYPES: Readonly<Record<string, [IocType, 0 | 1]>> = {
  md5: ["HASH", 0],
  sha1: ["HASH", 0],
  sha256: ["HASH", 0],
  "ip-src": ["IP", 0],
  "ip-dst": ["IP", 0],
  "ip-src|port": ["IP", 0],
  "ip-dst|port": ["IP", 0],
  domain: ["DOMAIN_NAME", 0],
  hostname: ["DOMAIN_NAME", 0],
  "domain|ip": ["DOMAIN_NAME", 0],
  "hostname|port": ["DOMAIN_NAME", 0],
  url: ["URL", 0],
  link: ["URL", 0],
  filename: ["FILENAME", 0],
  // the hash names the file; a rule on the name alone ("invoice.pdf") would match every such file
  "filename|md5": ["HASH", 1],
  "filename|sha1": ["HASH", 1],
  "filename|sha256": ["HASH", 1],
};

/** MISP threat_level_id: 1 high, 2 medium, 3 low, 4 undefined. */
const SEVERITY_OF_THREAT_LEVEL: Readonly<Record<string, Severity>> = {
  "1": "SEV_040_HIGH",
  "2": "SEV_030_MEDIUM",
  "3": "SEV_020_LOW",
};

const WARDEN_TAG = /^warden:(severity|reputation|reliability|expiration|status)="([A-Z0-9_]+)"$/;

export function isMispEvent(doc: unknown): boolean {
  return typeof doc === "object" && doc !== null && typeof (doc as Json).Event === "object";
}

/** One event, as `{"Event": {...}}`; adds to `batch` when given (a feed reads many events into one). */
export function readMispEvent(doc: unknown, batch: IntelBatch = emptyBatch()): IntelBatch {
  const event = (doc as { Event: Json }).Event;
  const base: IntelFields = {
    severity: SEVERITY_OF_THREAT_LEVEL[String(event.threat_level_id)],
    reputation: "BAD",
  };
  const info = typeof event.info === "string" ? event.info : "";
  for (const attribute of eventAttributes(event)) readAttribute(attribute, base, info, batch);
  return batch;
}

function eventAttributes(event: Json): Json[] {
  const loose = Array.isArray(event.Attribute) ? event.Attribute : [];
  const objects = Array.isArray(event.Object) ? event.Object : [];
  const inObjects = objects.flatMap((object: Json) => objectAttributes(object));
  return [...loose, ...inObjects].filter((a): a is Json => typeof a === "object" && a !== null);
}

/** An object's attributes; all of them deleted when the object is (MISP leaves them unflagged). */
function objectAttributes(object: Json): unknown[] {
  const attributes: unknown[] = Array.isArray(object?.Attribute) ? object.Attribute : [];
  if (!isDeleted(object?.deleted)) return attributes;
  return attributes.map((a) => (typeof a === "object" && a !== null ? { ...a, deleted: true } : a));
}

function isDeleted(value: unknown): boolean {
  return value === true || value === "1";
}

const TO_IDS_OFF = "to_ids is off: the attribute is not meant for detection";

function readAttribute(attribute: Json, base: IntelFields, info: string, batch: IntelBatch): void {
  const uuid = typeof attribute.uuid === "string" ? attribute.uuid : undefined;
  if (!uuid) {
    const ref = `attribute ${String(attribute.id ?? "without uuid")}`;
    return void batch.rejected.push({ ref, reason: "the attribute has no uuid" });
  }
  const record = attributeRecord(attribute, uuid, base, info);
  if (typeof record === "string") batch.rejected.push({ ref: uuid, reason: record });
  else batch.records.push(record);
  // Taken out of detection: a rule an earlier import made of it goes, as for a deleted attribute.
  if (record === TO_IDS_OFF) batch.records.push({ kind: "delete", externalId: uuid });
}

/** The attribute's record, or why it cannot be one. */
function attributeRecord(attribute: Json, uuid: string, base: IntelFields, info: string): IntelRecord | string {
  if (isDeleted(attribute.deleted)) return { kind: "delete", externalId: uuid };
  const tags = wardenTags(attribute);
  // Warden's own export turns to_ids off for disabled and expired rules, and says so in its tags
  if (!isTrue(attribute.to_ids) && tags.length === 0) return TO_IDS_OFF;
  const type = String(attribute.type);
  const mapping = ATTRIBUTE_TYPES[type];
  if (!mapping) return `unsupported type: MISP attribute type '${type}' has no IOC rule type`;
  const value = attributeValue(String(attribute.value ?? ""), mapping);
  if (value === undefined) return `the value of a ${type} attribute must have two halves joined by |`;
  const address = mapping[0] === "IP" ? singleAddress(value) : undefined;
  if (address && !address.ok) return address.error;
  const fields = { ...base, comment: commentOf(attribute, info), ...tagFields(tags) };
  // MISP keeps whole paths in filename attributes (Warden's own export does too)
  const ruleType: IocType = mapping[0] === "FILENAME" && /[\\/]/.test(value) ? "PATH" : mapping[0];
  const draft = intelDraft(ruleType, address?.ok ? address.value : value, fields);
  if (!draft.ok) return draft.error;
  return { kind: "rule", externalId: uuid, part: "", draft: draft.value };
}

function isTrue(value: unknown): boolean {
  return value === true || value === 1 || value === "1" || value === "true";
}

function attributeValue(value: string, [, half]: [IocType, 0 | 1]): string | undefined {
  if (!value.includes("|")) return half === 0 ? value : undefined;
  return value.split("|")[half];
}

function commentOf(attribute: Json, info: string): string {
  const own = typeof attribute.comment === "string" ? attribute.comment.trim() : "";
  return own !== "" ? own : info;
}

function wardenTags(attribute: Json): RegExpExecArray[] {
  const tags = Array.isArray(attribute.Tag) ? attribute.Tag : [];
  return tags.flatMap((tag) => {
    const match = WARDEN_TAG.exec(String((tag as Json)?.name ?? ""));
    return match ? [match] : [];
  });
}

/**
 * Warden's own tags (its MISP export writes them) carry severity, reputation, reliability,
 * expiry and a disabled state exactly; with them, not to_ids, saying whether the rule is on.
 */
function tagFields(tags: readonly RegExpExecArray[]): IntelFields {
  const fields: IntelFields = tags.length > 0 ? { enabled: true } : {};
  for (const [, name, value] of tags) {
    if (name === "severity") fields.severity = ownSeverity(value);
    if (name === "reputation") fields.reputation = ownReputation(value);
    if (name === "reliability") fields.reliability = ownReliability(value);
    if (name === "expiration" && /^\d+$/.test(value as string)) fields.expirationDate = Number(value);
    if (name === "status") fields.enabled = value !== "DISABLED";
  }
  return fields;
}
