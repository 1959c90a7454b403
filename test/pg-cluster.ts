/**
 * Warden nodes as real processes on one throwaway PostgreSQL database, for the tests that need a
 * cluster: a database of its own, nodes started together (so migrations race under their lock),
 * the CLI on the same database, and everything gone afterwards.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { freePort } from "./ports.ts";

const BIN = join(import.meta.dirname, "..", "bin", "warden.js");

export interface ClusterNode {
  process: ChildProcess;
  url: string;
}

export interface PgCluster {
  nodes: ClusterNode[];
  /** Starts one more node on the same database (not in `nodes`), answering once it is healthy. */
  startNode(name: string): Promise<ClusterNode>;
  /** The environment a `warden` command on the cluster's database runs in. */
  cliEnv: NodeJS.ProcessEnv;
  /** Runs `warden ARGS` against the cluster's database and returns what it printed. */
  cli(...args: string[]): string;
  stop(): Promise<void>;
}

/** Polls a URL until it answers 2xx, for up to 30 s. */
export async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never answered`);
}

async function adminQuery(baseUrl: string, sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** `count` nodes on a fresh database of the server at `baseUrl`, with `env` added to each node's. */
export async function startPgCluster(baseUrl: string, count: number, env: NodeJS.ProcessEnv = {}): Promise<PgCluster> {
  const dir = mkdtempSync(join(tmpdir(), "warden-cluster-"));
  const dbName = `warden_cluster_${randomBytes(6).toString("hex")}`;
  await adminQuery(baseUrl, `CREATE DATABASE ${dbName}`);
  const url = new URL(baseUrl);
  url.pathname = `/${dbName}`;
  const shared: NodeJS.ProcessEnv = {
    ...process.env,
    WARDEN_DATABASE: url.toString(),
    WARDEN_MASTER_KEY: randomBytes(32).toString("hex"),
    WARDEN_LOG_LEVEL: "warn",
    ...env,
  };
  const spawnNode = async (name: string): Promise<ClusterNode> => {
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, "serve", "--port", String(port)], {
      env: { ...shared, WARDEN_DATA_DIR: join(dir, name) },
      stdio: "ignore",
    });
    return { process: child, url: `http://127.0.0.1:${port}` };
  };
  const nodes = await Promise.all(Array.from({ length: count }, (_, i) => spawnNode(`node${i}`)));
  const started: ClusterNode[] = [...nodes];
  await Promise.all(nodes.map((n) => waitFor(`${n.url}/public_api/v1/healthcheck`)));
  const cliEnv = { ...shared, WARDEN_DATA_DIR: dir };
  return {
    nodes,
    cliEnv,
    async startNode(name) {
      const node = await spawnNode(name);
      started.push(node);
      await waitFor(`${node.url}/public_api/v1/healthcheck`);
      return node;
    },
    cli: (...args) => execFileSync(process.execPath, [BIN, ...args], { env: cliEnv, encoding: "utf8" }),
    async stop() {
      for (const node of started) node.process.kill("SIGTERM");
      await adminQuery(baseUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
