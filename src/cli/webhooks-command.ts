import { Command } from "commander";
import type { Services } from "../app.ts";
import { RULE_KINDS, type RuleKind } from "../delivery/delivery-model.ts";
import { SEVERITIES, type Severity } from "../domain/ioc/ioc-model.ts";
import type { Tenant } from "../domain/tenants/tenant-model.ts";
import { DEFAULT_TENANT } from "../domain/tenants/tenant-service.ts";
import { exitWithError, isoOrNever, printJson, withServices } from "./cli-context.ts";

interface OwnerOptions {
  tenant: string;
  serverWide?: boolean;
  json?: boolean;
}

const ownerOptions = (command: Command) =>
  command
    .option("--tenant <name>", "whose targets", DEFAULT_TENANT)
    .option("--server-wide", "the targets that get every tenant's alerts (not the tenant's own)");

/** The tenant named, or null for --server-wide. */
async function ownerOf(services: Services, o: OwnerOptions): Promise<Tenant | null> {
  if (o.serverWide) return null;
  const tenant = await services.tenants.find(o.tenant);
  if (!tenant.ok) exitWithError(tenant.error);
  return tenant.value;
}

function ruleKinds(text: string): RuleKind[] {
  const kinds = text.split(",").map((k) => k.trim().toUpperCase());
  const bad = kinds.find((k) => !(RULE_KINDS as readonly string[]).includes(k));
  if (bad !== undefined) exitWithError(`unknown rule kind '${bad}': expected ${RULE_KINDS.join(", ")}`);
  return kinds as RuleKind[];
}

function severity(text: string): Severity {
  const found = SEVERITIES.find((s) => s === text.toUpperCase() || s.endsWith(`_${text.toUpperCase()}`));
  if (!found) exitWithError(`unknown severity '${text}': expected info, low, medium, high or critical`);
  return found;
}

/** `warden webhooks add|list|remove|rotate|test|dead-letters|retry`: where alerts go (src/delivery, docs/webhooks.md). */
export function webhooksCommand(): Command {
  const webhooks = new Command("webhooks").description(
    "where alerts go: webhooks (http/https) and syslog receivers (syslog+udp/tcp/tls), their dead letters",
  );
  ownerOptions(
    webhooks
      .command("add")
      .description("add a webhook or syslog receiver; a webhook's signing secret is printed this once")
      .argument("<name>", "the target's name")
      .requiredOption("--url <url>", "https://… (webhook), syslog+udp://, syslog+tcp:// or syslog+tls://host:port")
      .option("--secret-env <variable>", "read the webhook's signing secret from this variable (default: generated)")
      .option("--min-severity <severity>", "send this severity or worse: info, low, medium, high, critical", "info")
      .option("--kinds <list>", "rule kinds whose alerts are sent, comma separated", RULE_KINDS.join(","))
      .option("--disabled", "add it turned off"),
  )
    .option("--json", "print the result as JSON")
    .action(async (name: string, o: OwnerOptions & Record<string, string | undefined>, command: Command) =>
      withServices(command, async (services) => {
        const secret = o.secretEnv === undefined ? undefined : process.env[o.secretEnv];
        if (o.secretEnv !== undefined && secret === undefined) exitWithError(`${o.secretEnv} is not set`);
        const added = await services.delivery.add(await ownerOf(services, o), {
          name,
          url: o.url as string,
          secret,
          minSeverity: severity(o.minSeverity as string),
          ruleKinds: ruleKinds(o.kinds as string),
          enabled: !o.disabled,
        });
        if (!added.ok) exitWithError(added.error);
        if (o.json) return printJson(added.value);
        process.stdout.write(`added ${added.value.target.kind} '${name}'\n`);
        if (added.value.secret && secret === undefined)
          process.stdout.write(`signing secret (shown only now): ${added.value.secret}\n`);
      }),
    );
  ownerOptions(webhooks.command("list").description("the targets, never their secrets"))
    .option("--json", "one JSON object per line")
    .action(async (o: OwnerOptions, command: Command) =>
      withServices(command, async (services) => {
        for (const t of await services.delivery.list(await ownerOf(services, o))) {
          if (o.json) printJson(t);
          else
            process.stdout.write(
              `${t.name}\t${t.kind}\t${t.url}\t${t.minSeverity}\t${t.ruleKinds.join(",")}\t${t.enabled ? "on" : "off"}\n`,
            );
        }
      }),
    );
  ownerOptions(webhooks.command("remove").description("remove a target and what is still owed to it"))
    .argument("<name>", "the target")
    .action(async (name: string, o: OwnerOptions, command: Command) =>
      withServices(command, async (services) => {
        if (!(await services.delivery.remove(await ownerOf(services, o), name))) exitWithError(`no target '${name}'`);
        process.stdout.write(`removed '${name}'\n`);
      }),
    );
  ownerOptions(
    webhooks
      .command("rotate")
      .description(
        "give a webhook a new signing secret, printed this once; the old one signs beside it for the overlap",
      )
      .argument("<name>", "the webhook")
      .option("--secret-env <variable>", "read the new secret from this variable (default: generated)")
      .option("--overlap-hours <hours>", "how long the old secret still signs beside the new one (0 to 168)", "24"),
  )
    .option("--json", "print the result as JSON")
    .action(async (name: string, o: OwnerOptions & Record<string, string | undefined>, command: Command) =>
      withServices(command, async (services) => {
        const secret = o.secretEnv === undefined ? undefined : process.env[o.secretEnv];
        if (o.secretEnv !== undefined && secret === undefined) exitWithError(`${o.secretEnv} is not set`);
        const hours = Number(o.overlapHours);
        const owner = await ownerOf(services, o);
        const rotated = await services.delivery.rotateSecret(owner, name, secret, hours * 3_600_000);
        if (!rotated.ok) exitWithError(rotated.error);
        if (o.json) return printJson(rotated.value);
        process.stdout.write(
          `rotated the secret of '${name}'; the old one signs too until ${isoOrNever(rotated.value.previousValidUntil)}\n`,
        );
        if (secret === undefined)
          process.stdout.write(`new signing secret (shown only now): ${rotated.value.secret}\n`);
      }),
    );
  ownerOptions(webhooks.command("test").description("send a sample alert (alert id 0) now and say what came of it"))
    .argument("<name>", "the target")
    .action(async (name: string, o: OwnerOptions, command: Command) =>
      withServices(command, async (services) => {
        const tested = await services.delivery.test(await ownerOf(services, o), name);
        if (!tested.ok) exitWithError(tested.error);
        if (!tested.value.delivered) exitWithError(`'${name}' did not take the test alert: ${tested.value.error}`);
        process.stdout.write(`'${name}' took the test alert\n`);
      }),
    );
  ownerOptions(webhooks.command("dead-letters").description("alerts the targets gave up on, oldest first"))
    .option("--json", "one JSON object per line")
    .action(async (o: OwnerOptions, command: Command) =>
      withServices(command, async (services) => {
        for (const d of await services.delivery.deadLetters(await ownerOf(services, o))) {
          if (o.json) printJson(d);
          else
            process.stdout.write(
              `${d.id}\t${d.target}\talert ${d.alert.alertId}\t${d.alert.name}\t${d.attempts} attempts\t${isoOrNever(d.deadAt)}\t${d.lastError ?? ""}\n`,
            );
        }
      }),
    );
  ownerOptions(webhooks.command("retry").description("send dead letters again (the server's next round sends them)"))
    .option("--id <ids...>", "these dead letters (default: all)")
    .action(async (o: OwnerOptions & { id?: string[] }, command: Command) =>
      withServices(command, async (services) => {
        const ids = o.id?.map(Number);
        if (ids?.some((id) => !Number.isInteger(id) || id < 1)) exitWithError("--id takes dead-letter ids (numbers)");
        const retried = await services.delivery.retry(await ownerOf(services, o), ids);
        process.stdout.write(`${retried} dead letters due again\n`);
      }),
    );
  return webhooks;
}
