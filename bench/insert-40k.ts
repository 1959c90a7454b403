/**
 * One `indicators/insert` of 40,000 IOCs over HTTP (a real socket), against a plain
 * better-sqlite3 transaction inserting the same rows into a table with one unique index and no
 * triggers, in the same run. Target (issue 13): a ratio >= 0.35 to that plain insert (on SQLite's
 * default page size; the same insert on Warden's 8 KiB pages is printed beside it). The older
 * baseline (Warden's own schema, audit triggers included) is printed beside it. The client is
 * node:http with the body encoded beforehand (bench/lib.ts postBytes), asking for gzip as
 * python-requests does; the answer is decoded and checked after the clock stops.
 *
 *   node --import tsx bench/insert-40k.ts [--items 40000] [--runs 5]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import type { IocType } from "../src/domain/ioc/ioc-model.ts";
import { canonicalIndicator } from "../src/domain/ioc/ioc-values.ts";
import { answerJson, BENCH_ACTOR, makeIocs, median, plainInsertMs, postBytes, schemaInsertMs } from "./lib.ts";

const { values } = parseArgs({
  options: { items: { type: "string", default: "40000" }, runs: { type: "string", default: "5" } },
});
const ITEMS = Number(values.items);
const RUNS = Number(values.runs);
const dir = mkdtempSync(join(tmpdir(), "warden-bench-"));

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

async function main(): Promise<void> {
  const config = loadConfig({ database: join(dir, "warden.db"), dataDir: dir }, { WARDEN_MASTER_KEY: "11".repeat(32) });
  const { app, services } = await buildApp(config, { logger: false });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address() as { port: number };
  const url = `http://127.0.0.1:${address.port}/public_api/v1/indicators/insert`;

  const created: number[] = [];
  const updated: number[] = [];
  const plain: number[] = [];
  // CPU time of this process (server and client both): steadier than wall time on a shared machine
  const cpuCreated: number[] = [];
  const cpuPlain: number[] = [];
  const schema: number[] = [];
  // the plain insert on Warden's page size (8 KiB): how much of the ratio the page size explains
  const plainSamePages: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const items = makeIocs(ITEMS, run + 1);
    // every value is checked by the same code the server uses, so the baseline stores valid rows
    for (const item of items)
      if (!canonicalIndicator(item.type as IocType, item.indicator)) throw new Error(item.indicator);
    const tenant = await services.tenants.create(`bench${run}`, BENCH_ACTOR);
    if (!tenant.ok) throw new Error(tenant.error);
    const key = await services.keys.create(tenant.value, "instance_admin", "standard", null, BENCH_ACTOR);
    const body = Buffer.from(JSON.stringify({ request_data: items }));
    const headers = {
      "x-xdr-auth-id": String(key.id),
      authorization: key.secret,
      "content-type": "application/json",
      // what python-requests (and fetch, over http) asks for; IDENTITY=1 takes the answer uncompressed
      "accept-encoding": process.env.IDENTITY ? "identity" : "gzip, deflate",
    };
    const send = async () => {
      const started = performance.now();
      const cpuStarted = cpuMs();
      const raw = await postBytes(url, headers, body);
      const ms = performance.now() - started;
      const cpu = cpuMs() - cpuStarted;
      const answer = answerJson<{ added_objects: unknown[]; updated_objects: unknown[]; errors: unknown[] }>(raw);
      if (raw.status !== 200 || answer.errors.length > 0) throw new Error(`insert failed: ${raw.status}`);
      return { ms, cpu, answer };
    };
    const first = await send();
    cpuCreated.push(first.cpu);
    if (first.answer.added_objects.length !== ITEMS) throw new Error("not every item was created");
    created.push(first.ms);
    const second = await send();
    if (second.answer.updated_objects.length !== ITEMS) throw new Error("not every item was updated");
    updated.push(second.ms);
    const cpuPlainBefore = cpuMs();
    plain.push(plainInsertMs(join(dir, `plain-${run}.db`), items));
    cpuPlain.push(cpuMs() - cpuPlainBefore);
    schema.push(schemaInsertMs(join(dir, `schema-${run}.db`), items));
    plainSamePages.push(plainInsertMs(join(dir, `plain-8k-${run}.db`), items, 8192));
  }
  await app.close();
  rmSync(dir, { recursive: true, force: true });

  const rate = (ms: number) => Math.round(ITEMS / (ms / 1000));
  const report = {
    items: ITEMS,
    runs: RUNS,
    http_insert_new_ms: Math.round(median(created)),
    http_insert_new_items_per_s: rate(median(created)),
    http_update_same_ms: Math.round(median(updated)),
    http_update_same_items_per_s: rate(median(updated)),
    plain_sqlite_ms: Math.round(median(plain)),
    plain_sqlite_items_per_s: rate(median(plain)),
    ratio_new_to_plain: Number((median(plain) / median(created)).toFixed(3)),
    cpu_ratio_new_to_plain: Number((median(cpuPlain) / median(cpuCreated)).toFixed(3)),
    ratio_update_to_plain: Number((median(plain) / median(updated)).toFixed(3)),
    plain_sqlite_8k_pages_ms: Math.round(median(plainSamePages)),
    ratio_new_to_plain_8k_pages: Number((median(plainSamePages) / median(created)).toFixed(3)),
    // the baseline before 2026-12-03: Warden's schema with its audit triggers
    schema_sqlite_items_per_s: rate(median(schema)),
    ratio_new_to_schema: Number((median(schema) / median(created)).toFixed(3)),
  };
  console.log(JSON.stringify(report, null, 2));
}

await main();
