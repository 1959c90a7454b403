/**
 * Detection as code end to end, every step the CLI as a process against real servers on loopback:
 * pull 10,000 IOCs, 200 BIOCs and two correlation rules from one server, apply them to an empty second one, and plan
 * shows no changes; the same with advanced keys; edits show as field diffs and --prune converges.
 */
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { FAILED_LOGONS, LIVE_EXAMPLE } from "./correlations/live-example.ts";
import { testDatabase } from "./harness.ts";
import { freePort } from "./ports.ts";

const run = promisify(execFile);
const BIN = join(import.meta.dirname, "..", "bin", "warden.js");

interface Server {
  url: string;
  dir: string;
  /** The store: a SQLite file in `dir`, or a fresh PostgreSQL database when WARDEN_TEST_STORE=postgres. */
  database: string;
  drop: () => Promise<void>;
  process: ChildProcess;
}
interface Key {
  id: number;
  secret: string;
}

const baseEnv = (dir: string, database?: string): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, WARDEN_DATA_DIR: dir, WARDEN_LOG_LEVEL: "warn" };
  for (const name of ["WARDEN_MASTER_KEY", "WARDEN_DATABASE", "WARDEN_URL", "WARDEN_KEY_ID", "WARDEN_KEY"])
    delete env[name];
  if (database) env.WARDEN_DATABASE = database;
  return env;
};

async function startServer(): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), "warden-dac-"));
  const { database, drop } = await testDatabase(dir);
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, "serve", "--port", String(port)], {
    env: baseEnv(dir, database),
    stdio: ["ignore", "ignore", "pipe"],
  });
  let output = "";
  child.stderr?.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; tries < 600; tries++) {
    const up = await fetch(`${url}/public_api/v1/healthcheck`).then(
      (res) => res.ok,
      () => false,
    );
    if (up) return { url, dir, database, drop, process: child };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server did not start:\n${output}`);
}

async function createKey(server: Server, tenant: string, security: "standard" | "advanced"): Promise<Key> {
  const env = baseEnv(server.dir, server.database);
  if (tenant !== "default") await run(process.execPath, [BIN, "tenant", "create", tenant], { env });
  const args = ["key", "create", "--tenant", tenant, "--security", security, "--json"];
  return JSON.parse((await run(process.execPath, [BIN, ...args], { env })).stdout);
}

async function post(server: Server, key: Key, path: string, data: unknown): Promise<unknown> {
  const res = await fetch(`${server.url}/public_api/v1/${path}`, {
    method: "POST",
    headers: { "x-xdr-auth-id": String(key.id), authorization: key.secret, "content-type": "application/json" },
    body: JSON.stringify({ request_data: data }),
  });
  assert.equal(res.status, 200);
  return res.json();
}

function iocs(): Record<string, unknown>[] {
  return Array.from({ length: 10_000 }, (_, i) => {
    const kind = i % 4;
    if (kind === 0) return { indicator: i.toString(16).padStart(32, "0"), type: "HASH", severity: "SEV_040_HIGH" };
    if (kind === 1)
      return {
        indicator: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
        type: "IP",
        severity: "SEV_020_LOW",
        reliability: "B",
      };
    if (kind === 2)
      return {
        indicator: `host-${i}.Evil.example`,
        type: "DOMAIN_NAME",
        severity: "SEV_030_MEDIUM",
        comment: `seen "${i}", twice`,
      };
    return {
      indicator: `tool-${i}.exe`,
      type: "FILENAME",
      severity: "SEV_010_INFO",
      expiration_date: 4102444800000,
      reputation: "BAD",
    };
  });
}

function biocs(): Record<string, unknown>[] {
  return Array.from({ length: 200 }, (_, i) => {
    const common = {
      name: `rule ${i}`,
      type: "EXECUTION",
      severity: "SEV_030_MEDIUM",
      comment: i % 3 ? "" : "from the SOC",
    };
    if (i % 2)
      return {
        ...common,
        is_xql: true,
        mitre_tactic_id_and_name: ["TA0002 - Execution"],
        indicator: `dataset = xdr_data\n| filter event_type = ENUM.PROCESS and action_process_image_name = "tool-${i}.exe"`,
      };
    const leaf = {
      SEARCH_FIELD: "action_file_name",
      SEARCH_TYPE: "EQ",
      SEARCH_VALUE: `f${i}`,
      EXTRA_FIELDS: [],
      isExtended: false,
    };
    return {
      ...common,
      status: i % 4 ? "enabled" : "DISABLED",
      indicator: {
        runOnCGO: i % 4 === 0,
        investigationType: "FILE_EVENT",
        investigation: { FILE_EVENT: { filter: { AND: [leaf] } } },
      },
    };
  });
}

function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const folder of readdirSync(dir))
    for (const name of readdirSync(join(dir, folder)))
      files.set(`${folder}/${name}`, readFileSync(join(dir, folder, name), "utf8"));
  return files;
}

describe("warden rules pull, plan and apply", () => {
  let source: Server;
  let target: Server;
  let work: string;
  const keys: Record<string, Key> = {};

  const warden = async (server: Server, key: Key, advanced: boolean, ...args: string[]) => {
    const env = { ...baseEnv(work), WARDEN_URL: server.url, WARDEN_KEY_ID: String(key.id), WARDEN_KEY: key.secret };
    const flags = advanced ? ["--advanced"] : [];
    try {
      const { stdout } = await run(process.execPath, [BIN, "rules", ...args, ...flags], { env, maxBuffer: 64 << 20 });
      return { code: 0, stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout + failed.stderr };
    }
  };

  before(async () => {
    work = mkdtempSync(join(tmpdir(), "warden-dac-repo-"));
    [source, target] = await Promise.all([startServer(), startServer()]);
    keys.source = await createKey(source, "default", "standard");
    keys.target = await createKey(target, "default", "standard");
    keys.sourceAdvanced = await createKey(source, "default", "advanced");
    keys.targetAdvanced = await createKey(target, "signed", "advanced");
    const inserted = (await post(source, keys.source, "indicators/insert", iocs())) as { errors: unknown[] };
    assert.deepEqual(inserted.errors, []);
    const rules = (await post(source, keys.source, "bioc/insert", biocs())) as { errors: unknown[] };
    assert.deepEqual(rules.errors, []);
    const correlations = (await post(source, keys.source, "correlations/insert", [LIVE_EXAMPLE, FAILED_LOGONS])) as {
      errors: unknown[];
    };
    assert.deepEqual(correlations.errors, []);
  });
  after(async () => {
    for (const server of [source, target]) {
      if (!server) continue;
      const exited = new Promise((resolve) => server.process.once("exit", resolve));
      server.process.kill("SIGTERM");
      await exited;
      await server.drop();
    }
    for (const dir of [source?.dir, target?.dir, work]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("pulls every rule into the layout, and a second pull changes no byte", async () => {
    const repo = join(work, "repo");
    const first = await warden(source, keys.source as Key, false, "pull", repo);
    assert.equal(first.code, 0, first.stdout);
    assert.doesNotMatch(first.stdout, /no correlations API/);
    const files = snapshot(repo);
    assert.deepEqual(
      [...files.keys()].filter((f) => f.startsWith("iocs/")),
      ["iocs/domain_name.csv", "iocs/filename.csv", "iocs/hash.csv", "iocs/ip.csv"],
    );
    assert.equal([...files.keys()].filter((f) => f.startsWith("biocs/")).length, 200);
    assert.equal([...files.keys()].filter((f) => f.startsWith("correlations/")).length, 2);
    const lines = [...files.entries()]
      .filter(([f]) => f.startsWith("iocs/"))
      .map(([, text]) => text.trim().split("\n").length - 1);
    assert.equal(
      lines.reduce((a, b) => a + b, 0),
      10_000,
    );
    assert.match(files.get("biocs/rule-1.yaml") ?? "", /indicator: \|-?\n {2}dataset = xdr_data\n {2}\| filter/);

    const second = await warden(source, keys.sourceAdvanced as Key, true, "pull", repo);
    assert.match(second.stdout, /0 files written, 0 removed/);
    assert.deepEqual(snapshot(repo), files);
    assert.equal((await warden(source, keys.source as Key, false, "test", repo)).code, 0);
  });

  it("applies to an empty server, after which plan shows no changes", async () => {
    const repo = join(work, "repo");
    const before = await warden(target, keys.target as Key, false, "plan", repo);
    assert.match(before.stdout, /Plan: 10202 to create, 0 to update, 0 to delete/);
    const applied = await warden(target, keys.target as Key, false, "apply", repo, "--yes");
    assert.equal(applied.code, 0, applied.stdout);
    assert.match(applied.stdout, /applied 10202 of 10202 changes/);
    const after = await warden(target, keys.target as Key, false, "plan", repo, "--prune");
    assert.match(after.stdout, /No changes: the server matches the repository\./, after.stdout);
  });

  it("makes the same round trip with advanced keys", async () => {
    const repo = join(work, "signed");
    assert.equal((await warden(source, keys.sourceAdvanced as Key, true, "pull", repo)).code, 0);
    const applied = await warden(target, keys.targetAdvanced as Key, true, "apply", repo, "--yes");
    assert.match(applied.stdout, /applied 10202 of 10202 changes/, applied.stdout);
    const planned = await warden(target, keys.targetAdvanced as Key, true, "plan", repo, "--json");
    assert.deepEqual(JSON.parse(planned.stdout).changes, []);
  });

  it("plans edits field by field, deletes only with --prune, and converges", async () => {
    const repo = join(work, "repo");
    const edited = join(repo, "biocs", "rule-3.yaml");
    writeFileSync(
      edited,
      readFileSync(edited, "utf8").replace("severity: SEV_030_MEDIUM", "severity: SEV_050_CRITICAL"),
    );
    rmSync(join(repo, "biocs", "rule-4.yaml"));
    writeFileSync(
      join(repo, "iocs", "extra.csv"),
      "indicator,type,severity\nnew.example.org,DOMAIN_NAME,SEV_020_LOW\n",
    );

    const json = JSON.parse((await warden(target, keys.target as Key, false, "plan", repo, "--json")).stdout);
    const changes = json.changes.map(
      (c: { action: string; kind: string; key: string }) => `${c.action} ${c.kind} ${c.key}`,
    );
    assert.deepEqual(changes, ["create ioc new.example.org", "update bioc rule 3"]);
    assert.equal(json.unmanaged, 1);
    const update = json.changes[1];
    assert.deepEqual(update.diffs, [{ field: "severity", from: "SEV_030_MEDIUM", to: "SEV_050_CRITICAL" }]);

    const text = await warden(target, keys.target as Key, false, "plan", repo, "--prune");
    assert.match(
      text.stdout,
      /~ bioc "rule 3" \(.*rule-3\.yaml:1\)\n {4}severity: "SEV_030_MEDIUM" -> "SEV_050_CRITICAL"/,
    );
    assert.match(text.stdout, /- bioc "rule 4" \(rule \d+\)/);

    const refused = await warden(target, keys.target as Key, false, "apply", repo);
    assert.equal(refused.code, 1, "apply without a terminal asks for --yes");
    assert.match(refused.stdout, /pass --yes/);
    assert.match(
      (await warden(target, keys.target as Key, false, "apply", repo, "--prune", "--yes")).stdout,
      /applied 3 of 3/,
    );
    const after = await warden(target, keys.target as Key, false, "plan", repo, "--prune");
    assert.match(after.stdout, /No changes/);

    // A pull keeps a rule's file and the tests written into it.
    const tests = "tests:\n  fires:\n    - {event_type: PROCESS, action_process_image_name: tool-3.exe}\n";
    writeFileSync(edited, readFileSync(edited, "utf8") + tests);
    assert.equal((await warden(target, keys.target as Key, false, "pull", repo)).code, 0);
    assert.match(readFileSync(edited, "utf8"), /severity: SEV_050_CRITICAL[\s\S]*tests:\n {2}fires:\n/);
    const tested = await warden(target, keys.target as Key, false, "test", repo);
    assert.match(tested.stdout, /1 rule tests, 0 failing/, tested.stdout);
  });
});
