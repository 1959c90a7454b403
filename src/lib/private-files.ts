/**
 * Warden's data (every tenant's rules, alerts with raw events, the audit log, the master key) is
 * readable by the account that runs it only (issue 18, finding 7): the data directory 0700, its
 * files 0600. Files SQLite creates beside the database (-wal, -shm) take the database's mode.
 */
import { closeSync, existsSync, mkdirSync, openSync, statSync } from "node:fs";

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates the directory (and its parents) owner-only if it does not exist; an existing one is left as it is. */
export function makePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Creates an empty owner-only file if none is there, so whatever writes it later keeps that mode. */
export function touchPrivateFile(path: string): void {
  closeSync(openSync(path, "a", PRIVATE_FILE_MODE));
}

/** One line for each path that exists and that group or others may use, saying how to fix it. */
export function looseModeWarnings(paths: readonly { path: string; dir?: boolean }[]): string[] {
  const warnings: string[] = [];
  for (const { path, dir = false } of paths) {
    if (!existsSync(path)) continue;
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) === 0) continue;
    const want = (dir ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE).toString(8);
    warnings.push(
      `${path} has mode ${mode.toString(8)}: other accounts can read Warden's data; run chmod ${want} ${path}`,
    );
  }
  return warnings;
}
