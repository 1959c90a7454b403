import { readFileSync } from "node:fs";
import { Command } from "commander";
import { syntaxErrorText } from "../domain/xql/xql-bioc.ts";
import { validateXql } from "../domain/xql/xql-validate.ts";
import { exitWithError } from "./cli-context.ts";

function readQuery(path: string): string {
  try {
    return readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (error) {
    return exitWithError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

/** Prints `valid`, or the problem as `FILE:LINE:COLUMN: message` (column counted from 1, as editors do). */
function check(path: string, options: { bioc?: boolean; json?: boolean }): void {
  const result = validateXql(readQuery(path), options.bioc ?? false);
  if (result.ok) {
    process.stdout.write(options.json ? '{"valid": true}\n' : `${path}: valid\n`);
    return;
  }
  const problem = result.error;
  if (options.json)
    process.stdout.write(
      `${"syntax" in problem ? syntaxErrorText(problem.syntax) : JSON.stringify({ message: problem.reason })}\n`,
    );
  else if ("syntax" in problem) {
    const { line, column, message } = problem.syntax;
    process.stdout.write(`${path}:${line}:${column + 1}: ${message}\n`);
  } else process.stdout.write(`${path}: ${problem.reason}\n`);
  process.exitCode = 1;
}

export function xqlCommand(): Command {
  const xql = new Command("xql").description("work with XQL queries");
  xql
    .command("check")
    .description("check a query's syntax; exit status 1 when it is not valid")
    .argument("<file>", "file holding one query (- for standard input)")
    .option("--bioc", "also apply the rules for BIOC queries")
    .option("--json", "print the result in the API's form")
    .action((path: string, options: { bioc?: boolean; json?: boolean }) => check(path, options));
  return xql;
}
