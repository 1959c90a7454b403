/**
 * TAXII 2.1 paging at scale: 100,000 indicators in one collection, read over a real socket with
 * limit/next. Prints pages/s for the first page and for the last page (a page should cost its own
 * size, not the collection's), the time to page through everything (checking every object comes
 * exactly once), and, in the same run, what the old code read for every page: the tenant's whole
 * change feed (Store.iocChanges). Then one object by id (objects/<id>/), against the whole-collection
 * read that answered it before 2026-12-04.
 *
 *   node --import tsx bench/taxii-paging.ts [--store postgres|sqlite] [--count 100000] [--limit 1000] [--repeat 10]
 *
 * PostgreSQL: WARDEN_TEST_POSTGRES_URL (a database is created and dropped).
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import type { IocType } from "../src/domain/ioc/ioc-model.ts";
import { intelDraft } from "../src/intel/intel-draft.ts";
import type { IntelRecord } from "../src/intel/intel-model.ts";
import { collectionId, scannedTaxiiObject } from "../src/intel/taxii-collection.ts";
import { TAXII_MEDIA } from "../src/intel/taxii-media.ts";
import { median } from "./lib.ts";

const { values } = parseArgs({
  options: {
    store: { type: "string", default: "postgres" },
    count: { type: "string", default: "100000" },
    limit: { type: "string", default: "1000" },
    repeat: { type: "string", default: "10" },
  },
});
const COUNT = Number(values.count);
const LIMIT = Number(values.limit);
const REPEAT = Number(values.repeat);

async function database(dir: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (values.store === "sqlite") return { url: join(dir, "warden.db"), drop: async () => {} };
  const base = process.env.WARDEN_TEST_POSTGRES_URL;
  if (!base) throw new Error("set WARDEN_TEST_POSTGRES_URL (or --store sqlite)");
  const name = `warden_bench_${randomBytes(4).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

function records(count: number): IntelRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const [type, value]: [IocType, string] =
      i % 2 === 0
        ? ["DOMAIN_NAME", `h${i}.bench.example`]
        : ["IP", `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`];
    const draft = intelDraft(type, value, { comment: `bench ${i}` });
    assert.ok(draft.ok);
    return { kind: "rule", externalId: `bench-${i}`, part: "", draft: draft.value };
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "warden-taxii-bench-"));
  const db = await database(dir);
  const config = loadConfig(
    { database: db.url, dataDir: dir },
    { WARDEN_MASTER_KEY: randomBytes(32).toString("hex"), WARDEN_MATCH_WORKERS: "0", WARDEN_RATE_LIMIT_PER_KEY: "0" },
  );
  const { app, services } = await buildApp(config, { logger: false });
  try {
    const tenant = await services.tenants.create("bench", { name: "bench", address: null }, "xsiam");
    assert.ok(tenant.ok);
    const key = await services.keys.create(tenant.value, "viewer", "standard", null, { name: "bench", address: null });
    const all = records(COUNT);
    let started = performance.now();
    for (let from = 0; from < COUNT; from += 10_000) {
      const batch = { records: all.slice(from, from + 10_000), rejected: [] };
      await services.intel.import({
        tenantId: tenant.value.id,
        batch,
        source: "bench",
        actor: { name: "bench", address: null },
      });
    }
    console.log(
      `store ${values.store}: seeded ${COUNT} rules in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    await app.listen({ host: "127.0.0.1", port: 0 });
    const port = (app.server.address() as { port: number }).port;
    const objectsUrl = `http://127.0.0.1:${port}/taxii2/bench/collections/${collectionId(tenant.value.id)}/objects/`;
    const auth = `Basic ${Buffer.from(`${key.id}:${key.secret}`).toString("base64")}`;
    const page = async (next?: string) => {
      const url = new URL(objectsUrl);
      url.searchParams.set("limit", String(LIMIT));
      if (next) url.searchParams.set("next", next);
      const res = await fetch(url, { headers: { accept: TAXII_MEDIA, authorization: auth } });
      assert.equal(res.status, 200);
      return (await res.json()) as { objects: { id: string }[]; more: boolean; next?: string };
    };

    started = performance.now();
    const seen = new Set<string>();
    let pages = 0;
    let lastToken: string | undefined;
    for (let next: string | undefined, body = await page(); ; body = await page(next)) {
      pages++;
      for (const object of body.objects) seen.add(object.id);
      if (!body.more) break;
      lastToken = next = body.next;
    }
    const walk = (performance.now() - started) / 1000;
    assert.equal(seen.size, COUNT, "every object exactly once");
    console.log(
      `paged through ${COUNT} objects in ${pages} pages of ${LIMIT}: ${walk.toFixed(1)} s, ${(pages / walk).toFixed(1)} pages/s`,
    );

    const rate = async (token: string | undefined) => {
      const times: number[] = [];
      for (let i = 0; i < REPEAT; i++) {
        const t0 = performance.now();
        await page(token);
        times.push(performance.now() - t0);
      }
      return 1000 / median(times);
    };
    const first = await rate(undefined);
    const last = await rate(lastToken);
    console.log(
      `first page: ${first.toFixed(1)} pages/s; last page: ${last.toFixed(1)} pages/s; last/first ${(last / first).toFixed(2)} (median of ${REPEAT})`,
    );

    // one object by its id (objects/<id>/): the first request builds the tenant's derived-id
    // table, later ones read only the candidate rules' rows; beside it, the old whole-feed read
    const objectUrl = (id: string) => `${objectsUrl}${id}/`;
    const oneObject = async (id: string) => {
      const t0 = performance.now();
      const res = await fetch(objectUrl(id), { headers: { accept: TAXII_MEDIA, authorization: auth } });
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { objects: { id: string }[] }).objects[0]?.id, id);
      return performance.now() - t0;
    };
    const sampleIds = [...seen].filter((_, i) => i % Math.ceil(COUNT / 20) === 0);
    const firstObjectMs = await oneObject(sampleIds[0] as string);
    const objectTimes: number[] = [];
    for (const id of sampleIds) objectTimes.push(await oneObject(id));
    const scanTimes: number[] = [];
    for (const id of sampleIds.slice(0, 3)) {
      const t0 = performance.now();
      const entry = await scannedTaxiiObject(services.store, tenant.value.id, id, services.clock.now());
      scanTimes.push(performance.now() - t0);
      assert.equal(entry?.object.id, id);
    }
    console.log(
      `one object by id: first request ${firstObjectMs.toFixed(0)} ms, then median ${median(objectTimes).toFixed(1)} ms over ${sampleIds.length}; the old whole-collection read ${median(scanTimes).toFixed(0)} ms (median of 3)`,
    );

    const feed: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const changes = await services.store.iocChanges(tenant.value.id, -1, services.clock.now());
      feed.push(performance.now() - t0);
      assert.equal(changes.length, COUNT);
    }
    const oldFloor = median(feed);
    console.log(
      `same run, the old code's read per page (the whole change feed): ${oldFloor.toFixed(0)} ms, at most ${(1000 / oldFloor).toFixed(1)} pages/s`,
    );
  } finally {
    await app.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
