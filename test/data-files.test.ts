/** Data files readable by their owner only (issue 18, finding 7), and a warning at start when they are not. */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { freePort } from "./ports.ts";

const BIN = join(import.meta.dirname, "..", "bin", "warden.js");
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe("data files", () => {
  const root = mkdtempSync(join(tmpdir(), "warden-modes-"));
  after(() => rmSync(root, { recursive: true, force: true }));

  it("creates the data directory 0700 and the database, its WAL files and master.key 0600", async () => {
    const dataDir = join(root, "fresh", "data");
    const { app } = await buildApp(loadConfig({ dataDir }, {}), { logger: false });
    await app.ready();
    try {
      assert.equal(mode(dataDir), "700");
      for (const file of ["warden.db", "warden.db-wal", "warden.db-shm", "master.key"])
        assert.equal(mode(join(dataDir, file)), "600", file);
    } finally {
      await app.close();
    }
  });

  it("warns at start about a data directory or file others can read", async () => {
    const dataDir = join(root, "loose");
    const { app } = await buildApp(loadConfig({ dataDir }, {}), { logger: false });
    await app.close();
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, "warden.db"), 0o644);
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, WARDEN_DATA_DIR: dataDir, WARDEN_LOG_LEVEL: "warn" };
    delete env.WARDEN_MASTER_KEY;
    delete env.WARDEN_DATABASE;
    const server: ChildProcess = spawn(process.execPath, [BIN, "serve", "--port", String(port)], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    server.stdout?.on("data", (chunk) => (output += chunk));
    server.stderr?.on("data", (chunk) => (output += chunk));
    try {
      const deadline = Date.now() + 30_000;
      while (!/warden\.db[^\n]*644/.test(output) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      assert.match(output, /warden\.db[^\n]*mode 644[^\n]*chmod 600/, output);
      assert.match(output, new RegExp(`${dataDir}[^\\n]*mode 755[^\\n]*chmod 700`), output);
      assert.doesNotMatch(output, /master\.key[^\n]*mode/, "master.key is private: no warning");
    } finally {
      server.kill("SIGTERM");
    }
  });
});
