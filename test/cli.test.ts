/** The CLI as a user runs it: real processes on one SQLite file, next to a running server. */
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { freePort } from "./ports.ts";

const run = promisify(execFile);
const BIN = join(import.meta.dirname, "..", "bin", "warden.js");

describe("the warden CLI", () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let server: ChildProcess | undefined;
  let serverOutput = "";
  let serverPort = 0;
  const expect = { apiKey: "" };

  const warden = (...args: string[]) => run(process.execPath, [BIN, ...args], { env });
  const wardenFails = async (...args: string[]) => {
    try {
      await warden(...args);
    } catch (error) {
      return error as { code: number; stderr: string };
    }
    throw new Error(`warden ${args.join(" ")} should have failed`);
  };

  async function startServer(port: number): Promise<void> {
    serverPort = port;
    server = spawn(process.execPath, [BIN, "serve", "--port", String(port)], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    server.stdout?.on("data", (chunk) => (serverOutput += chunk));
    server.stderr?.on("data", (chunk) => (serverOutput += chunk));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/public_api/v1/healthcheck`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`server did not start:\n${serverOutput}`);
  }

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "warden-cli-"));
    env = { ...process.env, WARDEN_DATA_DIR: dir, WARDEN_LOG_LEVEL: "warn" };
    delete env.WARDEN_MASTER_KEY;
    delete env.WARDEN_DATABASE;
  });
  after(() => {
    server?.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints help", async () => {
    const { stdout } = await warden("--help");
    for (const command of ["serve", "tenant", "key"]) assert.match(stdout, new RegExp(command));
    const keyHelp = await warden("key", "create", "--help");
    assert.match(keyHelp.stdout, /--security/);
  });

  it("creates the default tenant and one admin key on first start, and serves it", async () => {
    const port = await freePort();
    await startServer(port);
    const match = /x-xdr-auth-id: (\d+)\n\s+Authorization: ([0-9a-f]+)/.exec(serverOutput);
    assert.ok(match, serverOutput);
    const res = await fetch(`http://127.0.0.1:${port}/public_api/v1/indicators/get`, {
      method: "POST",
      headers: {
        "x-xdr-auth-id": match[1] as string,
        authorization: match[2] as string,
        "content-type": "application/json",
      },
      body: JSON.stringify({ request_data: {} }),
    });
    assert.equal(res.status, 200);
    assert.equal(statSync(join(dir, "master.key")).mode & 0o777, 0o600, "the generated master key is private");
    const tenants = (await warden("tenant", "list", "--json")).stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      tenants.map((t: { name: string }) => t.name),
      ["default"],
    );
  });

  it("creates tenants and keys while the server runs, and the keys work over HTTP at once", async () => {
    const url = `http://127.0.0.1:${serverPort}/public_api/v1/indicators/insert`;

    const tenant = JSON.parse((await warden("tenant", "create", "acme", "--license", "xdr_pro", "--json")).stdout);
    assert.equal(tenant.name, "acme");
    assert.equal(tenant.license, "xdr_pro");

    const key = JSON.parse(
      (await warden("key", "create", "--tenant", "acme", "--security", "advanced", "--json")).stdout,
    );
    assert.deepEqual(Object.keys(key).sort(), ["id", "role", "secret", "security", "tenant"]);
    assert.equal(key.role, "instance_admin");
    assert.equal(key.security, "advanced");
    expect.apiKey = `Public API - ${key.id}`;

    const { advancedAuthorization } = await import("../src/domain/keys/key-secrets.ts");
    const call = async () => {
      const nonce = randomBytes(32).toString("hex");
      const timestamp = String(Date.now());
      return fetch(url, {
        method: "POST",
        headers: {
          "x-xdr-auth-id": String(key.id),
          "x-xdr-nonce": nonce,
          "x-xdr-timestamp": timestamp,
          authorization: advancedAuthorization(key.secret, nonce, timestamp),
          "content-type": "application/json",
        },
        body: JSON.stringify({ request_data: [{ indicator: "cli.exe", type: "FILENAME", severity: "SEV_010_INFO" }] }),
      });
    };
    const res = await call();
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { added_objects: unknown[] }).added_objects.length, 1);

    const listed = (await warden("key", "list", "--tenant", "acme", "--json")).stdout;
    assert.ok(!listed.includes(key.secret), "key list never shows secrets");
    assert.equal(JSON.parse(listed.trim()).id, key.id);

    assert.match((await warden("key", "revoke", String(key.id))).stdout, /revoked key/);
    assert.equal((await call()).status, 401, "a revoked key fails at once on the running server");
  });

  it("scans an NDJSON file offline against a tenant's rules", async () => {
    const events = join(dir, "events.ndjson");
    const out = join(dir, "hits.ndjson");
    const huge = JSON.stringify({ action_file_name: "x".repeat(2 * 1024 * 1024) });
    writeFileSync(
      events,
      [
        JSON.stringify({ action_file_name: "CLI.EXE" }),
        "{oops",
        huge,
        // ~420 KB of other events: the file is matched in several pieces, numbered as one
        ...Array.from({ length: 3000 }, (_, i) =>
          JSON.stringify({ action_file_name: `f${i}.txt`, pad: "p".repeat(100) }),
        ),
        JSON.stringify({ action_file_name: "other.exe" }),
        JSON.stringify({ action_file_name: "cli.exe" }),
      ].join("\n"),
    );
    const { stderr } = await warden("scan", events, "--tenant", "acme", "--out", out);
    assert.match(stderr, /scanned 3003 events against tenant 'acme' \(1 IOC and 0 BIOC rules\)/);
    assert.match(stderr, /2 events matched, 2 hits; 2 malformed lines/);
    assert.match(stderr, /line 2: not valid JSON/);
    assert.match(stderr, /line 3: line is \d+ characters long/);
    const hits = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(hits, [
      {
        line: 1,
        source: "IOC",
        rule_id: 1,
        name: "cli.exe",
        severity: "SEV_010_INFO",
        field: "action_file_name",
        value: "CLI.EXE",
      },
      {
        line: 3005,
        source: "IOC",
        rule_id: 1,
        name: "cli.exe",
        severity: "SEV_010_INFO",
        field: "action_file_name",
        value: "cli.exe",
      },
    ]);
  });

  it("sets a tenant's default expiry per IOC type", async () => {
    const { stdout } = await warden("tenant", "set-expiry", "acme", "--type", "HASH", "--days", "30");
    assert.match(
      stdout,
      /HASH rules of 'acme' using the default now expire 30 days after they are written; 0 rules re-dated/,
    );
    assert.match((await warden("tenant", "set-expiry", "acme", "--type", "IP", "--never")).stdout, /never expire/);
    const both = await wardenFails("tenant", "set-expiry", "acme", "--type", "IP", "--never", "--days", "3");
    assert.match(both.stderr, /exactly one of --days N or --never/);
    const badType = await wardenFails("tenant", "set-expiry", "acme", "--type", "EMAIL", "--days", "3");
    assert.match(badType.stderr, /Allowed choices are HASH/);
  });

  it("shows the audit log: who changed what, from the CLI, the first start and the API", async () => {
    const lines = async (...args: string[]) =>
      (await warden("audit", "--json", "--oldest-first", "--limit", "0", ...args)).stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
    const acme = await lines("--tenant", "acme");
    assert.ok(acme.every((e: { tenant: string }) => e.tenant === "acme"));
    const user = (await import("node:os")).userInfo().username;
    assert.deepEqual(
      acme.map((e: { actor: string; entity: string; action: string }) => [e.actor, e.entity, e.action]),
      [
        [`CLI - ${user}`, "TENANTS", "Create"],
        [`CLI - ${user}`, "API_KEYS", "Create"],
        [expect.apiKey, "IOC_RULES", "Create"],
        [`CLI - ${user}`, "API_KEYS", "Revoke"],
        // setting IP to never when it already was changed nothing, so nothing was recorded
        [`CLI - ${user}`, "TENANTS", "Edit"],
      ],
    );
    assert.equal(acme[2].after.indicator, "cli.exe");
    assert.equal(acme[2].address, "127.0.0.1");
    assert.equal(acme[4].description, "Set the default expiry of HASH rules of tenant 'acme' to 30 days");
    const everyone = await lines();
    assert.deepEqual(
      everyone.slice(0, 2).map((e: { tenant: string; actor: string }) => [e.tenant, e.actor]),
      [
        ["default", "Warden (first start)"],
        ["default", "Warden (first start)"],
      ],
    );
    const { stdout } = await warden("audit", "--since", "1h", "--limit", "1");
    assert.match(stdout, /^\S+Z\tacme\tCLI - .*\tTENANTS\tEdit\tSet the default expiry of HASH rules/);
    const later = await warden("audit", "--since", new Date(Date.now() + 60_000).toISOString());
    assert.equal(later.stdout, "", "nothing changed in the future");
    const badSince = await wardenFails("audit", "--since", "last tuesday");
    assert.match(badSince.stderr, /--since 'last tuesday' is not a date/);
  });

  it("explains mistakes on stderr with a non-zero exit", async () => {
    const unknownTenant = await wardenFails("key", "create", "--tenant", "nobody");
    assert.equal(unknownTenant.code, 1);
    assert.match(unknownTenant.stderr, /no tenant named 'nobody'/);
    const duplicate = await wardenFails("tenant", "create", "acme");
    assert.match(duplicate.stderr, /already exists/);
    const badRole = await wardenFails("key", "create", "--tenant", "acme", "--role", "god");
    assert.match(badRole.stderr, /Allowed choices are instance_admin, analyst, viewer/);
    const badExpiry = await wardenFails("key", "create", "--tenant", "acme", "--expires", "tomorrow-ish");
    assert.match(badExpiry.stderr, /not an ISO-8601 date/);
    const revokeTwice = await wardenFails("key", "revoke", "999");
    assert.match(revokeTwice.stderr, /no live key with id 999/);
  });
});
