/** `warden correlations run` and `warden scan` as an operator runs them: real processes on the test app's store. */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { promisify } from "node:util";
import type { TestApp } from "../harness.ts";

const run = promisify(execFile);
const BIN = join(import.meta.dirname, "..", "..", "bin", "warden.js");

export interface CliRun {
  tenantId: number;
  ruleId: number;
  name: string;
  tick: string;
  groups: number;
  rows: number;
  alerts: number;
}

export async function correlationsRun(t: TestApp, tenant: string, at: string): Promise<CliRun[]> {
  const env = {
    ...process.env,
    WARDEN_MASTER_KEY: randomBytes(32).toString("hex"),
    WARDEN_MATCH_WORKERS: "0",
  };
  const args = ["--database", t.config.database, "--data-dir", t.dir, "correlations", "run"];
  const { stdout } = await run(process.execPath, [BIN, ...args, "--tenant", tenant, "--at", at, "--json"], { env });
  return stdout
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as CliRun);
}

/** `warden scan FILE --tenant acme` with this many matching threads: its hit lines (parsed) and its summary. */
export async function scanFile(
  t: TestApp,
  file: string,
  workers: string,
): Promise<{ hits: Record<string, unknown>[]; stderr: string }> {
  const env = { ...process.env, WARDEN_MASTER_KEY: randomBytes(32).toString("hex"), WARDEN_MATCH_WORKERS: workers };
  const args = [
    "--database",
    t.config.database,
    "--data-dir",
    t.dir,
    "scan",
    file,
    "--tenant",
    "acme",
    "--no-progress",
  ];
  const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env });
  const hits = stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { hits, stderr };
}
