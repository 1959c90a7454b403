/**
 * The XSOAR sync paths over HTTP: `tim_insert_jsons` with 40,000 items, and `sync_tim_iocs` with a
 * 200,000-line NDJSON file, each against a plain better-sqlite3 transaction inserting the same
 * rows into a plain table (one unique index, no triggers) in the same run. Target (issue #3): both >= 80,000 items/s.
 * The client is node:http with each body (the multipart file too) encoded beforehand, asking for
 * gzip as python-requests does (bench/lib.ts postBytes; `fetch` until 2026-12-04, which re-encoded
 * the bodies on the server's own thread); the answer is decoded and checked after the clock stops.
 *
 *   node --import tsx bench/legacy-sync.ts [--jsons 40000] [--sync 200000] [--runs 3]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { advancedAuthorization } from "../src/domain/keys/key-secrets.ts";
import { answerText, BENCH_ACTOR, type BenchIoc, makeIocs, median, plainInsertMs, postBytes } from "./lib.ts";

const { values } = parseArgs({
  options: {
    jsons: { type: "string", default: "40000" },
    sync: { type: "string", default: "200000" },
    runs: { type: "string", default: "3" },
  },
});
const dir = mkdtempSync(join(tmpdir(), "warden-legacy-"));

/** XSOAR's plain severities, as the integration sends them. */
function toLegacy(items: BenchIoc[]) {
  return items.map((item) => ({ ...item, severity: item.severity.replace(/^SEV_\d+_/, "") }));
}

interface Encoded {
  body: Buffer;
  contentType: string;
}

/** A form as the bytes (and boundary) a client sends, encoded before the clock starts. */
async function multipart(form: FormData): Promise<Encoded> {
  const request = new Request("http://127.0.0.1/", { method: "POST", body: form });
  const contentType = request.headers.get("content-type");
  if (!contentType) throw new Error("no multipart content type");
  return { body: Buffer.from(await request.arrayBuffer()), contentType };
}

async function main(): Promise<void> {
  const config = loadConfig({ database: join(dir, "warden.db"), dataDir: dir }, { WARDEN_MASTER_KEY: "22".repeat(32) });
  const { app, services } = await buildApp(config, { logger: false });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/public_api/v1/indicators`;

  const timed = async (tenantName: string, path: string, { body, contentType }: Encoded) => {
    const tenant = await services.tenants.create(tenantName, BENCH_ACTOR);
    if (!tenant.ok) throw new Error(tenant.error);
    const key = await services.keys.create(tenant.value, "instance_admin", "advanced", null, BENCH_ACTOR);
    const nonce = `n${Math.random()}`;
    const timestamp = String(Date.now());
    const headers: Record<string, string> = {
      "x-xdr-auth-id": String(key.id),
      "x-xdr-nonce": nonce,
      "x-xdr-timestamp": timestamp,
      authorization: advancedAuthorization(key.secret, nonce, timestamp),
      "x-iocs-source": "xsoar",
      "content-type": contentType,
      "accept-encoding": "gzip, deflate",
    };
    const started = performance.now();
    const res = await postBytes(`${base}/${path}`, headers, body);
    const ms = performance.now() - started;
    if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${answerText(res).slice(0, 300)}`);
    return ms;
  };

  const jsonsCount = Number(values.jsons);
  const syncCount = Number(values.sync);
  const results = { jsons: [] as number[], sync: [] as number[], rawJsons: [] as number[], rawSync: [] as number[] };
  for (let run = 0; run < Number(values.runs); run++) {
    const jsonItems = makeIocs(jsonsCount, 100 + run);
    const jsons = JSON.stringify({ request_data: toLegacy(jsonItems) });
    results.jsons.push(
      await timed(`jsons${run}`, "tim_insert_jsons/", { body: Buffer.from(jsons), contentType: "application/json" }),
    );
    results.rawJsons.push(plainInsertMs(join(dir, `raw-jsons-${run}.db`), jsonItems));

    const syncItems = makeIocs(syncCount, 200 + run);
    const form = new FormData();
    const ndjson = toLegacy(syncItems)
      .map((item) => JSON.stringify(item))
      .join("\n");
    form.append("file", new Blob([ndjson], { type: "application/json" }), "iocs.json");
    results.sync.push(await timed(`sync${run}`, "sync_tim_iocs", await multipart(form)));
    results.rawSync.push(plainInsertMs(join(dir, `raw-sync-${run}.db`), syncItems));
  }
  await app.close();
  rmSync(dir, { recursive: true, force: true });

  const rate = (count: number, ms: number) => Math.round(count / (ms / 1000));
  console.log(
    JSON.stringify(
      {
        runs: Number(values.runs),
        tim_insert_jsons_items: jsonsCount,
        tim_insert_jsons_ms: Math.round(median(results.jsons)),
        tim_insert_jsons_items_per_s: rate(jsonsCount, median(results.jsons)),
        tim_insert_jsons_ratio_to_plain: Number((median(results.rawJsons) / median(results.jsons)).toFixed(3)),
        sync_tim_iocs_lines: syncCount,
        sync_tim_iocs_ms: Math.round(median(results.sync)),
        sync_tim_iocs_items_per_s: rate(syncCount, median(results.sync)),
        sync_tim_iocs_ratio_to_plain: Number((median(results.rawSync) / median(results.sync)).toFixed(3)),
        plain_sqlite_items_per_s: rate(syncCount, median(results.rawSync)),
      },
      null,
      2,
    ),
  );
}

await main();
