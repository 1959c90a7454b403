import type { CorrelationRule } from "../../domain/correlations/correlation-model.ts";

/** A correlation rule as `correlations/get` answers it: every insert field, then what the server keeps. */
export function correlationToWire(rule: CorrelationRule) {
  const d = rule.definition;
  return {
    rule_id: rule.ruleId,
    name: d.name,
    severity: d.severity,
    xql_query: d.xql_query,
    is_enabled: d.is_enabled,
    description: d.description,
    alert_name: d.alert_name,
    alert_category: d.alert_category,
    alert_type: d.alert_type,
    alert_description: d.alert_description,
    alert_domain: d.alert_domain,
    alert_fields: d.alert_fields,
    execution_mode: d.execution_mode,
    search_window: d.search_window,
    simple_schedule: d.simple_schedule,
    timezone: d.timezone,
    crontab: d.crontab,
    suppression_enabled: d.suppression_enabled,
    suppression_duration: d.suppression_duration,
    suppression_fields: d.suppression_fields,
    dataset: d.dataset,
    user_defined_severity: d.user_defined_severity,
    user_defined_category: d.user_defined_category,
    mitre_defs: d.mitre_defs,
    investigation_query_link: d.investigation_query_link,
    drilldown_query_timeframe: d.drilldown_query_timeframe,
    mapping_strategy: d.mapping_strategy,
    action: d.action,
    lookup_mapping: d.lookup_mapping,
    created_by: rule.createdBy,
    insert_time: rule.insertTime,
    modify_time: rule.modifyTime,
    hits: rule.hits,
  };
}
