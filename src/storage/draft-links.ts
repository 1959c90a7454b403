import type { DraftLink, IntelLink, UpsertOutcome } from "./ports.ts";

/** The links of an upsert's drafts that now hold a rule (WriteContext.links), with their rule ids. */
export function linksOfOutcomes(outcomes: readonly UpsertOutcome[], links: readonly DraftLink[] = []): IntelLink[] {
  const saved: IntelLink[] = [];
  for (const [index, outcome] of outcomes.entries()) {
    const link = links[index];
    if (link && outcome.kind !== "failed") saved.push({ ...link, ruleId: outcome.ruleId });
  }
  return saved;
}
