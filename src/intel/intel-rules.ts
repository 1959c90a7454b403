/** A tenant's IOC rules as exports read them: page by page, each with the source id it came from. */
import type { RuleFilter } from "../domain/filters/filter-model.ts";
import type { IocRule } from "../domain/ioc/ioc-model.ts";
import type { IntelLink, IntelLinkStore, IocStore } from "../storage/ports.ts";

export type ExportStore = Pick<IocStore, "findIocs"> & Pick<IntelLinkStore, "intelLinksOfRules">;

export interface LinkedRule {
  rule: IocRule;
  /** The object it was imported from (the first, when several hold the value); undefined when written here. */
  link: IntelLink | undefined;
}

const PAGE = 5_000;

/** Every rule matching the filters, in rule id order, a page at a time. */
export async function* linkedRules(
  store: ExportStore,
  tenantId: number,
  filters: readonly RuleFilter[],
  now: number,
): AsyncGenerator<LinkedRule[]> {
  for (let from = 0; ; from += PAGE) {
    const { rules } = await store.findIocs(tenantId, filters, { from, to: from + PAGE }, now);
    if (rules.length === 0) return;
    const links = await store.intelLinksOfRules(
      tenantId,
      rules.map((r) => r.ruleId),
    );
    const byRule = new Map<number, IntelLink>();
    // a whole-object link (part "") names the rule better than one part of an object
    for (const link of links) if (!byRule.has(link.ruleId) || link.part === "") byRule.set(link.ruleId, link);
    yield rules.map((rule) => ({ rule, link: byRule.get(rule.ruleId) }));
    if (rules.length < PAGE) return;
  }
}
