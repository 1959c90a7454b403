/**
 * The IOC half of a compiled matcher: one hash map per IOC type from canonical value to a rule
 * slot, with the rules' ids, severities and expiries in typed arrays (a few bytes a rule).
 * Domain rules also match sub-domains, by looking up each suffix of an event's host name.
 */
import { type IocType, SEVERITIES, type Severity } from "../domain/ioc/ioc-model.ts";
import { canonicalIndicator } from "../domain/ioc/ioc-values.ts";
import type { MatchableIoc } from "../storage/ports.ts";
import { type EndpointEvent, IOC_EVENT_FIELDS, MIXED_EVENT_FIELDS } from "./event-model.ts";
import { KeyFilter, keyHashFrom } from "./key-filter.ts";
import type { RuleHit } from "./rule-hit.ts";

/** What the index needs of a stored, enabled IOC rule. */
export type IocEntry = MatchableIoc;

/** The canonical key an event value would have under a rule of this type (see ioc-values.ts). */
export function eventKey(type: IocType, value: string): string | undefined {
  switch (type) {
    case "HASH":
    case "PATH":
    case "FILENAME":
      return value.trim().toLowerCase();
    case "IP":
      return value.includes(":") ? canonicalIndicator("IP", value) : value.trim();
    case "DOMAIN_NAME": {
      const host = value.trim().toLowerCase();
      return host.endsWith(".") ? host.slice(0, -1) : host;
    }
    case "URL":
      return canonicalIndicator("URL", value);
    case "MIXED":
      return value.trim();
  }
}

/** The fields a rule of this type is checked against. */
export function fieldsOf(type: IocType): readonly string[] {
  return type === "MIXED" ? MIXED_EVENT_FIELDS : IOC_EVENT_FIELDS[type];
}

/** One event field to look up, resolved at build time so matching does no per-type dispatch. */
interface Probe {
  field: string;
  type: IocType;
  /** The field's place in fieldsOf(type): a rule hit through two fields reports the first. */
  rank: number;
  keys: Map<string, number>;
  filter: KeyFilter;
}

const TYPES_IN_ORDER: readonly IocType[] = ["HASH", "IP", "DOMAIN_NAME", "URL", "PATH", "FILENAME", "MIXED"];

export class IocIndex {
  /**
   * Event field -> the (type, field) probes whose type has rules. Matching walks the event's own
   * keys and looks each up here: a dozen-key event costs a dozen map lookups, where reading all
   * 25 watched fields by name (most absent) cost three times as much (megamorphic keyed loads).
   */
  private readonly byField = new Map<string, Probe[]>();

  private constructor(
    keys: ReadonlyMap<IocType, Map<string, number>>,
    private readonly ruleIds: Int32Array,
    private readonly severities: Uint8Array,
    private readonly expirations: Float64Array,
    /** The stored spelling, kept only where it differs from the canonical key. */
    private readonly names: ReadonlyMap<number, string>,
  ) {
    for (const type of TYPES_IN_ORDER) {
      const map = keys.get(type);
      if (!map || map.size === 0) continue;
      const filter = new KeyFilter(map.keys(), map.size);
      fieldsOf(type).forEach((field, rank) => {
        const probes = this.byField.get(field) ?? [];
        probes.push({ field, type, rank, keys: map, filter });
        this.byField.set(field, probes);
      });
    }
  }

  get size(): number {
    return this.ruleIds.length;
  }

  static build(entries: Iterable<IocEntry>): IocIndex {
    const builder = IocIndex.builder();
    for (const entry of entries) builder.add(entry);
    return builder.finish();
  }

  /** Takes rules one at a time, so a store can stream a million of them without a copy. */
  static builder(): { add(entry: IocEntry): void; finish(): IocIndex } {
    const keys = new Map(TYPES_IN_ORDER.map((type) => [type, new Map<string, number>()]));
    const ids: number[] = [];
    const severities: number[] = [];
    const expirations: number[] = [];
    const names = new Map<number, string>();
    return {
      add(entry) {
        const slot = ids.length;
        keys.get(entry.type)?.set(entry.canonical, slot);
        ids.push(entry.ruleId);
        severities.push(SEVERITIES.indexOf(entry.severity));
        expirations.push(entry.expirationDate);
        if (entry.indicator !== entry.canonical) names.set(slot, entry.indicator);
      },
      finish: () =>
        new IocIndex(keys, Int32Array.from(ids), Uint8Array.from(severities), Float64Array.from(expirations), names),
    };
  }

  /**
   * Appends this event's IOC hits to `hits`, one per rule, the first matching field (in
   * fieldsOf order) reported; the hits come in the order of the event's keys.
   */
  match(event: EndpointEvent, now: number, hits: RuleHit[]): void {
    const start = hits.length;
    const byField = this.byField;
    for (const name in event) {
      const probes = byField.get(name);
      if (probes === undefined) continue;
      const value = event[name];
      if (typeof value !== "string" || value === "") continue;
      for (let p = 0; p < probes.length; p++) {
        const probe = probes[p] as Probe;
        const key = eventKey(probe.type, value);
        if (key === undefined) continue;
        if (probe.type === "DOMAIN_NAME") this.matchHost(probe, key, value, now, hits, start);
        else if (probe.filter.mightHave(key)) this.hit(probe.keys.get(key), key, probe, value, now, hits, start);
      }
    }
  }

  /** A host name and each suffix after a dot (a.b.c, b.c, c), hashed in place: only a likely key is cut out. */
  private matchHost(probe: Probe, host: string, value: string, now: number, hits: RuleHit[], start: number): void {
    for (let from = 0; ; ) {
      if (probe.filter.mightHaveHash(keyHashFrom(host, from))) {
        const suffix = from === 0 ? host : host.slice(from);
        this.hit(probe.keys.get(suffix), suffix, probe, value, now, hits, start);
      }
      const dot = host.indexOf(".", from);
      if (dot === -1) return;
      from = dot + 1;
    }
  }

  private hit(
    slot: number | undefined,
    key: string,
    probe: Probe,
    value: string,
    now: number,
    hits: RuleHit[],
    start: number,
  ) {
    if (slot === undefined) return;
    const expiry = this.expirations[slot] as number;
    if (expiry >= 0 && expiry <= now) return;
    const ruleId = this.ruleIds[slot] as number;
    const hit: RuleHit = {
      source: "IOC",
      ruleId,
      name: this.names.get(slot) ?? key,
      severity: SEVERITIES[this.severities[slot] as number] as Severity,
      field: probe.field,
      value,
    };
    for (let i = start; i < hits.length; i++) {
      const earlier = hits[i] as RuleHit;
      if (earlier.ruleId !== ruleId) continue;
      // Fields are met in the event's key order: keep the one fieldsOf lists first (a rare path).
      if (probe.rank < fieldsOf(probe.type).indexOf(earlier.field)) hits[i] = hit;
      return;
    }
    hits.push(hit);
  }
}
