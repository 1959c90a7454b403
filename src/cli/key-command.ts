import { Command, Option } from "commander";
import type { Services } from "../app.ts";
import { ROLES, type Role, SECURITY_LEVELS, type SecurityLevel } from "../domain/keys/key-model.ts";
import { cliActor, exitWithError, isoOrNever, printJson, withServices } from "./cli-context.ts";

interface CreateOptions {
  tenant: string;
  role: Role;
  security: SecurityLevel;
  expires?: string;
  json?: boolean;
}

function parseExpiry(text: string | undefined, now: number): number | null {
  if (text === undefined) return null;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) exitWithError(`--expires '${text}' is not an ISO-8601 date, e.g. 2027-01-31T00:00:00Z`);
  if (ms <= now) exitWithError(`--expires '${text}' is in the past`);
  return ms;
}

async function createKey({ tenants, keys, clock }: Services, options: CreateOptions): Promise<void> {
  const tenant = await tenants.find(options.tenant);
  if (!tenant.ok) exitWithError(tenant.error);
  const expiresAt = parseExpiry(options.expires, clock.now());
  const key = await keys.create(tenant.value, options.role, options.security, expiresAt, cliActor());
  if (options.json) {
    printJson({ id: key.id, secret: key.secret, tenant: key.tenant, role: key.role, security: key.security });
    return;
  }
  process.stdout.write(
    `API key for tenant '${key.tenant}' (role ${key.role}, ${key.security}); the secret is shown only now:\n` +
      `  x-xdr-auth-id: ${key.id}\n  Authorization: ${key.secret}\n`,
  );
}

async function listKeys({ tenants, store }: Services, options: { tenant?: string; json?: boolean }): Promise<void> {
  const names = new Map((await tenants.list()).map((t) => [t.id, t.name]));
  let tenantId: number | undefined;
  if (options.tenant !== undefined) {
    const tenant = await tenants.find(options.tenant);
    if (!tenant.ok) exitWithError(tenant.error);
    tenantId = tenant.value.id;
  }
  for (const key of await store.listKeys(tenantId)) {
    const row = {
      id: key.id,
      tenant: names.get(key.tenantId) ?? String(key.tenantId),
      role: key.role,
      security: key.security,
      created_at: key.createdAt,
      expires_at: key.expiresAt,
      revoked_at: key.revokedAt,
    };
    if (options.json) printJson(row);
    else {
      const state =
        key.revokedAt !== null ? `revoked ${isoOrNever(key.revokedAt)}` : `expires ${isoOrNever(key.expiresAt)}`;
      process.stdout.write(`${row.id}\t${row.tenant}\t${row.role}\t${row.security}\t${state}\n`);
    }
  }
}

export function keyCommand(): Command {
  const key = new Command("key").description("manage API keys");
  key
    .command("create")
    .description("create an API key; its secret is printed once")
    .requiredOption("--tenant <name>", "the tenant the key acts for")
    .addOption(new Option("--role <role>", "what the key may do").choices(ROLES).default("instance_admin"))
    .addOption(new Option("--security <level>", "how requests are signed").choices(SECURITY_LEVELS).default("standard"))
    .option("--expires <iso-date>", "when the key stops working (default: never)")
    .option("--json", "print the key as JSON")
    .action(async (options: CreateOptions, command: Command) => withServices(command, (s) => createKey(s, options)));
  key
    .command("list")
    .description("list API keys (never their secrets)")
    .option("--tenant <name>", "only this tenant's keys")
    .option("--json", "print one JSON object per line")
    .action(async (options: { tenant?: string; json?: boolean }, command: Command) =>
      withServices(command, (s) => listKeys(s, options)),
    );
  key
    .command("revoke")
    .description("revoke an API key at once")
    .argument("<id>", "the key id")
    .action(async (id: string, _options: unknown, command: Command) =>
      withServices(command, async ({ keys }) => {
        if (!/^[1-9][0-9]*$/.test(id)) exitWithError(`'${id}' is not a key id`);
        if (!(await keys.revoke(Number(id), cliActor()))) exitWithError(`no live key with id ${id}`);
        process.stdout.write(`revoked key ${id}\n`);
      }),
    );
  return key;
}
