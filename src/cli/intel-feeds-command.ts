import { Command } from "commander";
import type { Services } from "../app.ts";
import { DEFAULT_TENANT } from "../domain/tenants/tenant-service.ts";
import { exitWithError, isoOrNever, printJson, withServices } from "./cli-context.ts";

type TenantOption = { tenant: string };

async function tenantOf(services: Services, name: string) {
  const tenant = await services.tenants.find(name);
  if (!tenant.ok) exitWithError(tenant.error);
  return tenant.value;
}

/** `warden intel feeds add|list|remove|pull`: TAXII 2.1 collections a tenant pulls IOC rules from. */
export function intelFeedsCommand(): Command {
  const feeds = new Command("feeds").description("TAXII 2.1 collections a tenant pulls IOC rules from");
  feeds
    .command("add")
    .description("subscribe a tenant to a TAXII 2.1 collection")
    .argument("<name>", "the feed's name in this tenant")
    .requiredOption("--url <api-root>", "the API root, e.g. https://tip.example/taxii2/root/ (http or https)")
    .requiredOption("--collection <id>", "the collection id")
    .option("--user <user>", "HTTP Basic user")
    .option("--password-env <variable>", "read the HTTP Basic password from this environment variable")
    .option("--every <seconds>", "poll interval in seconds (at least 60)", "3600")
    .option("--tenant <name>", "whose feed", DEFAULT_TENANT)
    .action(async (name: string, o: TenantOption & Record<string, string | undefined>, command: Command) =>
      withServices(command, async (services) => {
        const password = o.passwordEnv === undefined ? undefined : process.env[o.passwordEnv];
        if (o.passwordEnv !== undefined && password === undefined) exitWithError(`${o.passwordEnv} is not set`);
        const added = await services.feeds.add(await tenantOf(services, o.tenant), {
          name,
          url: o.url as string,
          collectionId: o.collection as string,
          username: o.user,
          password,
          pollSeconds: Number(o.every),
        });
        if (!added.ok) exitWithError(added.error);
        process.stdout.write(`added feed '${name}' (every ${added.value.pollSeconds} s)\n`);
      }),
    );
  feeds
    .command("list")
    .description("a tenant's feeds, with their last pull, counts and error")
    .option("--tenant <name>", "whose feeds", DEFAULT_TENANT)
    .option("--json", "one JSON object per line")
    .action(async (o: TenantOption & { json?: boolean }, command: Command) =>
      withServices(command, async (services) => {
        for (const f of await services.feeds.list(await tenantOf(services, o.tenant))) {
          if (o.json) printJson(f);
          else {
            const last = `last pull ${isoOrNever(f.lastPullAt)}${f.lastError ? `, error: ${f.lastError}` : ""}`;
            process.stdout.write(`${f.name}\t${f.url}\t${f.collectionId}\t${last}\t${f.lastSummary ?? ""}\n`);
          }
        }
      }),
    );
  feeds
    .command("remove")
    .argument("<name>", "the feed")
    .option("--tenant <name>", "whose feed", DEFAULT_TENANT)
    .action(async (name: string, o: TenantOption, command: Command) =>
      withServices(command, async (services) => {
        if (!(await services.feeds.remove(await tenantOf(services, o.tenant), name)))
          exitWithError(`no feed '${name}'`);
        process.stdout.write(`removed feed '${name}'\n`);
      }),
    );
  feeds
    .command("pull")
    .description("pull a feed now: only what was added since its last pull")
    .argument("<name>", "the feed")
    .option("--tenant <name>", "whose feed", DEFAULT_TENANT)
    .action(async (name: string, o: TenantOption, command: Command) =>
      withServices(command, async (services) => {
        const pulled = await services.feeds.pullNamed(await tenantOf(services, o.tenant), name);
        if (!pulled.ok) exitWithError(pulled.error);
        const { created, updated, unchanged, deleted, rejected } = pulled.value;
        process.stdout.write(
          `pulled '${name}': ${created} created, ${updated} updated, ${unchanged} unchanged, ${deleted} deleted; ${rejected.length} objects not imported\n`,
        );
      }),
    );
  return feeds;
}
