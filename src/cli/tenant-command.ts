import { Command, Option } from "commander";
import { LICENSES } from "../domain/tenants/tenant-model.ts";
import { exitWithError, isoOrNever, printJson, withServices } from "./cli-context.ts";

export function tenantCommand(): Command {
  const tenant = new Command("tenant").description("manage tenants");
  tenant
    .command("create")
    .description("create a tenant")
    .argument("<name>", "tenant name: letters, digits, '.', '_' or '-'")
    .addOption(new Option("--license <license>", "what the tenant may use").choices(LICENSES).default("xsiam"))
    .option("--json", "print the tenant as JSON")
    .action(async (name: string, options: { license: string; json?: boolean }, command: Command) =>
      withServices(command, async ({ tenants }) => {
        const created = await tenants.create(name, options.license);
        if (!created.ok) exitWithError(created.error);
        const { id, license, createdAt } = created.value;
        if (options.json) printJson({ id, name, license, created_at: createdAt });
        else process.stdout.write(`created tenant '${name}' (id ${id}, license ${license})\n`);
      }),
    );
  tenant
    .command("list")
    .description("list tenants")
    .option("--json", "print one JSON object per line")
    .action(async (options: { json?: boolean }, command: Command) =>
      withServices(command, async ({ tenants }) => {
        for (const t of await tenants.list()) {
          if (options.json) printJson({ id: t.id, name: t.name, license: t.license, created_at: t.createdAt });
          else process.stdout.write(`${t.id}\t${t.name}\t${t.license}\t${isoOrNever(t.createdAt)}\n`);
        }
      }),
    );
  return tenant;
}
