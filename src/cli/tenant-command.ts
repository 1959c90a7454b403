import { Command, Option } from "commander";
import { IOC_TYPES } from "../domain/ioc/ioc-model.ts";
import { LICENSES } from "../domain/tenants/tenant-model.ts";
import { cliActor, exitWithError, isoOrNever, printJson, withServices } from "./cli-context.ts";
import { tenantRetentionCommand } from "./retention-command.ts";

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
        const created = await tenants.create(name, cliActor(), options.license);
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
  tenant
    .command("set-expiry")
    .description("set a tenant's default expiry for one IOC type (used by rules with default_expiration_enabled)")
    .argument("<name>", "tenant name")
    .addOption(new Option("--type <type>", "IOC type").choices(IOC_TYPES).makeOptionMandatory())
    .option("--days <days>", "rules expire this many days after they were written (the product offers 7, 30, 90, 180)")
    .option("--never", "rules of this type never expire by default")
    .action(async (name: string, options: { type: string; days?: string; never?: boolean }, command: Command) =>
      withServices(command, async ({ tenants }) => {
        if ((options.days === undefined) === (options.never === undefined))
          exitWithError("give exactly one of --days N or --never");
        const days = options.never ? null : Number(options.days);
        const updated = await tenants.setIocExpiry(name, options.type, days, cliActor());
        if (!updated.ok) exitWithError(updated.error);
        const rule = days === null ? "never expire" : `expire ${days} days after they are written`;
        process.stdout.write(
          `${options.type} rules of '${name}' using the default now ${rule}; ${updated.value} rules re-dated\n`,
        );
      }),
    );
  tenant.addCommand(tenantRetentionCommand());
  return tenant;
}
