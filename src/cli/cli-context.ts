import { userInfo } from "node:os";
import type { Command } from "commander";
import { buildServices, type Services } from "../app.ts";
import { loadConfig } from "../config.ts";
import { type Actor, actors } from "../domain/audit/audit-model.ts";

/** Opens the services on the store the global flags name, runs `work`, and always closes the store. */
export async function withServices(command: Command, work: (services: Services) => Promise<void>): Promise<void> {
  const flags = command.optsWithGlobals<{ database?: string; dataDir?: string }>();
  const services = await buildServices(loadConfig({ database: flags.database, dataDir: flags.dataDir }));
  try {
    await work(services);
  } finally {
    await services.matching.close();
    await services.store.close();
  }
}

/** The CLI's changes are recorded under the operating-system user who ran it. */
export function cliActor(): Actor {
  try {
    return actors.cli(userInfo().username);
  } catch {
    // no passwd entry for this uid (some containers): the uid still says who
    return actors.cli(`uid ${process.getuid?.() ?? "unknown"}`);
  }
}

/** A failure the user can fix: said on stderr, exit status 1, no stack trace. */
export function exitWithError(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export function isoOrNever(ms: number | null): string {
  return ms === null ? "never" : new Date(ms).toISOString();
}
