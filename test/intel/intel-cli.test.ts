/** `warden intel import` as a user runs it: a real process on a SQLite file, MISP feeds and CSV. */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { buildApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import type { IocRule } from "../../src/domain/ioc/ioc-model.ts";
import { collectionId } from "../../src/intel/taxii-collection.ts";
import { openStore } from "../../src/storage/open-store.ts";
import { seededUuid } from "./stix-fixtures.ts";
import { indicatorProblems } from "./stix-validator.ts";

const run = promisify(execFile);
const BIN = join(import.meta.dirname, "..", "..", "bin", "warden.js");

describe("warden intel import", () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const warden = (...args: string[]) => run(process.execPath, [BIN, ...args], { env });
  const importJson = async (...args: string[]) =>
    JSON.parse((await warden("intel", "import", ...args, "--json")).stdout);

  async function rulesOf(tenant: string): Promise<IocRule[]> {
    const store = await openStore(join(dir, "warden.db"));
    try {
      const found = await store.findTenantByName(tenant);
      assert.ok(found);
      return (await store.findIocs(found.id, [], { from: 0, to: 1000 }, Date.now())).rules;
    } finally {
      await store.close();
    }
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "warden-intel-cli-"));
    env = { ...process.env, WARDEN_DATA_DIR: dir, WARDEN_LOG_LEVEL: "warn" };
    delete env.WARDEN_MASTER_KEY;
    delete env.WARDEN_DATABASE;
    await warden("tenant", "create", "feeds");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("imports a MISP feed directory with a result per attribute, and again changes nothing", async () => {
    const feed = join(dir, "feed");
    mkdirSync(feed);
    const [e1, e2, missing] = [seededUuid("e1"), seededUuid("e2"), seededUuid("e3")];
    const attr = (seed: string, type: string, value: string, toIds = true) => ({
      uuid: seededUuid(seed),
      type,
      value,
      to_ids: toIds,
    });
    const manifest = { [e1]: { info: "one" }, [e2]: { info: "two" }, [missing]: { info: "gone" }, "../etc": {} };
    writeFileSync(join(feed, "manifest.json"), JSON.stringify(manifest));
    const event = (info: string, attributes: unknown[]) => JSON.stringify({ Event: { info, Attribute: attributes } });
    writeFileSync(
      join(feed, `${e1}.json`),
      event("one", [attr("a1", "md5", "a".repeat(32)), attr("a2", "hostname", "x.example")]),
    );
    writeFileSync(
      join(feed, `${e2}.json`),
      event("two", [attr("a3", "url", "http://x.example/p"), attr("a4", "comment", "hi", false)]),
    );
    const first = await importJson(feed, "--tenant", "feeds", "--source", "misp-feed");
    assert.equal(first.format, "misp");
    assert.equal(first.created, 3, JSON.stringify(first));
    const refs = Object.fromEntries(first.rejected.map((r: { ref: string; reason: string }) => [r.ref, r.reason]));
    assert.match(refs[seededUuid("a4")], /to_ids is off/);
    assert.match(refs[missing], /event file cannot be read: ENOENT/);
    assert.match(refs["../etc"], /not a uuid/);
    const rules = await rulesOf("feeds");
    assert.deepEqual(rules.map((r) => [r.indicator, r.type, r.source, r.comment]).sort(), [
      ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "HASH", "misp-feed", "one"],
      ["http://x.example/p", "URL", "misp-feed", "two"],
      ["x.example", "DOMAIN_NAME", "misp-feed", "one"],
    ]);
    const again = await importJson(feed, "--tenant", "feeds", "--source", "misp-feed");
    assert.deepEqual([again.created, again.updated, again.unchanged], [0, 0, 3]);
  });

  it("imports CSV through a header mapping, recognising types it is not told, and prints a summary", async () => {
    const csv = join(dir, "iocs.csv");
    writeFileSync(
      csv,
      [
        "ioc,kind,why,ref",
        "203.0.113.5,,scanner,r1",
        "bad.example,domain,phish,r2",
        `${"f".repeat(64)},,,r3`,
        "10.0.0.0/8,,range,r4",
        "???,,what,r5",
        "/tmp/evil.sh,,dropper,r6",
      ].join("\n"),
    );
    const { stdout } = await warden(
      "intel",
      "import",
      csv,
      "--tenant",
      "feeds",
      "--no-progress",
      "--columns",
      "indicator=ioc,type=kind,comment=why,id=ref",
    );
    assert.match(
      stdout,
      /imported csv into tenant 'feeds': 4 created, 0 updated, 0 unchanged, 0 deleted; 2 objects not imported/,
    );
    assert.match(stdout, /row 5: the CIDR block 10\.0\.0\.0\/8/);
    assert.match(stdout, /row 6: cannot tell the type of '\?\?\?'/);
    const rules = await rulesOf("feeds");
    const byValue = (v: string) => rules.find((r) => r.indicator === v);
    assert.equal(byValue("203.0.113.5")?.type, "IP");
    assert.equal(byValue("bad.example")?.comment, "phish");
    assert.equal(byValue("f".repeat(64))?.type, "HASH");
    assert.equal(byValue("/tmp/evil.sh")?.type, "PATH");
  });

  it("exports the tenant's rules as STIX 2.1, MISP and CSV, each importable again", async () => {
    const stixFile = join(dir, "out.json");
    const { stderr } = await warden("intel", "export", "--tenant", "feeds", "--format", "stix", "--out", stixFile);
    assert.match(stderr, /exported 7 rules of tenant 'feeds' as stix/);
    const doc = JSON.parse(readFileSync(stixFile, "utf8"));
    for (const o of doc.objects) assert.deepEqual(indicatorProblems(o), [], JSON.stringify(o));
    await warden("tenant", "create", "copy");
    const back = await importJson(stixFile, "--tenant", "copy");
    assert.equal(back.created, 7);
    const misp = await warden("intel", "export", "--tenant", "feeds", "--format", "misp");
    assert.equal(JSON.parse(misp.stdout).Event.Attribute.length, 7);
    const csv = await warden("intel", "export", "--tenant", "feeds", "--format", "csv");
    assert.equal(csv.stdout.split("\n").length, 9, csv.stdout);
    assert.match(csv.stdout, /^id,indicator,type,severity,expiration_date,comment,reputation,reliability\n/);
  });

  it("subscribes a tenant to a TAXII collection, pulls it, lists its last pull, and refuses internal URLs", async () => {
    // a real TAXII 2.1 server on loopback: Warden's own, on the same store, serving tenant 'feeds'
    const { app, services } = await buildApp(loadConfig({ dataDir: dir }, { WARDEN_LOG_LEVEL: "warn" }), {
      logger: false,
    });
    try {
      await app.listen({ host: "127.0.0.1", port: 0 });
      const port = (app.server.address() as { port: number }).port;
      const reader = JSON.parse(
        (await warden("key", "create", "--tenant", "feeds", "--role", "viewer", "--json")).stdout,
      );
      const feeds = await services.tenants.find("feeds");
      assert.ok(feeds.ok);
      await warden("tenant", "create", "subscriber");
      const url = `http://127.0.0.1:${port}/taxii2/feeds/`;
      const add = (...extra: string[]) =>
        warden(
          "intel",
          "feeds",
          "add",
          "up",
          "--tenant",
          "subscriber",
          "--url",
          url,
          "--collection",
          collectionId(feeds.value.id),
          "--user",
          String(reader.id),
          "--password-env",
          "FEED_SECRET",
          "--every",
          "60",
          ...extra,
        );
      env = { ...env, FEED_SECRET: reader.secret };
      await assert.rejects(add(), /internal address \(127\.0\.0\.1\); list it in WARDEN_INTEL_FEED_HOSTS/);
      env = { ...env, WARDEN_INTEL_FEED_HOSTS: `127.0.0.1:${port}` };
      assert.match((await add()).stdout, /added feed 'up'/);
      const pulled = await warden("intel", "feeds", "pull", "up", "--tenant", "subscriber");
      assert.match(pulled.stdout, /pulled 'up': 7 created, 0 updated, 0 unchanged, 0 deleted/);
      const again = await warden("intel", "feeds", "pull", "up", "--tenant", "subscriber");
      assert.match(again.stdout, /pulled 'up': 0 created/);
      const [listed] = (await warden("intel", "feeds", "list", "--tenant", "subscriber", "--json")).stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line));
      assert.equal(listed.name, "up");
      assert.equal(listed.lastError, null);
      assert.equal(listed.hasPassword, true);
      assert.equal(JSON.stringify(listed).includes(reader.secret), false);
      assert.match((await warden("intel", "feeds", "remove", "up", "--tenant", "subscriber")).stdout, /removed/);
    } finally {
      await app.close();
    }
  });

  it("fails with a clear message, not a stack trace, on what it cannot read", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, '{"not": "intel"}');
    await assert.rejects(
      warden("intel", "import", bad, "--tenant", "feeds"),
      (error: { code: number; stderr: string }) => {
        assert.equal(error.code, 1);
        assert.match(error.stderr, /^error: the JSON is neither a STIX 2.1 bundle nor a MISP event\n$/);
        return true;
      },
    );
    await assert.rejects(warden("intel", "import", bad, "--tenant", "nobody"), /tenant/);
    await assert.rejects(warden("intel", "import", join(dir, "nope.json"), "--tenant", "feeds"), /cannot read/);
  });
});
