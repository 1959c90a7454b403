/**
 * A tenant's matchable rules in a form that crosses to a worker thread cheaply: the IOC rules as
 * columns (typed arrays and one string of all keys) rather than a million small objects, whose
 * structured clone would cost seconds on the sending thread. Each worker builds its own matcher
 * from it; the sender keeps only this (about 70 bytes an IOC rule), not a matcher.
 */

import type { CorrelationRule } from "../domain/correlations/correlation-model.ts";
import { type IocType, SEVERITIES, type Severity } from "../domain/ioc/ioc-model.ts";
import type { MatchableIoc } from "../storage/ports.ts";
import type { BiocEntry } from "./bioc-index.ts";

const IOC_TYPES: readonly IocType[] = ["HASH", "IP", "DOMAIN_NAME", "URL", "PATH", "FILENAME", "MIXED"];

export interface IocColumns {
  ruleIds: Int32Array;
  types: Uint8Array;
  severities: Uint8Array;
  expirations: Float64Array;
  /** Every canonical key, end to end; `keyEnds[i]` is where rule i's ends. */
  keys: string;
  keyEnds: Uint32Array;
  /** [slot, stored spelling] where it differs from the canonical key. */
  names: [number, string][];
}

export interface RuleSnapshot {
  tenantId: number;
  version: number;
  iocs: IocColumns;
  biocs: BiocEntry[];
  /** The enabled correlation rules, run where the events are parsed (absent: none). */
  correlations?: CorrelationRule[];
}

/** Collects IOC rules one at a time (a store streams them) into columns. */
export function iocColumnsBuilder(): { add(rule: MatchableIoc): void; finish(): IocColumns } {
  const ids: number[] = [];
  const types: number[] = [];
  const severities: number[] = [];
  const expirations: number[] = [];
  const keyParts: string[] = [];
  const keyEnds: number[] = [];
  const names: [number, string][] = [];
  let end = 0;
  return {
    add(rule) {
      const slot = ids.length;
      ids.push(rule.ruleId);
      types.push(IOC_TYPES.indexOf(rule.type));
      severities.push(SEVERITIES.indexOf(rule.severity));
      expirations.push(rule.expirationDate);
      keyParts.push(rule.canonical);
      end += rule.canonical.length;
      keyEnds.push(end);
      if (rule.indicator !== rule.canonical) names.push([slot, rule.indicator]);
    },
    finish: () => ({
      ruleIds: Int32Array.from(ids),
      types: Uint8Array.from(types),
      severities: Uint8Array.from(severities),
      expirations: Float64Array.from(expirations),
      keys: keyParts.join(""),
      keyEnds: Uint32Array.from(keyEnds),
      names,
    }),
  };
}

/** The rules back, one at a time, as the IOC index builder takes them. */
export function* iocRules(columns: IocColumns): Generator<MatchableIoc> {
  const names = new Map(columns.names);
  let start = 0;
  for (let slot = 0; slot < columns.ruleIds.length; slot++) {
    const end = columns.keyEnds[slot] as number;
    const canonical = columns.keys.slice(start, end);
    start = end;
    yield {
      ruleId: columns.ruleIds[slot] as number,
      canonical,
      indicator: names.get(slot) ?? canonical,
      type: IOC_TYPES[columns.types[slot] as number] as IocType,
      severity: SEVERITIES[columns.severities[slot] as number] as Severity,
      expirationDate: columns.expirations[slot] as number,
    };
  }
}
