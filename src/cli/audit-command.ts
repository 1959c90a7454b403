import { Command } from "commander";
import type { Services } from "../app.ts";
import { describeAuditEntry } from "../domain/audit/audit-description.ts";
import type { AuditEntry } from "../domain/audit/audit-model.ts";
import { exitWithError, printJson, withServices } from "./cli-context.ts";
import { auditPruneCommand } from "./retention-command.ts";

interface AuditOptions {
  tenant?: string;
  since?: string;
  limit: string;
  oldestFirst?: boolean;
  json?: boolean;
}

const PAGE = 1000;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** An ISO-8601 date, epoch milliseconds, or an age such as 30m, 24h or 7d. */
export function parseSince(text: string, now: number): number | undefined {
  const age = /^(\d{1,9})([smhd])$/.exec(text.trim());
  if (age) return now - Number(age[1]) * (UNIT_MS[age[2] as string] as number);
  if (/^\d{1,16}$/.test(text.trim())) return Number(text);
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function parseLimit(text: string): number {
  if (!/^\d{1,9}$/.test(text)) exitWithError(`--limit '${text}' is not a whole number`);
  return Number(text) === 0 ? Number.POSITIVE_INFINITY : Number(text);
}

function printEntry(entry: AuditEntry, tenant: string, json: boolean | undefined): void {
  const time = new Date(entry.at).toISOString();
  const description = describeAuditEntry(entry);
  if (json) {
    const { id, at, actor, address, entity, action, target, before, after } = entry;
    printJson({ id, tenant, at, time, actor, address, entity, action, target, description, before, after });
  } else process.stdout.write(`${time}\t${tenant}\t${entry.actor}\t${entry.entity}\t${entry.action}\t${description}\n`);
}

async function showAudit({ tenants, audit, clock }: Services, options: AuditOptions): Promise<void> {
  const names = new Map((await tenants.list()).map((t) => [t.id, t.name]));
  let tenantId: number | null = null;
  if (options.tenant !== undefined) {
    const tenant = await tenants.find(options.tenant);
    if (!tenant.ok) exitWithError(tenant.error);
    tenantId = tenant.value.id;
  }
  const since = options.since === undefined ? undefined : parseSince(options.since, clock.now());
  if (options.since !== undefined && since === undefined)
    exitWithError(`--since '${options.since}' is not a date, epoch milliseconds or an age like 24h or 7d`);
  const limit = parseLimit(options.limit);
  for (let from = 0; from < limit; from += PAGE) {
    const to = Math.min(from + PAGE, limit);
    const page = await audit.forOperator({ tenantId, since, from, to, oldestFirst: options.oldestFirst === true });
    for (const entry of page.rules)
      printEntry(entry, names.get(entry.tenantId) ?? String(entry.tenantId), options.json);
    if (page.rules.length < to - from) return;
  }
}

export function auditCommand(): Command {
  return new Command("audit")
    .description("show who changed which rule, key or tenant, when, and what it was before and after")
    .option("--tenant <name>", "only this tenant's changes (default: every tenant's)")
    .option("--since <when>", "only changes at or after this: an ISO-8601 date, epoch ms, or an age like 30m, 24h, 7d")
    .option("--limit <n>", "at most this many entries; 0 for all", "100")
    .option("--oldest-first", "oldest entries first (default: newest first)")
    .option("--json", "print one JSON object per line, with the records before and after")
    .action(async (options: AuditOptions, command: Command) => withServices(command, (s) => showAudit(s, options)))
    .addCommand(auditPruneCommand());
}
