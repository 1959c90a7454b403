import { Command } from "commander";
import { auditCommand } from "./audit-command.ts";
import { correlationsCommand } from "./correlations-command.ts";
import { intelCommand } from "./intel-command.ts";
import { keyCommand } from "./key-command.ts";
import { migrateCommand } from "./migrate-command.ts";
import { rulesCommand } from "./rules-command.ts";
import { scanCommand } from "./scan-command.ts";
import { serveCommand } from "./serve-command.ts";
import { tenantCommand } from "./tenant-command.ts";
import { webhooksCommand } from "./webhooks-command.ts";
import { xqlCommand } from "./xql-command.ts";

export function buildProgram(): Command {
  return new Command("warden")
    .description("Self-hosted detection rules with the Cortex XSIAM / XDR public API")
    .option("--database <path-or-url>", "SQLite file path or postgres:// URL (env WARDEN_DATABASE)")
    .option("--data-dir <dir>", "where the SQLite file and master key live (env WARDEN_DATA_DIR)", undefined)
    .showHelpAfterError()
    .addCommand(serveCommand())
    .addCommand(tenantCommand())
    .addCommand(keyCommand())
    .addCommand(scanCommand())
    .addCommand(xqlCommand())
    .addCommand(migrateCommand())
    .addCommand(auditCommand())
    .addCommand(correlationsCommand())
    .addCommand(intelCommand())
    .addCommand(rulesCommand())
    .addCommand(webhooksCommand());
}
