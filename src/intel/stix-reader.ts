/**
 * Reads a STIX 2.1 bundle (or a TAXII envelope, which holds the same `objects`): indicators with
 * STIX patterns, and bare observables that no indicator in the bundle already covers. A STIX 2.0
 * indicator (no `spec_version` of its own) has no `pattern_type`: its pattern is STIX.
 */
import { canonicalIndicator } from "../domain/ioc/ioc-values.ts";
import { commentOf, type IntelFields, intelDraft } from "./intel-draft.ts";
import { emptyBatch, type IntelBatch } from "./intel-model.ts";
import {
  ownReliability,
  ownReputation,
  ownSeverity,
  reliabilityOfConfidence,
  reputationOfLabels,
} from "./intel-opinion.ts";
import { type IocValue, iocValueOf, iocValuesOfPattern } from "./stix-ioc-map.ts";
import { parseStixPattern } from "./stix-pattern.ts";
import { parseStixTime } from "./stix-time.ts";

type StixObject = Record<string, unknown> & { id: string; type: string };

const OBSERVABLE_TYPES: ReadonlySet<string> = new Set(["file", "ipv4-addr", "ipv6-addr", "domain-name", "url"]);

/** Whether a parsed JSON document looks like a bundle or an envelope of STIX objects. */
export function isStixDocument(doc: unknown): boolean {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return false;
  const record = doc as Record<string, unknown>;
  return record.type === "bundle" || (Array.isArray(record.objects) && record.type === undefined);
}

export function readStix(doc: unknown): IntelBatch {
  const batch = emptyBatch();
  const objects = (doc as { objects?: unknown }).objects;
  if (!Array.isArray(objects)) {
    batch.rejected.push({ ref: "bundle", reason: "the bundle has no objects list" });
    return batch;
  }
  const latest = latestVersions(objects, batch);
  const covered = new Set<string>();
  for (const object of latest) if (object.type === "indicator") readIndicator(object, batch, covered);
  for (const object of latest) {
    if (object.type === "indicator") continue;
    if (OBSERVABLE_TYPES.has(object.type)) readObservable(object, batch, covered);
    else
      batch.rejected.push({
        ref: object.id,
        reason: `unsupported type: ${object.type} objects are neither indicators nor observables`,
      });
  }
  return batch;
}

/** Several versions of one object may share a bundle: the newest `modified` wins. */
function latestVersions(objects: unknown[], batch: IntelBatch): StixObject[] {
  const byId = new Map<string, StixObject>();
  for (const [index, raw] of objects.entries()) {
    const object = raw as Partial<StixObject> | null;
    if (
      typeof object !== "object" ||
      object === null ||
      typeof object.id !== "string" ||
      typeof object.type !== "string"
    ) {
      batch.rejected.push({ ref: `objects[${index}]`, reason: "not a STIX object (no id or type)" });
      continue;
    }
    const seen = byId.get(object.id);
    if (!seen || modifiedTime(object) > modifiedTime(seen)) byId.set(object.id, object as StixObject);
  }
  return [...byId.values()];
}

/** When a version was made, as a number: "…48Z" is earlier than "…48.500Z", which text order denies. */
function modifiedTime(object: Partial<StixObject>): number {
  return parseStixTime(object.modified) ?? Number.NEGATIVE_INFINITY;
}

function readIndicator(object: StixObject, batch: IntelBatch, covered: Set<string>): void {
  const read = indicatorValues(object);
  if (read === "revoked") return void batch.records.push({ kind: "delete", externalId: object.id });
  if (typeof read === "string") return void batch.rejected.push({ ref: object.id, reason: read });
  for (const value of read.values) {
    addRule(object.id, value, read.fields, batch);
    const canonical = canonicalIndicator(value.type, value.value);
    if (canonical) covered.add(canonical);
  }
}

/** The values an indicator's pattern holds, with its fields; "revoked"; or why it cannot be a rule. */
function indicatorValues(object: StixObject): { values: IocValue[]; fields: IntelFields } | "revoked" | string {
  if (object.revoked === true && !disabledByWarden(object)) return "revoked";
  const patternType = object.pattern_type ?? (object.spec_version === undefined ? "stix" : undefined);
  if (patternType !== "stix") return `pattern_type '${String(object.pattern_type)}' is not stix`;
  if (typeof object.pattern !== "string") return "the indicator has no pattern";
  const fields = indicatorFields(object);
  if (typeof fields === "string") return fields;
  const observation = parseStixPattern(object.pattern);
  if (!observation.ok) return observation.error;
  const values = iocValuesOfPattern(observation.value);
  if (!values.ok) return values.error;
  return { values: values.value, fields };
}

/** The rule fields an indicator carries, or why they cannot be read. */
function indicatorFields(object: StixObject): IntelFields | string {
  let expirationDate: number | undefined;
  if (object.valid_until !== undefined) {
    expirationDate = parseStixTime(object.valid_until);
    if (expirationDate === undefined) return `valid_until '${String(object.valid_until)}' is not a STIX timestamp`;
  }
  return {
    severity: ownSeverity(object.x_warden_severity),
    expirationDate,
    comment: commentOf(object.name, object.description),
    reputation: ownReputation(object.x_warden_reputation) ?? reputationOfLabels(object.indicator_types, object.labels),
    reliability: ownReliability(object.x_warden_reliability) ?? reliabilityOfConfidence(object.confidence),
    enabled: wardenEnabled(object),
  };
}

/** A disabled rule in Warden's own export: revoked for other readers, a disabled rule for Warden. */
function disabledByWarden(object: StixObject): boolean {
  return object.x_warden_status === "DISABLED";
}

/** Warden's own objects say whether the rule is on (a feed mirrors it both ways); others leave it be. */
function wardenEnabled(object: StixObject): boolean | undefined {
  if (disabledByWarden(object)) return false;
  return typeof object.x_warden_severity === "string" ? true : undefined;
}

function addRule(externalId: string, value: IocValue, fields: IntelFields, batch: IntelBatch): void {
  const draft = intelDraft(value.type, value.value, fields);
  const ref = value.part === "" ? externalId : `${externalId}#${value.part}`;
  if (!draft.ok) batch.rejected.push({ ref, reason: draft.error });
  else batch.records.push({ kind: "rule", externalId, part: value.part, draft: draft.value });
}

/** A file gives a rule per hash (its name only when it has none); the others their value. */
function readObservable(object: StixObject, batch: IntelBatch, covered: Set<string>): void {
  if (object.revoked === true || object.defanged === true) {
    const why = object.revoked === true ? "a revoked observable" : "a defanged value";
    return void batch.rejected.push({ ref: object.id, reason: `${why} is not a rule` });
  }
  const values = observableValues(object);
  if (values.length === 0)
    return void batch.rejected.push({ ref: object.id, reason: "the observable holds no value a rule can match" });
  const fields: IntelFields = {};
  for (const [part, path, value] of values) {
    const read = iocValueOf(object.type, path, value);
    if (!read.ok) {
      batch.rejected.push({ ref: part === "" ? object.id : `${object.id}#${part}`, reason: read.error });
      continue;
    }
    const canonical = canonicalIndicator(read.value.type, read.value.value);
    if (canonical && covered.has(canonical)) continue; // an indicator of this bundle already holds it
    addRule(object.id, { part, ...read.value }, fields, batch);
  }
}

function observableValues(object: StixObject): [string, string, string][] {
  if (object.type !== "file") return typeof object.value === "string" ? [["", "value", object.value]] : [];
  const hashes = typeof object.hashes === "object" && object.hashes !== null ? Object.entries(object.hashes) : [];
  const found = hashes
    .filter((entry): entry is [string, string] => typeof entry[1] === "string")
    .map(([name, value]): [string, string, string] => [name, `hashes.${name.toLowerCase()}`, value]);
  if (found.length > 0) return found;
  return typeof object.name === "string" ? [["", "name", object.name]] : [];
}
