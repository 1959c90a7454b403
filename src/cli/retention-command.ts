/** `warden tenant retention` and `warden audit prune`: retention set per tenant, and pruned by hand. */
import { Command } from "commander";
import { parseCutoff, parseRetentionDays } from "../domain/retention/retention-ages.ts";
import type { EffectiveRetention } from "../domain/retention/retention-service.ts";
import type { TenantRetention } from "../storage/retention-ports.ts";
import { cliActor, exitWithError, printJson, withServices } from "./cli-context.ts";

interface RetentionOptions {
  tenant: string;
  alerts?: string;
  audit?: string;
  json?: boolean;
}

function days(option: string, text: string | undefined): number | null | undefined {
  if (text === undefined) return undefined;
  const parsed = parseRetentionDays(text);
  if (!parsed.ok) exitWithError(`--${option}: ${parsed.error}`);
  return parsed.value;
}

function describe(r: EffectiveRetention): string {
  const age = (n: number, isDefault: boolean) =>
    `${n === 0 ? "kept forever" : `${n} days`}${isDefault ? " (server default)" : ""}`;
  return `tenant '${r.tenant}': alerts ${age(r.alertsDays, r.alertsDefault)}, audit log ${age(r.auditDays, r.auditDefault)}\n`;
}

export function tenantRetentionCommand(): Command {
  return new Command("retention")
    .description("show or set how long a tenant keeps its alerts and audit log (older entries are deleted)")
    .requiredOption("--tenant <name>", "tenant name")
    .option("--alerts <age>", "keep alerts this long: 90d, 'forever' (or 0), or 'default' (the server's)")
    .option("--audit <age>", "keep audit entries this long: 365d, 'forever' (or 0), or 'default'")
    .option("--json", "print the retention in force as JSON")
    .action(async (options: RetentionOptions, command: Command) =>
      withServices(command, async ({ retention }) => {
        const change: Partial<TenantRetention> = {};
        const alerts = days("alerts", options.alerts);
        const audit = days("audit", options.audit);
        if (alerts !== undefined) change.alertsDays = alerts;
        if (audit !== undefined) change.auditDays = audit;
        const result =
          Object.keys(change).length === 0
            ? await retention.show(options.tenant)
            : await retention.set(options.tenant, change, cliActor());
        if (!result.ok) exitWithError(result.error);
        if (options.json) printJson(result.value);
        else process.stdout.write(describe(result.value));
      }),
    );
}

interface PruneOptions {
  tenant?: string;
  before: string;
  dryRun?: boolean;
  json?: boolean;
}

export function auditPruneCommand(): Command {
  return (
    new Command("prune")
      .description(
        "delete audit entries older than a cutoff, in small batches (the prune itself is recorded in each tenant's log)",
      )
      .option("--tenant <name>", "only this tenant's log (default: every tenant's)")
      .requiredOption(
        "--before <age-or-date>",
        "delete entries older than this: an age (90d, 36h) or a date (2026-01-31)",
      )
      .option("--dry-run", "only count what would be deleted")
      .option("--json", "print one JSON object per tenant")
      // commander hands --tenant and --json to `audit` (which has them too) wherever they stand: read both
      .action(async (_options: unknown, command: Command) =>
        withServices(command, async ({ retention, clock }) => {
          const options = command.optsWithGlobals<PruneOptions>();
          const before = parseCutoff(options.before, clock.now());
          if (!before.ok) exitWithError(`--before: ${before.error}`);
          const dryRun = options.dryRun === true;
          const pruned = await retention.pruneAudit({
            before: before.value,
            dryRun,
            actor: cliActor(),
            ...(options.tenant === undefined ? {} : { tenant: options.tenant }),
          });
          if (!pruned.ok) exitWithError(pruned.error);
          const cutoff = new Date(before.value).toISOString();
          for (const { tenant, audit } of pruned.value) {
            if (options.json) printJson({ tenant, before: cutoff, entries: audit, dry_run: dryRun });
            else
              process.stdout.write(
                `${tenant}: ${audit} audit entries older than ${cutoff} ${dryRun ? "would be deleted" : "deleted"}\n`,
              );
          }
        }),
      )
  );
}
