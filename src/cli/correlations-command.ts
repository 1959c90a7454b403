import { Command } from "commander";
import type { Services } from "../app.ts";
import type { RunReport } from "../engine/correlations/correlation-engine.ts";
import { exitWithError, printJson, withServices } from "./cli-context.ts";

interface RunOptions {
  tenant?: string;
  at?: string;
  json?: boolean;
}

function parseAt(text: string | undefined, now: number): number {
  if (text === undefined) return now;
  const at = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(at))
    exitWithError(`--at '${text}' is not an ISO-8601 time such as 2026-11-22T12:10:00Z`);
  return at;
}

function reportLine(r: RunReport): string {
  const window = `${new Date(r.windowStart).toISOString()} .. ${new Date(r.tick).toISOString()}`;
  return `rule ${r.ruleId} '${r.name}' (tenant ${r.tenantId}): window ${window}, ${r.groups} groups, ${r.rows} rows, ${r.alerts} alerts`;
}

/** Runs the due scheduled rules as of `--at` (each tick runs once, cluster-wide: a tick already run is skipped). */
async function run({ tenants, correlationEngine, clock }: Services, options: RunOptions): Promise<void> {
  const at = parseAt(options.at, clock.now());
  let reports: RunReport[];
  if (options.tenant === undefined) reports = await correlationEngine.runAllTenants(at);
  else {
    const tenant = await tenants.find(options.tenant);
    if (!tenant.ok) exitWithError(tenant.error);
    reports = await correlationEngine.runDue(tenant.value.id, at);
  }
  if (options.json) {
    for (const r of reports) printJson({ ...r, tick: new Date(r.tick).toISOString() });
    return;
  }
  for (const r of reports) process.stdout.write(`${reportLine(r)}\n`);
  const alerts = reports.reduce((sum, r) => sum + r.alerts, 0);
  process.stderr.write(
    `ran ${reports.length} scheduled correlation rules as of ${new Date(at).toISOString()}; ${alerts} alerts\n`,
  );
}

export function correlationsCommand(): Command {
  return new Command("correlations").description("correlation rules").addCommand(
    new Command("run")
      .description("run the scheduled correlation rules that are due now (or as of --at); each tick runs once")
      .option("--tenant <name>", "only this tenant's rules (default: every tenant)")
      .option("--at <iso>", "as of this time (ISO-8601), e.g. after an outage")
      .option("--json", "one JSON line per rule run")
      .action(async (options: RunOptions, command: Command) => withServices(command, (s) => run(s, options))),
  );
}
