/**
 * A STIX 2.1 bundle of 100,000 indicators through `intel/import`, against `indicators/insert` of
 * the same rules, each over HTTP (a real socket) into a fresh tenant, in the same run; then the
 * same bundle again (every object unchanged). Target (issue 15): import >= 0.5 of insert's speed.
 *
 *   node --import tsx bench/intel-import.ts [--items 100000] [--runs 3]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import type { IocType } from "../src/domain/ioc/ioc-model.ts";
import { patternOf } from "../src/intel/stix-ioc-map.ts";
import { BENCH_ACTOR, type BenchIoc, makeIocs, median } from "./lib.ts";

const { values } = parseArgs({
  options: { items: { type: "string", default: "100000" }, runs: { type: "string", default: "3" } },
});
const ITEMS = Number(values.items);
const RUNS = Number(values.runs);
const dir = mkdtempSync(join(tmpdir(), "warden-bench-"));

function bundleOf(items: BenchIoc[], run: number) {
  const objects = items.map((item, i) => ({
    type: "indicator",
    spec_version: "2.1",
    id: `indicator--${String(run).padStart(8, "0")}-0000-4000-8000-${String(i).padStart(12, "0")}`,
    created: "2026-01-01T00:00:00.000Z",
    modified: "2026-01-01T00:00:00.000Z",
    valid_from: "2026-01-01T00:00:00.000Z",
    pattern_type: "stix",
    pattern: patternOf(item.type as IocType, item.indicator),
    description: item.comment,
    indicator_types: ["malicious-activity"],
    x_warden_severity: item.severity,
  }));
  return { type: "bundle", id: `bundle--${String(run).padStart(8, "0")}-0000-4000-8000-000000000000`, objects };
}

async function main(): Promise<void> {
  const config = loadConfig({ database: join(dir, "warden.db"), dataDir: dir }, { WARDEN_MASTER_KEY: "11".repeat(32) });
  const { app, services } = await buildApp(config, { logger: false });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/public_api/v1`;
  const keyFor = async (name: string) => {
    const tenant = await services.tenants.create(name, BENCH_ACTOR);
    if (!tenant.ok) throw new Error(tenant.error);
    return services.keys.create(tenant.value, "instance_admin", "standard", null, BENCH_ACTOR);
  };
  const post = async (path: string, body: string, key: { id: number; secret: string }) => {
    const started = performance.now();
    const res = await fetch(`${base}/${path}`, {
      method: "POST",
      headers: { "x-xdr-auth-id": String(key.id), authorization: key.secret, "content-type": "application/json" },
      body,
    });
    const answer = (await res.json()) as Record<string, unknown>;
    if (res.status !== 200) throw new Error(`${path} failed: ${res.status} ${JSON.stringify(answer).slice(0, 300)}`);
    return { ms: performance.now() - started, answer };
  };

  const inserts: number[] = [];
  const imports: number[] = [];
  const again: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const items = makeIocs(ITEMS, run + 1);
    const insertBody = JSON.stringify({ request_data: items });
    const importBody = JSON.stringify({ request_data: { content: bundleOf(items, run) } });
    const insertKey = await keyFor(`insert${run}`);
    const importKey = await keyFor(`import${run}`);
    // alternate which goes first, so neither always meets a warmer cache
    const doInsert = async () => {
      const { ms, answer } = await post("indicators/insert", insertBody, insertKey);
      if ((answer.added_objects as unknown[]).length !== ITEMS) throw new Error("insert: not every item created");
      inserts.push(ms);
    };
    const doImport = async () => {
      const { ms, answer } = await post("intel/import", importBody, importKey);
      const reply = answer.reply as { created: number };
      if (reply.created !== ITEMS) throw new Error(`import: ${reply.created} of ${ITEMS} created`);
      imports.push(ms);
    };
    if (run % 2 === 0) await doInsert().then(doImport);
    else await doImport().then(doInsert);
    const { ms, answer } = await post("intel/import", importBody, importKey);
    if ((answer.reply as { unchanged: number }).unchanged !== ITEMS) throw new Error("re-import changed something");
    again.push(ms);
  }
  await app.close();
  rmSync(dir, { recursive: true, force: true });

  const rate = (ms: number) => Math.round(ITEMS / (ms / 1000));
  console.log(
    JSON.stringify(
      {
        items: ITEMS,
        runs: RUNS,
        insert_ms: Math.round(median(inserts)),
        insert_items_per_s: rate(median(inserts)),
        stix_import_ms: Math.round(median(imports)),
        stix_import_items_per_s: rate(median(imports)),
        stix_reimport_unchanged_ms: Math.round(median(again)),
        ratio_import_to_insert: Number((median(inserts) / median(imports)).toFixed(3)),
      },
      null,
      2,
    ),
  );
}

await main();
