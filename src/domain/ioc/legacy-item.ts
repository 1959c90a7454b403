import { fail, type Result } from "../../lib/result.ts";
import { ItemReader, isJsonObject, notAnObjectReason, unknownFieldsReason } from "../items/item-reader.ts";
import { checkedDraft, readIocFields } from "./ioc-item.ts";
import { type IocDraft, RELIABILITIES, REPUTATIONS, SEVERITIES, type Severity, type Vendor } from "./ioc-model.ts";
import { canonicalIndicator } from "./ioc-values.ts";

/** The fields of the legacy XDR IOC endpoints (spec/API.md section 6) and of their CSV and sync files. */
export const LEGACY_ITEM_FIELDS: ReadonlySet<string> = new Set([
  "indicator",
  "type",
  "severity",
  "expiration_date",
  "default_expiration_enabled",
  "comment",
  "reputation",
  "reliability",
  "vendors",
  "class",
  "status",
]);

/**
 * Plain severities map one-to-one onto the SEV_ ones. `unknown` has no SEV_ twin and is stored as
 * the mildest, SEV_010_INFO. The SEV_ spellings are accepted too.
 */
const PLAIN_SEVERITIES: Record<string, Severity> = {
  INFO: "SEV_010_INFO",
  LOW: "SEV_020_LOW",
  MEDIUM: "SEV_030_MEDIUM",
  HIGH: "SEV_040_HIGH",
  CRITICAL: "SEV_050_CRITICAL",
  UNKNOWN: "SEV_010_INFO",
};

/** The plain name of a stored severity, as the legacy endpoints speak. */
export function plainSeverity(severity: Severity): string {
  return severity.replace(/^SEV_\d+_/, "");
}

function readSeverity(read: ItemReader): Severity {
  const raw = read.raw("severity");
  if (raw === undefined || raw === null || raw === "") {
    read.reject("missing required field 'severity'");
    return "SEV_010_INFO";
  }
  const text = typeof raw === "string" ? raw.trim().toUpperCase() : "";
  const severity = PLAIN_SEVERITIES[text] ?? (SEVERITIES as readonly string[]).find((s) => s === text);
  if (severity === undefined)
    read.reject(`severity must be one of INFO, LOW, MEDIUM, HIGH, CRITICAL, unknown; got ${JSON.stringify(raw)}`);
  return (severity as Severity | undefined) ?? "SEV_010_INFO";
}

/** Legacy clients vary the letter case of enum values; they are stored upper-case. */
function upperCased(read: ItemReader, field: string): void {
  const raw = read.raw(field);
  if (typeof raw === "string") read.override(field, raw.trim().toUpperCase());
}

/**
 * The XSOAR integration sends `comment` as a list: one entry (`[""]` when the indicator has no
 * comment), or, with its "comments as tags" option, the tags it cuts from XDR's comment at commas
 * on the way back. Joined at commas, the list is the comment it came from; refused, the sync lost
 * every indicator that had a comment field.
 */
function commentListJoined(read: ItemReader): void {
  const raw = read.raw("comment");
  if (Array.isArray(raw) && raw.every((entry) => typeof entry === "string")) read.override("comment", raw.join(","));
}

/**
 * The XSOAR integration sends URL indicators as type PATH (its `demisto_types_to_xdr` maps URL to
 * PATH on purpose). A PATH whose value is no path but an absolute URL is taken as the URL it is:
 * stored as PATH it would be refused here, and could never match an event's path.
 */
function urlSentAsPath(read: ItemReader): void {
  const value = read.raw("indicator");
  if (read.raw("type") !== "PATH" || typeof value !== "string") return;
  if (canonicalIndicator("PATH", value) === undefined && canonicalIndicator("URL", value) !== undefined)
    read.override("type", "URL");
}

function readVendors(read: ItemReader): Vendor[] | null {
  const raw = read.raw("vendors");
  if (raw === undefined || raw === null) return null;
  if (!Array.isArray(raw)) {
    read.reject("vendors must be an array of {vendor_name, reputation, reliability}");
    return null;
  }
  const vendors: Vendor[] = [];
  for (const [index, entry] of raw.entries()) {
    const vendor = parseVendor(entry);
    if (typeof vendor === "string") read.reject(`vendors[${index}]: ${vendor}`);
    else vendors.push(vendor);
  }
  return vendors;
}

function parseVendor(entry: unknown): Vendor | string {
  if (!isJsonObject(entry)) return "must be an object";
  const name = entry.vendor_name;
  if (typeof name !== "string" || name.trim() === "" || name.length > 256)
    return "vendor_name must be a non-empty string";
  const reputation = typeof entry.reputation === "string" ? entry.reputation.toUpperCase() : "UNKNOWN";
  if (!(REPUTATIONS as readonly string[]).includes(reputation))
    return `unknown reputation ${JSON.stringify(entry.reputation)}`;
  const reliability =
    typeof entry.reliability === "string" && entry.reliability !== "" ? entry.reliability.toUpperCase() : null;
  if (reliability !== null && !(RELIABILITIES as readonly string[]).includes(reliability)) {
    return `unknown reliability ${JSON.stringify(entry.reliability)}`;
  }
  return { vendor_name: name, reputation, reliability } as Vendor;
}

function readStatus(read: ItemReader): boolean | undefined {
  const raw = read.raw("status");
  if (raw === undefined || raw === null || raw === "") return undefined;
  const status = typeof raw === "string" ? raw.toUpperCase() : "";
  if (status !== "ENABLED" && status !== "DISABLED")
    read.reject(`status must be ENABLED or DISABLED; got ${JSON.stringify(raw)}`);
  return status !== "DISABLED";
}

/** Checks one legacy IOC item (insert_jsons, tim_insert_jsons, insert_csv rows, sync files). */
export function parseLegacyItem(raw: unknown, maxStringLength: number): Result<IocDraft> {
  if (!isJsonObject(raw)) return fail(notAnObjectReason(raw));
  const unknown = unknownFieldsReason(raw, LEGACY_ITEM_FIELDS);
  if (unknown) return fail(unknown);
  const read = new ItemReader(raw, maxStringLength);
  for (const field of ["type", "reputation", "reliability"]) upperCased(read, field);
  commentListJoined(read);
  urlSentAsPath(read);
  const fields = readIocFields(read, readSeverity);
  const vendors = readVendors(read);
  const klass = read.has("class") ? read.string("class") : null;
  const enabled = readStatus(read);
  return checkedDraft(read, fields, { ruleId: undefined, vendors, klass, enabled });
}
