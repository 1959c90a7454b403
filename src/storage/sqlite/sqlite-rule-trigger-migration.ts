/**
 * Migration 17 of the SQLite schema (issue 13): one audit trigger per rule table and event, where
 * migration 9 had three (one per audit mode, each with its own WHEN).
 *
 * SQLite evaluates every trigger's WHEN for every row, and each of those called back into
 * JavaScript (`warden_audit_mode()`), with a fourth call to count the change: four calls per rule
 * in a bulk insert, about a third of the triggers' cost there. Now a rule change the store records
 * itself (mode 2, the bulk IOC upsert) costs one call, the WHEN, and nothing more: the pack checks
 * with SQLite's own change counter that every change made was recorded (sqlite-audit-pack.ts).
 * Otherwise the trigger hands the change to `warden_audit_item`, which collects it inside an
 * audited write (mode 1) and answers 0 outside one (mode 0), when the trigger writes it as a row of
 * its own. A tool without Warden's functions is still refused: SQLite resolves the functions a
 * trigger names when it prepares the statement that would fire it.
 */
import { biocDoc, enabledAction, iocDoc } from "./sqlite-audit-migration.ts";

interface RuleTable {
  table: string;
  entity: string;
  doc: (row: string) => string;
  updateAction: string;
}

const RULE_TABLES: RuleTable[] = [
  { table: "ioc_rules", entity: "IOC_RULES", doc: iocDoc, updateAction: enabledAction },
  { table: "bioc_rules", entity: "BIOC_RULES", doc: biocDoc, updateAction: "'Edit'" },
];

/** Migration 9's three triggers of one table and event. */
const dropped = (trigger: string) =>
  ["", "_packed", "_counted"].map((mode) => `DROP TRIGGER IF EXISTS ${trigger}${mode};`).join("\n  ");

function ruleTriggers({ table, entity, doc, updateAction }: RuleTable): string {
  const name = table.replace("_rules", "");
  // number_of_issues moves when events match, which is not a change anyone made to the rule
  const edited = "OLD.number_of_issues IS NEW.number_of_issues AND ";
  const events = [
    { event: "INSERT", when: "", row: "NEW", action: "'Create'", before: "NULL", after: doc("NEW") },
    { event: "UPDATE", when: edited, row: "NEW", action: updateAction, before: doc("OLD"), after: doc("NEW") },
    { event: "DELETE", when: "", row: "OLD", action: "'Delete'", before: doc("OLD"), after: "NULL" },
  ];
  return events
    .map(({ event, when, row, action, before, after }) => {
      const trigger = `audit_${name}_${event.toLowerCase()}`;
      const [tenant, target] = [`${row}.tenant_id`, `${row}.rule_id`];
      const who = "warden_audit_at(), warden_audit_actor(), warden_audit_address()";
      return `
  ${dropped(trigger)}
  CREATE TRIGGER ${trigger} AFTER ${event} ON ${table} WHEN ${when}warden_audit_mode() < 2 BEGIN
    INSERT INTO audit_log (tenant_id, at, actor, address, entity, action, target, before, after)
    SELECT ${tenant}, ${who}, '${entity}', ${action}, ${target}, ${before}, ${after}
    WHERE warden_audit_item(${tenant}, '${entity}', ${action}, ${target}, ${before}, ${after}) = 0;
  END;`;
    })
    .join("\n");
}

export const RULE_TRIGGER_MIGRATION = RULE_TABLES.map(ruleTriggers).join("\n");
