/**
 * TAXII 2.1 `objects/<id>/`: one indicator of a tenant's collection, as its pages serve it
 * (taxii-collection.ts). Rather than reading the whole change feed for it, the rules that could
 * bear the id are found first: those a whole imported object with that id made (intel links),
 * and the one whose derived id it is (derived-rule-ids.ts). Each is checked by building its id
 * the way the pages do. Only when no live rule bears the id (a deleted rule, served revoked; an
 * id of nothing) is the feed read, as before.
 */
import type { IocRule } from "../domain/ioc/ioc-model.ts";
import type { DerivedRuleIds } from "./derived-rule-ids.ts";
import { indicatorId, stixIndicator } from "./stix-writer.ts";
import { scannedTaxiiObject, type TaxiiEntry, type TaxiiStore, wholeObjectLinks } from "./taxii-collection.ts";

/** Every id this collection serves has this form (stix-writer.ts): anything else names nothing. */
const INDICATOR_ID = /^indicator--([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export async function taxiiObject(
  store: TaxiiStore,
  derived: DerivedRuleIds,
  tenantId: number,
  id: string,
  now: number,
): Promise<TaxiiEntry | undefined> {
  const uuid = INDICATOR_ID.exec(id)?.[1];
  if (uuid === undefined) return undefined;
  const ruleIds = new Set([
    ...(await linkedRuleIds(store, tenantId, id, uuid)),
    ...(await derived.candidates(tenantId, id, await highestRuleId(store, tenantId, now))),
  ]);
  return (await liveEntry(store, tenantId, id, [...ruleIds], now)) ?? scannedTaxiiObject(store, tenantId, id, now);
}

/**
 * Rules made by a whole imported object named by this id: a STIX id as it came, or a MISP
 * attribute's bare UUID (matched here in lower or upper case; another spelling is found by the
 * feed).
 */
async function linkedRuleIds(store: TaxiiStore, tenantId: number, id: string, uuid: string): Promise<number[]> {
  const links = await store.findIntelLinks(tenantId, [id, uuid, uuid.toUpperCase()]);
  return links.filter((link) => link.part === "" && link.live).map((link) => link.ruleId);
}

async function highestRuleId(store: TaxiiStore, tenantId: number, now: number): Promise<number> {
  const page = { from: 0, to: 1, sort: { field: "rule_id", descending: true } };
  const { rules } = await store.findIocs(tenantId, [], page, now);
  return rules[0]?.ruleId ?? 0;
}

/** The entry of whichever of these live rules bears the id, as the collection's pages serve it. */
async function liveEntry(
  store: TaxiiStore,
  tenantId: number,
  id: string,
  ruleIds: number[],
  now: number,
): Promise<TaxiiEntry | undefined> {
  if (ruleIds.length === 0) return undefined;
  const filter = { field: "rule_id", operator: "IN" as const, values: ruleIds };
  const { rules } = await store.findIocs(tenantId, [filter], { from: 0, to: ruleIds.length }, now);
  const links = wholeObjectLinks(
    await store.intelLinksOfRules(
      tenantId,
      rules.map((r) => r.ruleId),
    ),
  );
  // Rules come in id order; as the feed's last entry, the last changed wins (two objects, a STIX id
  // and the same bare UUID, could name two rules).
  let latest: TaxiiEntry | undefined;
  for (const rule of rules) {
    const linked = { rule, link: links.get(rule.ruleId) };
    if (indicatorId(linked, tenantId) !== id) continue;
    const changeTime = changeTimeOf(rule, now);
    const object = stixIndicator(linked, { tenantId, now, revokeExpired: true, versionTime: changeTime });
    if (object && (!latest || changeTime >= latest.dateAdded)) latest = { object, dateAdded: changeTime };
  }
  return latest;
}

/**
 * When the feed last saw a live rule change: its expiry once that has passed (and came after its
 * last write), its last write otherwise; the stores' change pages say the same in SQL.
 */
function changeTimeOf(rule: IocRule, now: number): number {
  const expiry = rule.expirationDate;
  return expiry >= 0 && expiry <= now && expiry > rule.modificationTime ? expiry : rule.modificationTime;
}
