/**
 * The oracle: every rule tried on every event, with no index. Slow and obviously right; the
 * compiled matcher must give exactly its hits (see linear-matcher.test.ts).
 */
import { ANY_EVENT_TYPE, type BiocEntry, biocHit, type CompiledBioc, compileBioc } from "./bioc-index.ts";
import { type EndpointEvent, eventTypeOf } from "./event-model.ts";
import { eventKey, fieldsOf, type IocEntry } from "./ioc-index.ts";
import { compareHits, type Matcher, type RuleHit, valueText } from "./rule-hit.ts";

function iocMatches(rule: IocEntry, key: string): boolean {
  if (rule.type !== "DOMAIN_NAME") return key === rule.canonical;
  return key === rule.canonical || key.endsWith(`.${rule.canonical}`);
}

function iocHit(rule: IocEntry, event: EndpointEvent, now: number): RuleHit | undefined {
  if (rule.expirationDate >= 0 && rule.expirationDate <= now) return undefined;
  for (const field of fieldsOf(rule.type)) {
    const value = event[field];
    if (typeof value !== "string" || value === "") continue;
    const key = eventKey(rule.type, value);
    if (key === undefined || !iocMatches(rule, key)) continue;
    const { ruleId, severity } = rule;
    const name = rule.indicator !== rule.canonical ? rule.indicator : rule.canonical;
    return { source: "IOC", ruleId, name, severity, field, value: valueText(value) };
  }
  return undefined;
}

export class LinearMatcher implements Matcher {
  private readonly biocs: CompiledBioc[];

  constructor(
    private readonly iocs: readonly IocEntry[],
    biocs: readonly BiocEntry[],
  ) {
    this.biocs = biocs.map(compileBioc);
  }

  get iocCount(): number {
    return this.iocs.length;
  }

  get biocCount(): number {
    return this.biocs.length;
  }

  match(event: EndpointEvent, now: number): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const rule of this.iocs) {
      const hit = iocHit(rule, event, now);
      if (hit) hits.push(hit);
    }
    const type = eventTypeOf(event);
    for (const rule of this.biocs) {
      if (rule.eventType !== type && rule.eventType !== ANY_EVENT_TYPE) continue;
      const hit = biocHit(rule, event);
      if (hit) hits.push(hit);
    }
    return hits.sort(compareHits);
  }
}
