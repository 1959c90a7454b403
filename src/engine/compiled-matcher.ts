import { type BiocEntry, BiocIndex, compileBioc } from "./bioc-index.ts";
import type { EndpointEvent } from "./event-model.ts";
import { type IocEntry, IocIndex } from "./ioc-index.ts";
import type { Matcher, RuleHit } from "./rule-hit.ts";

/** The fast matcher: hash lookups for IOCs, indexed predicates for BIOCs. Immutable once built. */
export class CompiledMatcher implements Matcher {
  private constructor(
    private readonly iocs: IocIndex,
    private readonly biocs: BiocIndex,
  ) {}

  static build(iocs: Iterable<IocEntry>, biocs: readonly BiocEntry[]): CompiledMatcher {
    return CompiledMatcher.of(IocIndex.build(iocs), biocs);
  }

  static of(iocs: IocIndex, biocs: readonly BiocEntry[]): CompiledMatcher {
    return new CompiledMatcher(iocs, BiocIndex.build(biocs.map(compileBioc)));
  }

  get iocCount(): number {
    return this.iocs.size;
  }

  get biocCount(): number {
    return this.biocs.size;
  }

  match(event: EndpointEvent, now: number): RuleHit[] {
    const hits: RuleHit[] = [];
    this.iocs.match(event, now, hits);
    if (hits.length > 1) hits.sort((a, b) => a.ruleId - b.ruleId);
    this.biocs.match(event, hits);
    return hits;
  }
}
