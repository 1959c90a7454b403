/**
 * IOC rules as one MISP event: each rule an attribute of the MISP type that fits, `to_ids` on
 * while the rule is enabled, and Warden's severity, reputation and reliability as tags, which its
 * own MISP import reads back.
 */
import type { IocRule } from "../domain/ioc/ioc-model.ts";
import { iocStatus } from "../domain/ioc/ioc-model.ts";
import type { LinkedRule } from "./intel-rules.ts";
import { uuidV5 } from "./uuid-v5.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STIX_ID = /^[a-z0-9-]+--([0-9a-f-]{36})$/;

/** MISP type and category of a rule; undefined for MIXED. A path goes as a filename, which MISP allows. */
function mispType(rule: IocRule): [string, string] | undefined {
  switch (rule.type) {
    case "HASH":
      return [{ 32: "md5", 40: "sha1" }[rule.indicator.length] ?? "sha256", "Payload delivery"];
    case "IP":
      return ["ip-dst", "Network activity"];
    case "DOMAIN_NAME":
      return ["domain", "Network activity"];
    case "URL":
      return ["url", "Network activity"];
    case "FILENAME":
    case "PATH":
      return ["filename", "Payload delivery"];
    case "MIXED":
      return undefined;
  }
}

/** The attribute's uuid: the one it was imported under (a MISP uuid, or a STIX id's uuid), else name-based. */
function attributeUuid({ rule, link }: LinkedRule, tenantId: number): string {
  if (link && link.part === "") {
    if (UUID.test(link.externalId)) return link.externalId.toLowerCase();
    const stix = STIX_ID.exec(link.externalId)?.[1];
    if (stix && UUID.test(stix)) return stix;
  }
  return uuidV5(`ioc-rule/${tenantId}/${rule.ruleId}`);
}

export function mispAttribute(linked: LinkedRule, tenantId: number, now: number): Record<string, unknown> | undefined {
  const { rule } = linked;
  const type = mispType(rule);
  if (!type) return undefined;
  const tags = [`warden:severity="${rule.severity}"`, `warden:reputation="${rule.reputation}"`];
  if (rule.reliability !== null) tags.push(`warden:reliability="${rule.reliability}"`);
  // MISP attributes have no expiry and no off switch: without these a round trip loses both
  if (rule.expirationDate >= 0) tags.push(`warden:expiration="${rule.expirationDate}"`);
  if (!rule.enabled) tags.push('warden:status="DISABLED"');
  return {
    uuid: attributeUuid(linked, tenantId),
    type: type[0],
    category: type[1],
    value: rule.indicator,
    to_ids: iocStatus(rule, now) === "ENABLED",
    comment: rule.comment,
    timestamp: String(Math.floor(rule.modificationTime / 1000)),
    deleted: false,
    Tag: tags.map((name) => ({ name })),
  };
}

export function mispEvent(tenantName: string, tenantId: number, now: number, attributes: unknown[]) {
  return {
    Event: {
      uuid: uuidV5(`misp-export/${tenantId}/${now}`),
      info: `Warden IOC rules of tenant ${tenantName}`,
      date: new Date(now).toISOString().slice(0, 10),
      timestamp: String(Math.floor(now / 1000)),
      threat_level_id: "4",
      analysis: "2",
      distribution: "0",
      published: false,
      Attribute: attributes,
    },
  };
}
