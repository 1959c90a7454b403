import cliProgress from "cli-progress";
import { Command } from "commander";
import type { Services } from "../app.ts";
import { DEFAULT_TENANT } from "../domain/tenants/tenant-service.ts";
import { parseCsvMapping } from "../intel/csv-reader.ts";
import { readIntelPath } from "../intel/intel-document.ts";
import type { ImportSummary } from "../intel/intel-model.ts";
import { DEFAULT_INTEL_SOURCE } from "../intel/intel-service.ts";
import { cliActor, exitWithError, printJson, withServices } from "./cli-context.ts";

interface ImportOptions {
  tenant: string;
  source: string;
  columns?: string;
  json?: boolean;
  progress: boolean;
}

/** Objects that could not become rules, listed after the summary; the count covers them all. */
const REJECTIONS_SHOWN = 20;

function progressBar(enabled: boolean) {
  if (!enabled || !process.stderr.isTTY) return undefined;
  return new cliProgress.SingleBar(
    {
      format: "importing [{bar}] {percentage}% | {value}/{total} objects | {eta_formatted} left",
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
}

async function importFile(services: Services, path: string, options: ImportOptions): Promise<void> {
  const tenant = await services.tenants.find(options.tenant);
  if (!tenant.ok) exitWithError(tenant.error);
  const mapping = parseCsvMapping(options.columns ?? "");
  if (!mapping.ok) exitWithError(mapping.error);
  const read = await readIntelPath(path, mapping.value).catch((error: Error) =>
    exitWithError(`cannot read ${path}: ${error.message}`),
  );
  if (!read.ok) exitWithError(read.error);
  const bar = progressBar(options.progress);
  bar?.start(read.value.records.length, 0);
  const summary = await services.intel.import({
    tenantId: tenant.value.id,
    batch: read.value,
    source: options.source,
    actor: cliActor(),
    onProgress: (done, total) => bar?.update(done, { total }),
  });
  bar?.stop();
  if (options.json) printJson({ format: read.value.format, ...summary });
  else report(summary, read.value.format, tenant.value.name);
}

function report(summary: ImportSummary, format: string, tenant: string): void {
  const { created, updated, unchanged, deleted, rejected } = summary;
  const lines = [
    `imported ${format} into tenant '${tenant}': ${created} created, ${updated} updated, ${unchanged} unchanged, ${deleted} deleted; ${rejected.length} objects not imported`,
    ...rejected.slice(0, REJECTIONS_SHOWN).map((r) => `  ${r.ref}: ${r.reason}`),
  ];
  if (rejected.length > REJECTIONS_SHOWN)
    lines.push(`  ... and ${rejected.length - REJECTIONS_SHOWN} more (--json lists all)`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

export function intelImportCommand(): Command {
  return new Command("import")
    .description("import threat intelligence: a STIX 2.1 bundle, a MISP event, a MISP feed directory, or CSV")
    .argument("<file>", "the file, or a MISP feed directory (manifest.json and event files)")
    .option("--tenant <name>", "whose rules", DEFAULT_TENANT)
    .option("--source <name>", "the source the rules show", DEFAULT_INTEL_SOURCE)
    .option("--columns <map>", "CSV: which column holds which field, e.g. indicator=value,type=kind,id=uuid")
    .option("--json", "print the whole result as JSON, every object not imported included")
    .option("--no-progress", "no progress bar")
    .action(async (path: string, options: ImportOptions, command: Command) =>
      withServices(command, (s) => importFile(s, path, options)),
    );
}
