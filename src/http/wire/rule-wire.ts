import type { BiocRule } from "../../domain/bioc/bioc-model.ts";
import { type IocRule, iocStatus } from "../../domain/ioc/ioc-model.ts";

/** A stored IOC rule as `indicators/get` answers it. */
export function iocToWire(rule: IocRule, now: number) {
  return {
    rule_id: rule.ruleId,
    indicator: rule.indicator,
    type: rule.type,
    severity: rule.severity,
    expiration_date: rule.expirationDate,
    default_expiration_enabled: rule.defaultExpirationEnabled,
    comment: rule.comment,
    reputation: rule.reputation,
    reliability: rule.reliability,
    status: iocStatus(rule, now),
    creation_time: rule.creationTime,
    modification_time: rule.modificationTime,
    source: rule.source,
    number_of_issues: rule.numberOfIssues,
  };
}

/** A stored BIOC rule as `bioc/get` answers it; the indicator exactly as it was sent. */
export function biocToWire(rule: BiocRule) {
  return {
    rule_id: rule.ruleId,
    name: rule.name,
    type: rule.type,
    severity: rule.severity,
    comment: rule.comment,
    status: rule.status,
    is_xql: rule.isXql,
    indicator: rule.indicator,
    mitre_tactic_id_and_name: rule.mitreTacticIdAndName,
    mitre_technique_id_and_name: rule.mitreTechniqueIdAndName,
    creation_time: rule.creationTime,
    modification_time: rule.modificationTime,
    source: rule.source,
    number_of_issues: rule.numberOfIssues,
  };
}
