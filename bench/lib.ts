/** Shared pieces of the benchmark programs: seeded data, timing, and a server in a child process. */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { Agent, type IncomingHttpHeaders, request } from "node:http";
import { createServer } from "node:net";
import { join } from "node:path";
import { gunzipSync, inflateSync } from "node:zlib";
import Database from "better-sqlite3";
import { openSqlite } from "../src/storage/sqlite/sqlite-database.ts";

export const BIN = join(import.meta.dirname, "..", "bin", "warden.js");

/** mulberry32: small, fast and repeatable, so every run inserts the same values. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BenchIoc {
  indicator: string;
  type: string;
  severity: string;
  comment: string;
  reputation: string;
}

const SEVERITIES = ["SEV_010_INFO", "SEV_020_LOW", "SEV_030_MEDIUM", "SEV_040_HIGH", "SEV_050_CRITICAL"];

/** A mix like an XSOAR feed: mostly hashes, then IPs, domains and file names. */
export function makeIocs(count: number, seed: number): BenchIoc[] {
  const random = seededRandom(seed);
  const items: BenchIoc[] = [];
  for (let i = 0; i < count; i++) {
    const r = random();
    const severity = SEVERITIES[Math.floor(random() * SEVERITIES.length)] as string;
    const base = { severity, comment: "feed", reputation: "BAD" };
    if (r < 0.5)
      items.push({ ...base, indicator: createHash("sha256").update(`${seed}:${i}`).digest("hex"), type: "HASH" });
    else if (r < 0.7)
      items.push({ ...base, indicator: `${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}.${seed & 255}`, type: "IP" });
    else if (r < 0.9) items.push({ ...base, indicator: `host${i}.bad${seed}.example.com`, type: "DOMAIN_NAME" });
    else items.push({ ...base, indicator: `dropper_${seed}_${i}.exe`, type: "FILENAME" });
  }
  return items;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export function warden(env: NodeJS.ProcessEnv, ...args: string[]): string {
  return execFileSync(process.execPath, [BIN, ...args], { env, encoding: "utf8" });
}

/**
 * Starts `warden serve` as its own process (so the load generator does not share its CPU).
 * `nodeArgs` go to node itself (`--cpu-prof` is not allowed in NODE_OPTIONS).
 */
export async function startServerProcess(
  env: NodeJS.ProcessEnv,
  port: number,
  nodeArgs: string[] = [],
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...nodeArgs, BIN, "serve", "--port", String(port)], { env, stdio: "ignore" });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/public_api/v1/healthcheck`)).ok) return child;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error("the server did not start within 30 s");
}

/**
 * The floor (issue 13): the same rows, one prepared statement, one transaction, into a plain table
 * with one unique index (the value) and no triggers, on a connection set up as Warden's (WAL,
 * synchronous=NORMAL). Warden's own schema carries the audit log, so it is no floor. SQLite's
 * default page size unless `pageSize` says otherwise (Warden's new files use 8 KiB pages).
 */
export function plainInsertMs(path: string, items: BenchIoc[], pageSize?: number): number {
  const db = new Database(path);
  if (pageSize !== undefined) db.pragma(`page_size = ${pageSize}`);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("cache_size = -65536");
  db.exec(`CREATE TABLE plain (tenant_id INTEGER NOT NULL, rule_id INTEGER NOT NULL, indicator TEXT NOT NULL,
      canonical TEXT NOT NULL, type TEXT NOT NULL, severity TEXT NOT NULL, expiration_date INTEGER NOT NULL,
      default_expiration_enabled INTEGER NOT NULL, comment TEXT NOT NULL, reputation TEXT NOT NULL,
      reliability TEXT, creation_time INTEGER NOT NULL, modification_time INTEGER NOT NULL, source TEXT NOT NULL);
    CREATE UNIQUE INDEX plain_value ON plain (tenant_id, canonical);`);
  const insert = db.prepare(
    `INSERT INTO plain (tenant_id, rule_id, indicator, canonical, type, severity, expiration_date,
       default_expiration_enabled, comment, reputation, reliability, creation_time, modification_time, source)
     VALUES (1, ?, ?, ?, ?, ?, -1, 0, ?, ?, NULL, ?, ?, 'bench')`,
  );
  const ms = timedRows(db, items, (item, i, now) =>
    insert.run(
      i + 1,
      item.indicator,
      item.indicator.toLowerCase(),
      item.type,
      item.severity,
      item.comment,
      item.reputation,
      now,
      now,
    ),
  );
  db.close();
  return ms;
}

/**
 * The older baseline (before 2026-12-03): the same rows into Warden's own schema, its audit
 * triggers and indexes included. Printed beside the plain one so older figures stay comparable.
 */
export function schemaInsertMs(path: string, items: BenchIoc[]): number {
  const db = openSqlite(path);
  const tenant = db.prepare("INSERT INTO tenants (name, license, created_at) VALUES ('raw', 'xsiam', 0)").run();
  const insert = db.prepare(
    `INSERT INTO ioc_rules (tenant_id, rule_id, indicator, canonical, type, severity, expiration_date,
       default_expiration_enabled, comment, reputation, reliability, creation_time, modification_time, source)
     VALUES (?, ?, ?, ?, ?, ?, -1, 0, ?, ?, NULL, ?, ?, 'bench')`,
  );
  const ms = timedRows(db, items, (item, i, now) =>
    insert.run(
      tenant.lastInsertRowid,
      i + 1,
      item.indicator,
      item.indicator.toLowerCase(),
      item.type,
      item.severity,
      item.comment,
      item.reputation,
      now,
      now,
    ),
  );
  db.close();
  return ms;
}

function timedRows(
  db: Database.Database,
  items: BenchIoc[],
  row: (item: BenchIoc, i: number, now: number) => unknown,
): number {
  const started = performance.now();
  db.transaction(() => {
    items.forEach((item, i) => {
      row(item, i, Date.now());
    });
  })();
  return performance.now() - started;
}

/** One connection kept open between requests, as fetch keeps one. */
const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The answer's bytes as they came (compressed, if the server compressed them). */
  bytes: Buffer;
}

/**
 * POSTs bytes encoded once beforehand, as a client sending a file does, and answers the bytes
 * received; the caller decodes them (answerJson) after its clock stops. The large-body benchmarks
 * used fetch until 2026-12-03: in this process it encoded each 6 MB string body again, copied it
 * through web streams and decoded the answer on the server's own thread, and the server's figures
 * carried that client work (issue 13).
 */
export function postBytes(url: string | URL, headers: Record<string, string>, body: Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const sent = request(
      url,
      { method: "POST", agent: keepAlive, headers: { ...headers, "content-length": String(body.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }),
        );
        res.on("error", reject);
      },
    );
    sent.on("error", reject);
    sent.end(body);
  });
}

/** A RawAnswer's text, decompressed as its content-encoding says. */
export function answerText(answer: RawAnswer): string {
  return decompressed(answer).toString("utf8");
}

/** A RawAnswer's JSON. */
export function answerJson<T>(answer: RawAnswer): T {
  return JSON.parse(answerText(answer)) as T;
}

function decompressed({ headers, bytes }: RawAnswer): Buffer {
  switch (headers["content-encoding"]) {
    case undefined:
    case "identity":
      return bytes;
    case "gzip":
      return gunzipSync(bytes);
    case "deflate":
      return inflateSync(bytes);
    default:
      throw new Error(`unexpected content-encoding ${headers["content-encoding"]}`);
  }
}

/** Whom the benchmarks' own writes are recorded under in the audit log. */
export const BENCH_ACTOR = { name: "bench", address: null };
