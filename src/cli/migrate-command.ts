import { Command } from "commander";
import { migrateStore } from "../storage/migrate-store.ts";
import { exitWithError } from "./cli-context.ts";

export function migrateCommand(): Command {
  return new Command("migrate-store")
    .description("copy a SQLite store into an empty PostgreSQL database and verify the row counts")
    .requiredOption("--from <file>", "the SQLite file (e.g. data/warden.db)")
    .requiredOption("--to <url>", "postgres://user@host:port/database, an empty database")
    .action(async (options: { from: string; to: string }) => {
      if (!/^postgres(ql)?:\/\//i.test(options.to)) exitWithError("--to must be a postgres:// URL");
      let copied = 0;
      try {
        const counts = await migrateStore(options.from, options.to, (table, n) => {
          copied += n;
          if (process.stderr.isTTY) process.stderr.write(`\rcopying ${table}... ${copied} rows`);
        });
        if (process.stderr.isTTY) process.stderr.write("\n");
        for (const { table, source, target } of counts)
          process.stdout.write(`${table}: ${source} rows copied, ${target} in PostgreSQL\n`);
        process.stdout.write("verified: every table has the same number of rows in both stores\n");
      } catch (error) {
        exitWithError((error as Error).message);
      }
    });
}
