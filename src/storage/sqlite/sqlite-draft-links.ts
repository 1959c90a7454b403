/**
 * An upsert's intel links (WriteContext.links) written as the upsert's last step, inside its
 * transaction on whichever connection runs it (the main one, or the bulk one).
 */
import { linksOfOutcomes } from "../draft-links.ts";
import type { UpsertOutcome, WriteContext } from "../ports.ts";
import type { SqliteDb } from "./sqlite-database.ts";

export type WithLinks = (
  tenantId: number,
  ctx: WriteContext,
  steps: Generator<void, UpsertOutcome[]>,
) => Generator<void, UpsertOutcome[]>;

export function sqliteDraftLinks(db: SqliteDb): WithLinks {
  const save = db.prepare(
    `INSERT INTO intel_links (tenant_id, external_id, part, rule_id, fingerprint) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (tenant_id, external_id, part) DO UPDATE SET rule_id = excluded.rule_id, fingerprint = excluded.fingerprint`,
  );
  return function* withLinks(tenantId, ctx, steps) {
    const outcomes = yield* steps;
    for (const link of linksOfOutcomes(outcomes, ctx.links))
      save.run(tenantId, link.externalId, link.part, link.ruleId, link.fingerprint);
    return outcomes;
  };
}
