/**
 * Migration 9 of the SQLite schema (issue 13): a write's rule changes recorded as ONE audit row.
 *
 * Migration 4's triggers inserted one audit row (and its time-index entry) per rule changed,
 * which cost a bulk insert about a third of its time. Now, inside an audited write (sqlite-audit.ts),
 * the rule triggers hand each change to `warden_audit_item`, which collects it in memory; before
 * the transaction commits the write stores them as one row whose `items` lists each rule's
 * action, target, before and after. A store that describes its changes itself (the bulk IOC
 * upsert) has the triggers only count them, and fails the write if a change went unrecorded. A change made outside an audited write on a Warden
 * connection is still logged row by row, and a tool without Warden's functions is still refused
 * (the WHEN clauses call them). Readers see one entry per rule through the `audit_entries` view.
 */
import { audit, biocDoc, enabledAction, iocDoc } from "./sqlite-audit-migration.ts";

type Doc = (r: string) => string;

interface RuleTable {
  table: string;
  entity: string;
  doc: Doc;
  updateAction: string;
}

const RULE_TABLES: RuleTable[] = [
  { table: "ioc_rules", entity: "IOC_RULES", doc: iocDoc, updateAction: enabledAction },
  { table: "bioc_rules", entity: "BIOC_RULES", doc: biocDoc, updateAction: "'Edit'" },
];

const collect = (tenant: string, entity: string, action: string, target: string, before: string, after: string) =>
  `SELECT warden_audit_item(${tenant}, '${entity}', ${action}, ${target}, ${before}, ${after});`;

/** The insert, update and delete triggers of one rule table: collected when packing, a row otherwise. */
function ruleTriggers({ table, entity, doc, updateAction }: RuleTable): string {
  const name = table.replace("_rules", "");
  // number_of_issues moves when events match, which is not a change anyone made to the rule
  const edited = "OLD.number_of_issues IS NEW.number_of_issues";
  const events = [
    { event: "INSERT", when: "", row: "NEW", action: "'Create'", before: "NULL", after: doc("NEW") },
    {
      event: "UPDATE",
      when: `${edited} AND `,
      row: "NEW",
      action: updateAction,
      before: doc("OLD"),
      after: doc("NEW"),
    },
    { event: "DELETE", when: "", row: "OLD", action: "'Delete'", before: doc("OLD"), after: "NULL" },
  ];
  return events
    .map(({ event, when, row, action, before, after }) => {
      const trigger = `audit_${name}_${event.toLowerCase()}`;
      const args = [`${row}.tenant_id`, entity, action, `${row}.rule_id`, before, after] as const;
      return `
  DROP TRIGGER ${trigger};
  CREATE TRIGGER ${trigger} AFTER ${event} ON ${table} WHEN ${when}warden_audit_mode() = 0 BEGIN
    ${audit(`${row}.tenant_id`, entity, action, `${row}.rule_id`, before, after)}
  END;
  CREATE TRIGGER ${trigger}_packed AFTER ${event} ON ${table} WHEN ${when}warden_audit_mode() = 1 BEGIN
    ${collect(...args)}
  END;
  CREATE TRIGGER ${trigger}_counted AFTER ${event} ON ${table} WHEN ${when}warden_audit_mode() = 2 BEGIN
    SELECT warden_audit_seen();
  END;`;
    })
    .join("\n");
}

export const AUDIT_PACKING_MIGRATION = `
  -- a packed row: items is a JSON array of {action, target, before, after}, one per rule changed
  ALTER TABLE audit_log ADD COLUMN items TEXT;
  ALTER TABLE audit_log ADD COLUMN items_count INTEGER NOT NULL DEFAULT 1;
  ${RULE_TABLES.map(ruleTriggers).join("\n")}

  -- one entry per change, packed or not; (id, item) orders them as they were made
  CREATE VIEW audit_entries AS
    SELECT id, 0 AS item, tenant_id, at, actor, address, entity, action, target, before, after, result, reason
      FROM audit_log WHERE items IS NULL
    UNION ALL
    SELECT log.id, entry.key, log.tenant_id, log.at, log.actor, log.address, log.entity,
      json_extract(entry.value, '$.action'), json_extract(entry.value, '$.target'),
      json_extract(entry.value, '$.before'), json_extract(entry.value, '$.after'), log.result, log.reason
      FROM audit_log AS log, json_each(log.items) AS entry WHERE log.items IS NOT NULL;
`;
