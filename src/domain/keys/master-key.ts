import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makePrivateDir, PRIVATE_FILE_MODE } from "../../lib/private-files.ts";

const KEY_BYTES = 32;
export const MASTER_KEY_FILE = "master.key";

/** Accepts 64 hex characters or base64 of 32 bytes. */
export function parseMasterKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  if (key.length !== KEY_BYTES) {
    throw new Error("the master key must be 32 bytes, written as 64 hex characters or in base64");
  }
  return key;
}

/**
 * The key that encrypts advanced API key secrets: WARDEN_MASTER_KEY when set, else
 * `<dataDir>/master.key`, created on first use readable by its owner only.
 */
export function loadMasterKey(fromEnv: string | undefined, dataDir: string): Buffer {
  if (fromEnv) return parseMasterKey(fromEnv);
  const path = join(dataDir, MASTER_KEY_FILE);
  try {
    return parseMasterKey(readFileSync(path, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  makePrivateDir(dataDir);
  try {
    // "wx" fails if another process created it first; then read the one that won.
    writeFileSync(path, `${randomBytes(KEY_BYTES).toString("hex")}\n`, { mode: PRIVATE_FILE_MODE, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return parseMasterKey(readFileSync(path, "utf8"));
}
