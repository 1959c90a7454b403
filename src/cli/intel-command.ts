import { Command } from "commander";
import { intelExportCommand } from "./intel-export-command.ts";
import { intelFeedsCommand } from "./intel-feeds-command.ts";
import { intelImportCommand } from "./intel-import-command.ts";

/** `warden intel ...`: threat intelligence in and out (STIX 2.1, MISP, CSV). */
export function intelCommand(): Command {
  return new Command("intel")
    .description("threat intelligence in and out")
    .addCommand(intelImportCommand())
    .addCommand(intelExportCommand())
    .addCommand(intelFeedsCommand());
}
