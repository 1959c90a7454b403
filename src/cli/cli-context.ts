import type { Command } from "commander";
import { buildServices, type Services } from "../app.ts";
import { loadConfig } from "../config.ts";

/** Opens the services on the store the global flags name, runs `work`, and always closes the store. */
export async function withServices(command: Command, work: (services: Services) => Promise<void>): Promise<void> {
  const flags = command.optsWithGlobals<{ database?: string; dataDir?: string }>();
  const services = await buildServices(loadConfig({ database: flags.database, dataDir: flags.dataDir }));
  try {
    await work(services);
  } finally {
    await services.store.close();
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
