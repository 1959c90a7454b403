/** What apply would do: repository rules matched to server rules by kind and key (name, or IOC value). */
import { diffRule, type FieldDiff } from "./compare-rules.ts";
import type { RemoteRule, RemoteState } from "./remote-state.ts";
import type { Position, RepoRule } from "./repo-model.ts";
import type { KindName } from "./rule-kinds.ts";

export interface Change {
  action: "create" | "update" | "delete";
  kind: KindName;
  key: string;
  /** The server's rule, for updates and deletes. */
  ruleId?: number;
  /** The repository's rule, for creates and updates. */
  at?: Position;
  fields?: Record<string, unknown>;
  diffs?: FieldDiff[];
}

export interface Plan {
  changes: Change[];
  /** Server rules the repository does not hold, left alone without --prune. */
  unmanaged: number;
  skipped: RemoteState["skipped"];
}

const id = (kind: KindName, key: string) => `${kind}\u0000${key}`;

function repoChange(rule: RepoRule, server: RemoteRule | undefined): Change | undefined {
  const base = { kind: rule.kind, key: rule.key, at: rule.at, fields: rule.fields };
  if (!server) return { action: "create", ...base };
  const diffs = diffRule(rule.kind, server.fields, rule.fields);
  return diffs.length === 0 ? undefined : { action: "update", ...base, ruleId: server.ruleId, diffs };
}

export function planChanges(repo: readonly RepoRule[], remote: RemoteState, prune: boolean): Plan {
  const skippedKinds = new Set(remote.skipped.map((s) => s.kind));
  const server = new Map<string, RemoteRule>();
  // Names are not unique on a server: the lowest rule id is the one a name maps to, the rest are unmanaged.
  for (const rule of remote.rules) if (!server.has(id(rule.kind, rule.key))) server.set(id(rule.kind, rule.key), rule);
  const changes: Change[] = [];
  const managed = new Set<RemoteRule>();
  for (const rule of repo) {
    if (skippedKinds.has(rule.kind)) continue;
    const match = server.get(id(rule.kind, rule.key));
    if (match) managed.add(match);
    const change = repoChange(rule, match);
    if (change) changes.push(change);
  }
  const extra = remote.rules.filter((rule) => !managed.has(rule));
  if (prune)
    for (const rule of extra) changes.push({ action: "delete", kind: rule.kind, key: rule.key, ruleId: rule.ruleId });
  return { changes, unmanaged: prune ? 0 : extra.length, skipped: remote.skipped };
}

function countOf(plan: Plan, action: Change["action"]): number {
  return plan.changes.filter((c) => c.action === action).length;
}

export function planSummary(plan: Plan): string {
  const left =
    plan.unmanaged > 0
      ? `; ${plan.unmanaged} server rules not in the repository left alone (--prune deletes them)`
      : "";
  if (plan.changes.length === 0) return `No changes: the server matches the repository${left}.`;
  return `Plan: ${countOf(plan, "create")} to create, ${countOf(plan, "update")} to update, ${countOf(plan, "delete")} to delete${left}.`;
}

const SIGNS = { create: "+", update: "~", delete: "-" } as const;

/** The plan as a reviewer reads it: one line per rule, one per changed field. */
export function planLines(plan: Plan): string[] {
  const lines = plan.skipped.map((s) => `note: ${s.kind}: ${s.reason}`);
  for (const change of plan.changes) {
    const where = change.at ? ` (${change.at.file}:${change.at.line})` : ` (rule ${change.ruleId})`;
    lines.push(`${SIGNS[change.action]} ${change.kind} ${JSON.stringify(change.key)}${where}`);
    for (const diff of change.diffs ?? [])
      lines.push(
        `    ${diff.field}: ${JSON.stringify(diff.from) ?? "(absent)"} -> ${JSON.stringify(diff.to) ?? "(absent)"}`,
      );
  }
  lines.push(planSummary(plan));
  return lines;
}
