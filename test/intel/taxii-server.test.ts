/** Warden's TAXII 2.1 server over a real socket, driven by a client written from the specification. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { IocType } from "../../src/domain/ioc/ioc-model.ts";
import { intelDraft } from "../../src/intel/intel-draft.ts";
import type { IntelRecord } from "../../src/intel/intel-model.ts";
import { startTestApp, type TestApp, type TestKey } from "../harness.ts";
import { indicatorProblems } from "./stix-validator.ts";
import { SpecTaxiiClient, TAXII } from "./taxii-spec-client.ts";

const MANY = 100_000;

describe("TAXII 2.1 server", () => {
  let t: TestApp;
  let base: string;
  let key: TestKey;
  let client: SpecTaxiiClient;
  let root: string;
  let collection: string;

  /** Rules straight through the import service: the subject here is serving them, not writing them. */
  async function seed(tenant: string, count: number, prefix: string): Promise<void> {
    const found = await t.services.tenants.find(tenant);
    assert.ok(found.ok);
    const records: IntelRecord[] = [];
    for (let i = 0; i < count; i++) {
      const [type, value]: [IocType, string] =
        i % 2 === 0
          ? ["DOMAIN_NAME", `h${i}.${prefix}.example`]
          : ["IP", `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`];
      const draft = intelDraft(type, value, { comment: `${prefix} ${i}` });
      assert.ok(draft.ok);
      records.push({ kind: "rule", externalId: `${prefix}-${i}`, part: "", draft: draft.value });
    }
    const actor = { name: "test set-up", address: null };
    await t.services.intel.import({
      tenantId: found.value.id,
      batch: { records, rejected: [] },
      source: "seed",
      actor,
    });
  }

  before(async () => {
    t = await startTestApp();
    await t.app.listen({ host: "127.0.0.1", port: 0 });
    base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
    key = await t.key("taxii-a", "viewer");
    client = new SpecTaxiiClient(base, String(key.id), key.secret);
  });
  after(async () => t.close());

  it("discovers its API root and one read-only collection, and pages through 100,000 indicators", async () => {
    await seed("taxii-a", MANY, "many");
    const discovery = await client.discover();
    assert.deepEqual(discovery.api_roots, ["/taxii2/taxii-a/"]);
    root = discovery.api_roots[0] as string;
    const collections = await client.collections(root);
    assert.equal(collections.length, 1);
    const [only] = collections;
    assert.ok(only?.can_read);
    assert.deepEqual(only?.media_types, ["application/stix+json;version=2.1"]);
    collection = only.id;

    const { objects, pages } = await client.allObjects(root, collection, 5_000);
    assert.equal(pages, 20);
    assert.equal(objects.length, MANY);
    assert.equal(new Set(objects.map((o) => o.id)).size, MANY, "no object twice");
    const problems = objects.flatMap((o) => indicatorProblems(o));
    assert.deepEqual(problems.slice(0, 3), []);
  });

  it("sends only what was added after added_after, and revokes disabled, expired and deleted rules", async () => {
    const res = await client.ok(`${root}collections/${collection}/objects/`, { limit: "1" });
    const last = res.headers.get("x-taxii-date-added-last") as string;
    assert.ok(last);
    const quiet = await client.ok(`${root}collections/${collection}/manifest/`, {
      added_after: new Date(t.clock.now()).toISOString(),
    });
    assert.deepEqual(quiet.body, { more: false }, "nothing changed since now");

    const since = new Date(t.clock.now()).toISOString();
    t.clock.advance(1000);
    const admin = await t.key("taxii-a");
    const insert = [
      { indicator: "new.example", type: "DOMAIN_NAME", severity: "SEV_040_HIGH" },
      {
        indicator: "soon.example",
        type: "DOMAIN_NAME",
        severity: "SEV_040_HIGH",
        expiration_date: t.clock.now() + 500,
      },
    ];
    await t.post("/public_api/v1/indicators/insert", { request_data: insert }, admin);
    await t.post("/public_api/v1/indicators/disable_iocs", { request_data: ["h0.many.example"] }, admin);
    const filters = [{ field: "indicator", operator: "in", value: ["h2.many.example"] }];
    await t.post("/public_api/v1/indicators/delete", { request_data: { filters } }, admin);
    t.clock.advance(1000);

    const { objects } = await client.allObjects(root, collection, 2, { added_after: since });
    const byPattern = (value: string) => objects.find((o) => String(o.pattern).includes(`'${value}'`));
    assert.equal(objects.length, 4);
    assert.equal(byPattern("new.example")?.revoked, undefined);
    assert.equal(byPattern("soon.example")?.revoked, true, "expired");
    assert.equal(byPattern("h0.many.example")?.revoked, true, "disabled");
    assert.equal(byPattern("h2.many.example")?.revoked, true, "deleted");

    const manifest = await client.ok(`${root}collections/${collection}/manifest/`, { added_after: since });
    for (const record of manifest.body.objects) {
      assert.equal(record.media_type, "application/stix+json;version=2.1");
      assert.ok(record.date_added > since);
    }
    const one = byPattern("new.example") as { id: string; modified: string };
    const single = await client.ok(`${root}collections/${collection}/objects/${one.id}/`);
    assert.equal(single.body.objects[0].id, one.id);
    const versions = await client.ok(`${root}collections/${collection}/objects/${one.id}/versions/`);
    assert.deepEqual(versions.body.versions, [one.modified]);
    const byId = await client.ok(`${root}collections/${collection}/objects/`, { "match[id]": one.id });
    assert.equal(byId.body.objects.length, 1);
    const otherType = await client.ok(`${root}collections/${collection}/objects/`, { "match[type]": "malware" });
    assert.deepEqual(otherType.body, { more: false });
  });

  it("serves each object by its id exactly as the pages do, whatever named it, a deleted one revoked", async () => {
    const found = await t.services.tenants.find("taxii-a");
    assert.ok(found.ok);
    const stixId = "indicator--5a8c0b9e-3c1d-4e2f-9a7b-1c2d3e4f5a6b";
    const mispUuid = "0F1E2D3C-4B5A-4978-8A6B-5C4D3E2F1A0B";
    const imported = (externalId: string, value: string): IntelRecord => {
      const draft = intelDraft("DOMAIN_NAME", value, { comment: externalId });
      assert.ok(draft.ok);
      return { kind: "rule", externalId, part: "", draft: draft.value };
    };
    t.clock.advance(1000);
    await t.services.intel.import({
      tenantId: found.value.id,
      batch: { records: [imported(stixId, "stix.example"), imported(mispUuid, "misp.example")], rejected: [] },
      source: "seed",
      actor: { name: "test set-up", address: null },
    });
    // the oracle: the whole collection as its pages serve it, and when each object was added
    const { objects } = await client.allObjects(root, collection, 10_000);
    const manifest = await client.allManifest(root, collection, 10_000);
    assert.deepEqual(
      manifest.map((r) => r.id),
      objects.map((o) => o.id),
    );
    const idOf = (value: string) => String(objects.find((o) => String(o.pattern).includes(`'${value}'`))?.id);
    assert.equal(idOf("stix.example"), stixId, "an imported STIX id is kept");
    assert.equal(idOf("misp.example"), `indicator--${mispUuid.toLowerCase()}`, "a MISP uuid becomes the id");
    const deleted = objects.findIndex((o) => String(o.pattern).includes("'h2.many.example'"));
    assert.equal(objects[deleted]?.revoked, true, "the rule deleted earlier is in the feed, revoked");

    // the oldest, every 9,973rd, and the last 25 (every rule the tests above changed, and the imports)
    const sample = [...objects.keys()].filter((i) => i < 3 || i % 9_973 === 0 || i >= objects.length - 25);
    assert.ok(sample.includes(deleted));
    const one = (id: string) => client.get(`${root}collections/${collection}/objects/${id}/`);
    for (const i of sample) {
      const id = String(objects[i]?.id);
      const single = await one(id);
      assert.equal(single.status, 200, id);
      assert.deepEqual(single.body, { more: false, objects: [objects[i]] }, `${id} as its page served it`);
      assert.equal(single.headers.get("x-taxii-date-added-first"), manifest[i]?.date_added, `when ${id} was added`);
    }

    // a rule written after those lookups is found by its id too
    const admin = await t.key("taxii-a");
    const later = { indicator: "later.example", type: "DOMAIN_NAME", severity: "SEV_020_LOW" };
    t.clock.advance(1000);
    assert.equal((await t.post("/public_api/v1/indicators/insert", { request_data: [later] }, admin)).statusCode, 200);
    const fresh = await client.allObjects(root, collection, 100, {
      added_after: manifest.at(-1)?.date_added as string,
    });
    const laterId = String(fresh.objects.find((o) => String(o.pattern).includes("'later.example'"))?.id);
    assert.match(laterId, /^indicator--/);
    assert.deepEqual(
      (await one(laterId)).body.objects,
      fresh.objects.filter((o) => o.id === laterId),
    );

    assert.equal((await one(laterId.toUpperCase())).status, 404, "ids are lower case");
    assert.equal((await one("indicator--00000000-0000-5000-8000-000000000000")).status, 404);
  });

  it("keeps tenants apart and answers bad requests as TAXII errors", async () => {
    const other = await t.key("taxii-b", "viewer");
    const stranger = new SpecTaxiiClient(base, String(other.id), other.secret);
    assert.deepEqual((await stranger.discover()).api_roots, ["/taxii2/taxii-b/"]);
    const theirs = await stranger.get(`${root}collections/`);
    assert.equal(theirs.status, 404);
    const guessed = await stranger.get(`/taxii2/taxii-b/collections/${collection}/objects/`);
    assert.equal(guessed.status, 404, "another tenant's collection id is no collection here");
    assert.equal(
      (await client.get(`${root}collections/${collection}/objects/`, { added_after: "yesterday" })).status,
      400,
    );
    assert.equal((await client.get(`${root}collections/${collection}/objects/`, { next: "forged" })).status, 400);
    assert.equal((await client.get(`${root}collections/${collection}/objects/indicator--nope/`)).status, 404);
    const wrong = new SpecTaxiiClient(base, String(key.id), "not the secret");
    const denied = await wrong.get("/taxii2/");
    assert.equal(denied.status, 401);
    assert.equal(denied.headers.get("www-authenticate"), 'Basic realm="Warden TAXII", charset="UTF-8"');
    const res = await fetch(`${base}/taxii2/`, { headers: { accept: "application/xml" } });
    assert.equal(res.status, 406);
    const post = await fetch(`${base}${root}collections/${collection}/objects/`, {
      method: "POST",
      headers: { accept: TAXII },
    });
    assert.ok(post.status === 404 || post.status === 405, String(post.status));
  });
});

describe("TAXII Basic auth and the failed-authentication limiter", () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ WARDEN_AUTH_FAILURES_PER_MINUTE: "3" });
  });
  after(async () => t.close());

  it("counts Basic failures with the API's own: once the address has failed three times, the next failure of either is 429", async () => {
    const key = await t.key("limited");
    const basic = (secret: string) => ({
      accept: TAXII,
      authorization: `Basic ${Buffer.from(`${key.id}:${secret}`).toString("base64")}`,
    });
    const taxii = (secret: string) => t.app.inject({ method: "GET", url: "/taxii2/", headers: basic(secret) });
    const api = (secret: string) => t.post("/public_api/v1/indicators/get", { request_data: {} }, { ...key, secret });
    assert.equal((await taxii("wrong")).statusCode, 401);
    assert.equal((await api("wrong")).statusCode, 401);
    assert.equal((await taxii("wrong")).statusCode, 401);
    const blocked = await taxii("wrong");
    assert.equal(blocked.statusCode, 429);
    assert.ok(Number(blocked.headers["retry-after"]) > 0);
    assert.equal((await api("wrong")).statusCode, 429, "the API's key headers share the count");
    // as on the API: a stranger's guesses never lock out the right secret
    assert.equal((await taxii(key.secret)).statusCode, 200);
    t.clock.advance(61_000);
    assert.equal((await taxii("wrong")).statusCode, 401);
  });
});
