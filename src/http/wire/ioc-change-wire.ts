import { DAY_MS, type ExpiryDefaults, iocStatus } from "../../domain/ioc/ioc-model.ts";
import type { IocChange } from "../../storage/ports.ts";

/**
 * A change-feed row as `indicators/get_changes` answers it (spec/API.md section 6). The XSOAR
 * integration pages with the last row's RULE_MODIFY_TIME + 1, so that is the time of the change.
 */
export function changeToWire({ rule, changeTime, deleted }: IocChange, now: number, defaults: ExpiryDefaults) {
  const ttlDays = defaults[rule.type];
  return {
    RULE_ID: rule.ruleId,
    RULE_INSERT_TIME: rule.creationTime,
    RULE_MODIFY_TIME: changeTime,
    RULE_SEVERITY: rule.severity,
    NUMBER_OF_HITS: rule.numberOfIssues,
    RULE_SOURCE: rule.source,
    RULE_COMMENT: rule.comment,
    RULE_STATUS: iocStatus(rule, now),
    BS_STATUS: "DONE",
    BS_TS: changeTime,
    BS_RETRIES: 1,
    RULE_EXPIRATION_TIME: rule.expirationDate,
    IOC_TYPE: rule.type,
    RULE_INDICATOR: rule.indicator,
    REPUTATION: rule.reputation,
    RELIABILITY: rule.reliability,
    VENDORS: rule.vendors,
    KLASS: rule.klass,
    IS_DEFAULT_TTL: rule.defaultExpirationEnabled,
    RULE_TTL: rule.defaultExpirationEnabled && ttlDays !== undefined ? ttlDays * DAY_MS : null,
    MARKED_DELETED: deleted,
  };
}
