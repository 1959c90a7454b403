import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const KEY_BYTES = 32;
const FILE_NAME = "master.key";

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
  const path = join(dataDir, FILE_NAME);
  try {
    return parseMasterKey(readFileSync(path, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  try {
    // "wx" fails if another process created it first; then read the one that won.
    writeFileSync(path, `${randomBytes(KEY_BYTES).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return parseMasterKey(readFileSync(path, "utf8"));
}
