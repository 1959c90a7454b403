import { writeFile } from "node:fs/promises";
import { Command, Option } from "commander";
import type { Services } from "../app.ts";
import { DEFAULT_TENANT } from "../domain/tenants/tenant-service.ts";
import { INTEL_FORMATS, type IntelFormat } from "../intel/intel-model.ts";
import { exitWithError, withServices } from "./cli-context.ts";

interface ExportOptions {
  tenant: string;
  format: IntelFormat;
  out?: string;
}

async function exportRules(services: Services, options: ExportOptions): Promise<void> {
  const tenant = await services.tenants.find(options.tenant);
  if (!tenant.ok) exitWithError(tenant.error);
  const result = await services.intel.export(tenant.value, options.format);
  if (!result.ok) exitWithError(result.error);
  const { content, exported, skipped } = result.value;
  if (options.out) await writeFile(options.out, content);
  else await new Promise((resolve) => process.stdout.write(content, resolve));
  const note = skipped.length > 0 ? `; ${skipped.length} rules have no ${options.format} form (MIXED values)` : "";
  process.stderr.write(`exported ${exported} rules of tenant '${tenant.value.name}' as ${options.format}${note}\n`);
}

export function intelExportCommand(): Command {
  return new Command("export")
    .description("write a tenant's IOC rules as a STIX 2.1 bundle, a MISP event or CSV")
    .option("--tenant <name>", "whose rules", DEFAULT_TENANT)
    .addOption(new Option("--format <format>", "what to write").choices(INTEL_FORMATS).default("stix"))
    .option("--out <file>", "write here instead of standard output")
    .action(async (options: ExportOptions, command: Command) => withServices(command, (s) => exportRules(s, options)));
}
