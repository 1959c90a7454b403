/** STIX 2.1 and MISP intelligence imported over HTTP (`intel/import`), as the console sends it. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApp, type TestApp, type TestKey } from "../harness.ts";
import { bundle, indicator, seededUuid, T0 } from "./stix-fixtures.ts";

const IMPORT = "/public_api/v1/intel/import";

type Summary = {
  format: string;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  rejected: { ref: string; reason: string }[];
  rules: { ref: string; rule_id: number; outcome: string }[];
};
type Rule = Record<string, unknown> & { rule_id: number; indicator: string };

const ind = {
  md5: indicator("md5", "[file:hashes.MD5 = 'D41D8CD98F00B204E9800998ECF8427E']", {
    name: "Empty file",
    description: "seen in phishing",
    confidence: 85,
    indicator_types: ["malicious-activity"],
    valid_until: "2027-01-01T00:00:00Z",
  }),
  ip6: indicator("ip6", "[ipv6-addr:value = '2001:DB8:0:0:0:0:0:1']", { labels: ["benign"] }),
  cidr32: indicator("cidr32", "[ipv4-addr:value = '198.51.100.7/32']"),
  cidr8: indicator("cidr8", "[ipv4-addr:value = '10.0.0.0/8']"),
  domain: indicator("domain", "[domain-name:value = 'Evil.Example.']", { confidence: 20 }),
  url: indicator("url", "[url:value = 'https://evil.example/a?x=1']"),
  name: indicator("name", "[file:name = 'dropper.exe']"),
  path: indicator("path", "[file:parent_directory_ref.path = 'C:\\\\Windows\\\\Temp' AND file:name = 'x.exe']"),
  either: indicator(
    "either",
    "[file:hashes.'SHA-256' = 'aa00000000000000000000000000000000000000000000000000000000000000' OR file:hashes.'SHA-1' = 'bb00000000000000000000000000000000000000']",
  ),
  twoObservations: indicator("two", "[ipv4-addr:value = '1.1.1.1'] AND [ipv4-addr:value = '2.2.2.2']"),
  like: indicator("like", "[domain-name:value LIKE '%.evil.example']"),
  email: indicator("email", "[email-addr:value = 'bad@evil.example']"),
  sigma: { ...indicator("sigma", "title: x"), pattern_type: "sigma" },
  badHash: indicator("badhash", "[file:hashes.MD5 = 'not-a-hash']"),
};

const observables = [
  {
    type: "file",
    spec_version: "2.1",
    id: `file--${seededUuid("file")}`,
    hashes: { MD5: "0123456789abcdef0123456789abcdef" },
  },
  { type: "domain-name", spec_version: "2.1", id: `domain-name--${seededUuid("dn")}`, value: "loose.example" },
  // the same value as an indicator above: the indicator's rule holds it, no second one
  { type: "domain-name", spec_version: "2.1", id: `domain-name--${seededUuid("dn2")}`, value: "evil.example" },
  {
    type: "identity",
    spec_version: "2.1",
    id: `identity--${seededUuid("me")}`,
    name: "ACME CERT",
    created: T0,
    modified: T0,
  },
];

describe("intel/import", () => {
  let t: TestApp;
  let admin: TestKey;

  const importDoc = async (content: unknown, key = admin, extra: Record<string, unknown> = {}) => {
    const res = await t.post(IMPORT, { request_data: { content, ...extra } }, key);
    assert.equal(res.statusCode, 200, res.body);
    return res.json().reply as Summary;
  };
  const rules = async (key = admin): Promise<Rule[]> => {
    const res = await t.post("/public_api/v1/indicators/get", { request_data: { search_to: 500 } }, key);
    assert.equal(res.statusCode, 200, res.body);
    return res.json().objects;
  };
  const byValue = (list: Rule[], value: string) => list.find((r) => r.indicator === value);
  const reasonOf = (summary: Summary, ref: string) => summary.rejected.find((r) => r.ref === ref)?.reason ?? "";

  before(async () => {
    t = await startTestApp();
    admin = await t.key("intel-a");
  });
  after(async () => t.close());

  it("turns every supported pattern and bare observable into a rule, and says why of the rest", async () => {
    const summary = await importDoc(bundle([...Object.values(ind), ...observables]));
    assert.equal(summary.format, "stix");
    assert.equal(summary.created, 11, JSON.stringify(summary));
    const list = await rules();
    const md5 = byValue(list, "D41D8CD98F00B204E9800998ECF8427E");
    assert.ok(md5);
    assert.equal(md5.type, "HASH");
    assert.equal(md5.comment, "Empty file: seen in phishing");
    assert.equal(md5.reputation, "BAD");
    assert.equal(md5.reliability, "B");
    assert.equal(md5.expiration_date, Date.parse("2027-01-01T00:00:00Z"));
    assert.equal(md5.severity, "SEV_030_MEDIUM");
    assert.equal(md5.source, `Public API user (key #${admin.id})`);
    assert.equal(byValue(list, "2001:DB8:0:0:0:0:0:1")?.reputation, "GOOD");
    assert.equal(byValue(list, "198.51.100.7")?.type, "IP");
    assert.equal(byValue(list, "Evil.Example.")?.reliability, "E");
    assert.equal(byValue(list, "https://evil.example/a?x=1")?.type, "URL");
    assert.equal(byValue(list, "dropper.exe")?.type, "FILENAME");
    assert.equal(byValue(list, "C:\\Windows\\Temp\\x.exe")?.type, "PATH");
    assert.ok(byValue(list, "aa00000000000000000000000000000000000000000000000000000000000000"));
    assert.ok(byValue(list, "bb00000000000000000000000000000000000000"));
    assert.ok(byValue(list, "0123456789abcdef0123456789abcdef"));
    assert.ok(byValue(list, "loose.example"));
    assert.equal(list.length, 11);

    assert.match(reasonOf(summary, ind.cidr8.id), /CIDR block 10\.0\.0\.0\/8 .*one address/);
    assert.match(reasonOf(summary, ind.twoObservations.id), /pattern too complex/);
    assert.match(reasonOf(summary, ind.like.id), /pattern too complex/);
    assert.match(reasonOf(summary, ind.email.id), /unsupported type: email-addr:value/);
    assert.match(reasonOf(summary, ind.sigma.id), /pattern_type 'sigma' is not stix/);
    assert.match(reasonOf(summary, ind.badHash.id), /not a valid HASH/);
    assert.match(reasonOf(summary, observables[3]?.id as string), /unsupported type: identity objects are neither/);
    assert.equal(summary.rejected.length, 7, JSON.stringify(summary.rejected));
    assert.equal(summary.rules.length, 11, "each rule made is listed with its object");
    assert.deepEqual(
      summary.rules.find((r) => r.rule_id === md5.rule_id),
      { ref: ind.md5?.id, rule_id: md5.rule_id, outcome: "created" },
    );
  });

  it("changes nothing when the same bundle comes again: no write, no audit entry", async () => {
    const before = await rules();
    const logsBefore = await auditCount();
    t.clock.advance(60_000);
    const summary = await importDoc(bundle([...Object.values(ind), ...observables]));
    assert.deepEqual([summary.created, summary.updated, summary.deleted, summary.unchanged], [0, 0, 0, 11]);
    assert.deepEqual(new Set(summary.rules.map((r) => r.outcome)), new Set(["unchanged"]));
    assert.deepEqual(await rules(), before);
    assert.equal(await auditCount(), logsBefore);
  });

  it("updates the rule an object made when the object changes, and deletes it when revoked", async () => {
    const list = await rules();
    const md5Rule = byValue(list, "D41D8CD98F00B204E9800998ECF8427E") as Rule;
    const nameRule = byValue(list, "dropper.exe") as Rule;
    t.clock.advance(60_000);
    const later = "2026-02-01T00:00:00.000Z";
    const summary = await importDoc(
      bundle([
        { ...ind.md5, modified: later, pattern: "[file:hashes.MD5 = '11111111111111111111111111111111']" },
        { ...ind.name, modified: later, revoked: true },
        // one branch of the OR left: its rule stays, the other branch's goes
        {
          ...ind.either,
          pattern: "[file:hashes.'SHA-256' = 'aa00000000000000000000000000000000000000000000000000000000000000']",
          modified: later,
        },
      ]),
    );
    assert.deepEqual([summary.created, summary.updated, summary.deleted], [0, 2, 2], JSON.stringify(summary));
    const after = await rules();
    const moved = after.find((r) => r.rule_id === md5Rule.rule_id);
    assert.equal(moved?.indicator, "11111111111111111111111111111111");
    assert.equal(
      after.find((r) => r.rule_id === nameRule.rule_id),
      undefined,
    );
    assert.equal(byValue(after, "bb00000000000000000000000000000000000000"), undefined, "the dropped OR branch goes");
    assert.ok(byValue(after, "aa00000000000000000000000000000000000000000000000000000000000000"));
  });

  it("reads a STIX 2.0 bundle, and takes the newest of two versions by time, not by text", async () => {
    const key = await t.key("intel-stix20");
    // STIX 2.0, as the OASIS examples write it: spec_version on the bundle, no pattern_type
    const stix20 = {
      type: "bundle",
      id: `bundle--${seededUuid("b20")}`,
      spec_version: "2.0",
      objects: [
        {
          type: "indicator",
          id: `indicator--${seededUuid("i20")}`,
          created: "2016-04-06T20:03:48.000Z",
          modified: "2016-04-06T20:03:48.000Z",
          labels: ["malicious-activity"],
          name: "Malicious site hosting downloader",
          pattern: "[url:value = 'http://x4z9arb.cn/4712']",
          valid_from: "2016-01-01T00:00:00Z",
        },
      ],
    };
    const read = await importDoc(stix20, key);
    assert.equal(read.created, 1, JSON.stringify(read.rejected));
    const [rule] = await rules(key);
    assert.deepEqual([rule?.indicator, rule?.type, rule?.reputation], ["http://x4z9arb.cn/4712", "URL", "BAD"]);
    const v = (modified: string, ip: string) =>
      indicator("versions", `[ipv4-addr:value = '${ip}']`, { modified, created: "2026-01-01T00:00:48Z" });
    const versions = await importDoc(
      bundle([v("2026-01-01T00:00:48.500Z", "192.0.2.102"), v("2026-01-01T00:00:48Z", "192.0.2.101")]),
      key,
    );
    assert.equal(versions.created, 1);
    assert.ok(byValue(await rules(key), "192.0.2.102"), "48.500 is later than 48");
  });

  // The AND patterns MISP's own STIX 2.1 export writes for filename|md5, ip-dst and domain|ip.
  it("reads MISP's and pySigma's STIX patterns: a file's name and hash, a connection's address, a domain and its address, grouped comparisons", async () => {
    const key = await t.key("intel-misp-stix");
    const md5 = "b2a5abfeef9e36964281a31e17b57c97";
    const objects = [
      indicator("ms1", `[file:name = 'filename1' AND file:hashes.MD5 = '${md5}']`),
      indicator("ms2", "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '5.6.7.8']"),
      indicator("ms3", "[domain-name:value = 'circl.lu' AND domain-name:resolves_to_refs[*].value = '149.13.33.14']"),
      indicator(
        "ms4",
        `[file:hashes.MD5 = '${md5.replace("b", "c")}' AND file:hashes.'SHA-256' = '${"d".repeat(64)}']`,
      ),
      indicator("ms5", "[network-traffic:src_ref.value = '1.1.1.1' AND network-traffic:dst_ref.value = '2.2.2.2']"),
      // grouped as pySigma's STIX backend writes it
      indicator("ms6", "[(file:name = 'foo.exe') AND (file:parent_directory_ref.path = 'c:\\\\tmp\\\\bar')]"),
      indicator("ms7", "[(file:name = 'foo.exe']"),
    ];
    const read = await importDoc(bundle(objects), key);
    assert.equal(read.created, 5, JSON.stringify(read.rejected));
    assert.match(reasonOf(read, objects[6]?.id as string), /parentheses do not balance/);
    assert.deepEqual(
      (await rules(key)).map((r) => [r.indicator, r.type]),
      [
        [md5, "HASH"],
        ["5.6.7.8", "IP"],
        ["circl.lu", "DOMAIN_NAME"],
        ["d".repeat(64), "HASH"],
        ["c:\\tmp\\bar\\foo.exe", "PATH"],
      ],
    );
    assert.match(reasonOf(read, objects[4]?.id as string), /pattern too complex: AND joins one object's properties/);
  });

  it("keeps tenants apart: the same objects make a second tenant its own rules", async () => {
    const other = await t.key("intel-b");
    const summary = await importDoc(bundle([ind.domain, ind.url]), other);
    assert.equal(summary.created, 2);
    assert.equal((await rules(other)).length, 2);
    assert.equal(byValue(await rules(), "Evil.Example.")?.comment, "");
  });

  it("reads a MISP event: to_ids decides, deleted attributes delete, threat level sets severity", async () => {
    const key = await t.key("intel-misp");
    const attr = (seed: string, type: string, value: string, extra: Record<string, unknown> = {}) => ({
      uuid: seededUuid(seed),
      type,
      category: "Network activity",
      value,
      to_ids: true,
      ...extra,
    });
    const event = (attributes: unknown[], objects: unknown[] = []) => ({
      Event: {
        uuid: seededUuid("event"),
        info: "Campaign X",
        threat_level_id: "1",
        Attribute: attributes,
        Object: objects,
      },
    });
    const first = await importDoc(
      event(
        [
          attr("m1", "ip-dst", "203.0.113.9"),
          attr("m2", "domain", "c2.example", { comment: "the C2" }),
          attr("m3", "filename|sha256", `invoice.pdf|${"c".repeat(64)}`),
          attr("m4", "ip-src", "203.0.113.10", { to_ids: false }),
          attr("m5", "email-src", "a@b.example"),
          attr("m6", "ip-dst", "192.0.2.0/24"),
        ],
        [{ name: "file", Attribute: [attr("m7", "md5", "e".repeat(32))] }],
      ),
      key,
    );
    assert.equal(first.format, "misp");
    assert.equal(first.created, 4, JSON.stringify(first));
    assert.match(reasonOf(first, seededUuid("m4")), /to_ids is off/);
    assert.match(reasonOf(first, seededUuid("m5")), /unsupported type: MISP attribute type 'email-src'/);
    assert.match(reasonOf(first, seededUuid("m6")), /CIDR block/);
    const list = await rules(key);
    assert.equal(byValue(list, "c2.example")?.comment, "the C2");
    assert.equal(byValue(list, "203.0.113.9")?.comment, "Campaign X");
    assert.equal(byValue(list, "203.0.113.9")?.severity, "SEV_040_HIGH");
    assert.ok(byValue(list, "c".repeat(64)));
    const second = await importDoc(event([attr("m1", "ip-dst", "203.0.113.9", { deleted: true })]), key);
    assert.equal(second.deleted, 1);
    assert.equal(byValue(await rules(key), "203.0.113.9"), undefined);
    // the source takes an attribute out of detection: the rule it made no longer fires
    const third = await importDoc(event([attr("m2", "domain", "c2.example", { to_ids: false })]), key);
    assert.equal(third.deleted, 1, JSON.stringify(third));
    assert.match(reasonOf(third, seededUuid("m2")), /to_ids is off/);
    assert.equal(byValue(await rules(key), "c2.example"), undefined);
    const fourth = await importDoc(event([attr("m2", "domain", "c2.example")]), key);
    assert.equal(fourth.created, 1, "set again, it makes the rule again");
    // a deleted object takes its attributes with it, though MISP leaves them unflagged
    const deletedObject = { name: "file", deleted: true, Attribute: [attr("m7", "md5", "e".repeat(32))] };
    const fifth = await importDoc(event([], [deletedObject]), key);
    assert.equal(fifth.deleted, 1, JSON.stringify(fifth));
    assert.equal(byValue(await rules(key), "e".repeat(32)), undefined);
  });

  it("serves a rule its object revoked under the object's own id, revoked, until the object comes back", async () => {
    const key = await t.key("intel-revoke");
    const original = indicator("keep-id", "[domain-name:value = 'revoked.example']");
    assert.equal((await importDoc(bundle([original]), key)).created, 1);
    const taxiiGet = (path: string) =>
      t.app.inject({
        method: "GET",
        url: `/taxii2/${key.tenant}/${path}`,
        headers: {
          accept: "application/taxii+json;version=2.1",
          authorization: `Basic ${Buffer.from(`${key.id}:${key.secret}`).toString("base64")}`,
        },
      });
    const collection = (await taxiiGet("collections/")).json().collections[0].id;
    const taxii = async (id: string) => {
      const res = await taxiiGet(`collections/${collection}/objects/${id}/`);
      return { status: res.statusCode, object: res.statusCode === 200 ? res.json().objects[0] : undefined };
    };
    const live = async () => {
      const served = await taxii(original.id);
      assert.equal(served.status, 200);
      assert.equal(served.object.revoked ?? false, false);
    };
    await live();
    t.clock.advance(60_000);
    const revoked = await importDoc(
      bundle([{ ...original, modified: "2026-03-01T00:00:00.000Z", revoked: true }]),
      key,
    );
    assert.equal(revoked.deleted, 1);
    assert.deepEqual(await rules(key), []);
    const served = await taxii(original.id);
    assert.equal(served.status, 200, "still served under the id its consumers know");
    assert.equal(served.object?.revoked, true);
    t.clock.advance(60_000);
    const back = await importDoc(bundle([{ ...original, modified: "2026-04-01T00:00:00.000Z" }]), key);
    assert.equal(back.created, 1);
    await live();
  });

  it("answers bad content and missing permission in the contract's error format", async () => {
    const notIntel = await t.post(IMPORT, { request_data: { content: { hello: 1 } } }, admin);
    assert.equal(notIntel.statusCode, 400);
    assert.match(notIntel.json().err_extra, /neither a STIX 2.1 bundle nor a MISP event/);
    const badJson = await t.post(IMPORT, { request_data: { content: '{"type": "bundle", ' } }, admin);
    assert.equal(badJson.statusCode, 400);
    assert.match(badJson.json().err_extra, /not valid JSON/);
    const badColumns = await t.post(IMPORT, { request_data: { content: "a\n", columns: "colour=x" } }, admin);
    assert.equal(badColumns.statusCode, 400);
    const viewer = await t.key("intel-a", "viewer");
    const refused = await t.post(IMPORT, { request_data: { content: bundle([]) } }, viewer);
    assert.equal(refused.statusCode, 403);
  });

  async function auditCount(): Promise<number> {
    const filters = [{ field: "result", operator: "in", value: ["SUCCESS"] }];
    const res = await t.post("/public_api/v1/audits/management_logs", { request_data: { filters } }, admin);
    assert.equal(res.statusCode, 200, res.body);
    return res.json().reply.total_count;
  }
});
