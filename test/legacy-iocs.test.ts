import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApp, type TestApp, type TestKey } from "./harness.ts";
import { xsoarHeaders, xsoarPost, xsoarUpload } from "./xsoar-client.ts";

const SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** A file hash as the XSOAR integration's demisto_ioc_to_xdr builds it: comment always a list. */
const integrationHash = (indicator: string, vendors: unknown[]) => ({
  indicator,
  severity: "INFO",
  type: "HASH",
  reputation: "UNKNOWN",
  expiration_date: -1,
  vendors,
  comment: [""],
});

type Rule = {
  rule_id: number;
  indicator: string;
  severity: string;
  status: string;
  source: string;
  comment: string;
  reputation: string;
};

describe("legacy XDR IOC endpoints, as the XSOAR integration calls them", () => {
  let t: TestApp;
  let n = 0;
  const fresh = async () => t.key(`legacy-${++n}`, "instance_admin", "advanced");
  const rules = async (key: TestKey): Promise<Rule[]> => {
    const res = await t.post(
      "/public_api/v1/indicators/get",
      { request_data: { search_to: 1000 } },
      { ...key, security: "advanced" },
    );
    assert.equal(res.statusCode, 200, res.body);
    return res.json().objects;
  };

  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

  it("tim_insert_jsons/ stores XSOAR's items and answers {reply: true}", async () => {
    const key = await fresh();
    const res = await xsoarPost(t, key, "tim_insert_jsons/", [
      {
        indicator: SHA256,
        severity: "HIGH",
        type: "HASH",
        reputation: "BAD",
        expiration_date: -1,
        comment: "from feed",
        reliability: "A",
        vendors: [{ vendor_name: "VirusTotal", reputation: "BAD", reliability: "B" }],
        class: "Malware",
      },
      {
        indicator: "evil.example.com",
        severity: "LOW",
        type: "DOMAIN_NAME",
        reputation: "SUSPICIOUS",
        expiration_date: -1,
        status: "DISABLED",
      },
    ]);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { reply: true });
    const stored = await rules(key);
    assert.deepEqual(
      stored.map((r) => [r.indicator, r.severity, r.status, r.source]),
      [
        [SHA256, "SEV_040_HIGH", "ENABLED", "xsoar"],
        ["evil.example.com", "SEV_020_LOW", "DISABLED", "xsoar"],
      ],
    );
  });

  it("maps the plain severities one to one, and reports refused items with validate", async () => {
    const key = await fresh();
    const plain = ["INFO", "low", "Medium", "HIGH", "CRITICAL", "unknown"];
    const res = await xsoarPost(
      t,
      key,
      "insert_jsons",
      plain.map((severity, i) => ({ indicator: `s${i}.exe`, type: "FILENAME", severity })),
    );
    assert.deepEqual(res.json(), { reply: true });
    assert.deepEqual(
      (await rules(key)).map((r) => r.severity),
      ["SEV_010_INFO", "SEV_020_LOW", "SEV_030_MEDIUM", "SEV_040_HIGH", "SEV_050_CRITICAL", "SEV_010_INFO"],
    );
    const checked = await t.app.inject({
      method: "POST",
      url: "/public_api/v1/indicators/insert_jsons",
      headers: (await import("./xsoar-client.ts")).xsoarHeaders(key, t.clock.now()),
      payload: JSON.stringify({
        request_data: [
          { indicator: "good.exe", type: "FILENAME", severity: "HIGH" },
          { indicator: "not-an-ip", type: "IP", severity: "HIGH" },
          { indicator: "x.exe", type: "FILENAME", severity: "SEVERE" },
          { indicator: "y.exe", type: "EMAIL", severity: "LOW" },
          { indicator: "z.exe", type: "FILENAME", severity: "LOW", colour: "red" },
        ],
        validate: true,
      }),
    });
    assert.equal(checked.statusCode, 200, checked.body);
    const { reply } = checked.json();
    assert.equal(reply.success, true);
    assert.deepEqual(
      reply.validation_errors.map((e: { indicator: string }) => e.indicator),
      ["not-an-ip", "x.exe", "y.exe", "z.exe"],
    );
    assert.match(reply.validation_errors[0].error, /Got type: IP, Indicator: not-an-ip mismatch/);
    assert.match(reply.validation_errors[1].error, /severity must be one of INFO, LOW/);
    assert.match(reply.validation_errors[3].error, /Got also the fields: \['colour'\]/);
    assert.ok((await rules(key)).some((r) => r.indicator === "good.exe"));
  });

  // Shaped as the integration's demisto_ioc_to_xdr builds them (demisto/content, XDR_iocs.py):
  // `comment` is always a list (`[""]` for none; tags cut at commas with "comments as tags"),
  // and URL indicators go as type PATH.
  it("takes items as the integration builds them: comment lists, and URLs sent as PATH", async () => {
    const key = await fresh();
    const vendors = [{ vendor_name: "VirusTotal", reputation: "BAD", reliability: "A" }];
    const res = await t.app.inject({
      method: "POST",
      url: "/public_api/v1/indicators/tim_insert_jsons/",
      headers: xsoarHeaders(key, t.clock.now()),
      payload: JSON.stringify({
        request_data: [
          integrationHash(SHA256, vendors),
          {
            indicator: "phish.example.net",
            severity: "HIGH",
            type: "DOMAIN_NAME",
            reputation: "BAD",
            expiration_date: -1,
            comment: ["seen in a phishing wave, twice"],
          },
          {
            indicator: "203.0.113.9",
            severity: "LOW",
            type: "IP",
            reputation: "SUSPICIOUS",
            expiration_date: -1,
            comment: ["tag1", "tag2"],
          },
          {
            indicator: "http://evil.example.org/drop/x.php?id=1",
            severity: "HIGH",
            type: "PATH",
            reputation: "BAD",
            expiration_date: -1,
            comment: [""],
          },
          {
            indicator: "C:\\Users\\Public\\evil.exe",
            severity: "HIGH",
            type: "PATH",
            reputation: "BAD",
            expiration_date: -1,
          },
          { indicator: "bad-comment.exe", severity: "LOW", type: "FILENAME", comment: [1] },
        ],
        validate: true,
      }),
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(
      res.json().reply.validation_errors.map((e: { indicator: string; error: string }) => [e.indicator, e.error]),
      [["bad-comment.exe", "comment must be a string, got an array"]],
    );
    const stored = (await rules(key)) as (Rule & { type: string })[];
    assert.deepEqual(
      stored.map((r) => [r.indicator, r.type, r.comment]),
      [
        [SHA256, "HASH", ""],
        ["phish.example.net", "DOMAIN_NAME", "seen in a phishing wave, twice"],
        ["203.0.113.9", "IP", "tag1,tag2"],
        ["http://evil.example.org/drop/x.php?id=1", "URL", ""],
        ["C:\\Users\\Public\\evil.exe", "PATH", ""],
      ],
    );
    // the URL rule fires on a URL, as a PATH rule never could
    const evaluated = await t.post(
      "/public_api/v1/rules/evaluate",
      { request_data: { events: [{ id: "e1", action_url: "http://evil.example.org/drop/x.php?id=1" }] } },
      { ...key, security: "advanced" },
    );
    assert.equal(evaluated.statusCode, 200, evaluated.body);
    assert.deepEqual(
      evaluated.json().reply.hits.map((h: { field: string }) => h.field),
      ["action_url"],
    );
  });

  it("tolerates a single object instead of an array", async () => {
    const key = await fresh();
    const res = await xsoarPost(t, key, "insert_jsons", { indicator: "1.2.3.4", type: "IP", severity: "MEDIUM" });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((await rules(key)).length, 1);
  });

  it("shares one store with indicators/insert, get and delete", async () => {
    const key = await fresh();
    await xsoarPost(t, key, "tim_insert_jsons", [{ indicator: "shared.exe", type: "FILENAME", severity: "LOW" }]);
    const signed = { ...key, security: "advanced" as const };
    const update = await t.post(
      "/public_api/v1/indicators/insert",
      { request_data: [{ indicator: "SHARED.EXE", type: "FILENAME", severity: "SEV_050_CRITICAL" }] },
      signed,
    );
    assert.equal(update.json().updated_objects[0].id, 1);
    await t.post(
      "/public_api/v1/indicators/insert",
      { request_data: [{ indicator: "10.9.8.7", type: "IP", severity: "SEV_010_INFO" }] },
      signed,
    );
    const disabled = await xsoarPost(t, key, "disable_iocs", ["10.9.8.7"]);
    assert.deepEqual(disabled.json(), { reply: true });
    assert.deepEqual(
      (await rules(key)).map((r) => [r.indicator, r.severity, r.status]),
      [
        ["SHARED.EXE", "SEV_050_CRITICAL", "ENABLED"],
        ["10.9.8.7", "SEV_010_INFO", "DISABLED"],
      ],
    );
    const del = await t.post(
      "/public_api/v1/indicators/delete",
      { request_data: { filters: [{ field: "indicator", operator: "EQ", value: "shared.exe" }] } },
      signed,
    );
    assert.deepEqual(del.json(), { objects_count: 1, objects: [1] });
  });

  it("enables and disables by value in both request shapes, and keeps disabled rules", async () => {
    const key = await fresh();
    await xsoarPost(t, key, "insert_jsons", [
      { indicator: "a.example.com", type: "DOMAIN_NAME", severity: "LOW" },
      { indicator: "2001:db8::1", type: "IP", severity: "LOW" },
    ]);
    await xsoarPost(t, key, "disable_iocs", { indicators: ["A.EXAMPLE.COM", "2001:DB8:0:0:0:0:0:1"] });
    assert.deepEqual(
      (await rules(key)).map((r) => r.status),
      ["DISABLED", "DISABLED"],
    );
    await xsoarPost(t, key, "enable_iocs", ["a.example.com"]);
    assert.deepEqual(
      (await rules(key)).map((r) => r.status),
      ["ENABLED", "DISABLED"],
    );
    const bad = await xsoarPost(t, key, "enable_iocs", "a.example.com");
    assert.equal(bad.statusCode, 400);
  });

  describe("insert_csv", () => {
    const header =
      "indicator,type,severity,expiration_date,comment,reputation,reliability,class,vendor.name,vendor.reputation,vendor.reliability";

    it("reads quoted fields, commas and quotes in comments, and blank lines", async () => {
      const key = await fresh();
      const csv = [
        header,
        'evil.exe,FILENAME,HIGH,,"dropper, seen twice",BAD,A,Malware,VT,BAD,B',
        "",
        '10.0.0.9,IP,LOW,-1,"he said ""hi""",SUSPICIOUS,,,,,',
        "\r",
        'bad.example.com,DOMAIN_NAME,MEDIUM,,"multi',
        'line comment",BAD,C,,,,',
      ].join("\n");
      const res = await xsoarPost(t, key, "insert_csv", csv);
      assert.equal(res.statusCode, 200, res.body);
      const stored = await rules(key);
      assert.deepEqual(
        stored.map((r) => r.comment),
        ["dropper, seen twice", 'he said "hi"', "multi\nline comment"],
      );
      assert.deepEqual(
        stored.map((r) => r.reputation),
        ["BAD", "SUSPICIOUS", "BAD"],
      );
    });

    it("reports short rows and bad values by row, storing the rest", async () => {
      const key = await fresh();
      const csv = `${header}\ngood.exe,FILENAME,LOW,,,,,,,,\nshort.exe,FILENAME\nnot-a-hash,HASH,LOW,,,,,,,,\n`;
      const res = await t.app.inject({
        method: "POST",
        url: "/public_api/v1/indicators/insert_csv",
        headers: (await import("./xsoar-client.ts")).xsoarHeaders(key, t.clock.now()),
        payload: JSON.stringify({ request_data: csv, validate: true }),
      });
      const errors = res.json().reply.validation_errors;
      assert.deepEqual(errors, [
        { indicator: "short.exe", error: "row 3: expected 11 fields, got 2" },
        { indicator: "not-a-hash", error: "row 4: Got type: HASH, Indicator: not-a-hash mismatch" },
      ]);
      assert.deepEqual(
        (await rules(key)).map((r) => r.indicator),
        ["good.exe"],
      );
    });

    it("refuses malformed CSV naming the row and column, storing nothing", async () => {
      const key = await fresh();
      const cases: [string, RegExp][] = [
        [
          `${header}\nok.exe,FILENAME,LOW,,,,,,,,\nx.exe,FILENAME,LOW,,"never closed,,,,,`,
          /row 3, column 21: a quoted field is never closed/,
        ],
        [`${header}\nx.exe,FILENAME,LOW,,ab"c,,,,,,`, /row 2, column 23: a quote inside an unquoted field/],
        ["indicator,type\nx.exe,FILENAME", /lacks the columns severity/],
        ["indicator,type,severity,colour\nx,FILENAME,LOW,red", /unknown CSV columns colour/],
        ["", /empty/],
      ];
      for (const [csv, pattern] of cases) {
        const res = await xsoarPost(t, key, "insert_csv", csv);
        assert.equal(res.statusCode, 400, res.body);
        assert.match(res.json().err_extra, pattern);
      }
      assert.equal((await rules(key)).length, 0);
    });
  });

  describe("sync_tim_iocs", () => {
    const line = (indicator: string, type = "FILENAME") =>
      JSON.stringify({ indicator, type, severity: "HIGH", reputation: "BAD" });

    it("replaces this source's rules with the file, leaving other sources alone", async () => {
      const key = await fresh();
      const signed = { ...key, security: "advanced" as const };
      await t.post(
        "/public_api/v1/indicators/insert",
        { request_data: [{ indicator: "manual.exe", type: "FILENAME", severity: "SEV_010_INFO" }] },
        signed,
      );
      const first = await xsoarUpload(
        t,
        key,
        "sync_tim_iocs",
        [line("a.exe"), line("b.exe"), line("c.exe")].join("\n"),
      );
      assert.equal(first.statusCode, 200, first.body);
      assert.deepEqual(first.json(), { reply: true });
      const second = await xsoarUpload(
        t,
        key,
        "sync_tim_iocs",
        `${line("b.exe")}\n\n${line("d.exe")}\n${line("1.1.1.1", "NOPE")}\n`,
        { validate: "true" },
      );
      assert.equal(second.statusCode, 200, second.body);
      assert.deepEqual(
        second.json().reply.validation_errors.map((e: { error: string }) => e.error.split(":")[0]),
        ["line 4"],
      );
      assert.deepEqual(
        (await rules(key)).map((r) => [r.indicator, r.source]),
        [
          ["manual.exe", `Public API user (key #${key.id})`],
          ["b.exe", "xsoar"],
          ["d.exe", "xsoar"],
        ],
      );
    });

    it("keeps every line of a sync file as the integration writes it (comment lists, vendors)", async () => {
      const key = await fresh();
      const vendors = [
        { vendor_name: "AutoFocus Feed", reputation: "UNKNOWN", reliability: "F" },
        { vendor_name: "VirusTotal", reputation: "BAD", reliability: "A" },
      ];
      const hashes = [SHA256, "d41d8cd98f00b204e9800998ecf8427e", "da39a3ee5e6b4b0d3255bfef95601890afd80709"];
      const file = hashes.map((indicator) => JSON.stringify(integrationHash(indicator, vendors))).join("\n");
      const res = await xsoarUpload(t, key, "sync_tim_iocs", file, { validate: "true" });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().reply.validation_errors, []);
      assert.deepEqual(
        (await rules(key)).map((r) => r.indicator),
        hashes,
      );
    });

    it("changes nothing when the file fails halfway", async () => {
      const key = await fresh();
      await xsoarUpload(t, key, "sync_tim_iocs", [line("keep1.exe"), line("keep2.exe")].join("\n"));
      const lines = Array.from({ length: 1000 }, (_, i) => line(`new${i}.exe`));
      lines[600] = '{"indicator": "broken.exe", "type":';
      const res = await xsoarUpload(t, key, "sync_tim_iocs", lines.join("\n"));
      assert.equal(res.statusCode, 400);
      assert.match(res.json().err_extra, /line 601 is not valid JSON/);
      assert.deepEqual(
        (await rules(key)).map((r) => r.indicator),
        ["keep1.exe", "keep2.exe"],
      );
    });

    it("binds a source name to the key that first wrote under it, until that key is revoked", async () => {
      const first = await fresh();
      const tenant = await t.services.tenants.find(first.tenant);
      assert.ok(tenant.ok);
      const second = await t.key(first.tenant, "instance_admin", "advanced");
      await xsoarUpload(t, first, "sync_tim_iocs", [line("one.exe"), line("two.exe")].join("\n"));
      const taken = await xsoarUpload(t, second, "sync_tim_iocs", line("other.exe"));
      assert.equal(taken.statusCode, 403, taken.body);
      assert.match(taken.json().err_extra, /source 'xsoar' belongs to API key \d+/);
      const insert = await xsoarPost(t, second, "tim_insert_jsons", [JSON.parse(line("three.exe"))]);
      assert.equal(insert.statusCode, 403, "every legacy write, not only the sync");
      assert.deepEqual(
        (await rules(first)).map((r) => r.indicator),
        ["one.exe", "two.exe"],
      );
      const impersonated = await t.post(
        "/public_api/v1/indicators/tim_insert_jsons",
        { request_data: [] },
        { ...second, security: "advanced" },
        { "x-iocs-source": `Public API user (key #${first.id})` },
      );
      assert.equal(impersonated.statusCode, 403, "another key's own source name is its alone");
      await t.services.keys.revoke(first.id, { name: "test", address: null });
      const after = await xsoarUpload(t, second, "sync_tim_iocs", line("other.exe"));
      assert.equal(after.statusCode, 200, "a revoked key's source passes to the next key that writes");
      assert.deepEqual(
        (await rules(second)).map((r) => r.indicator),
        ["other.exe"],
      );
    });

    it("refuses a file line nested too deep with a 400 naming the line", async () => {
      const key = await fresh();
      const deep = `{"indicator":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
      const res = await xsoarUpload(t, key, "sync_tim_iocs", `${line("a.exe")}\n${deep}`);
      assert.equal(res.statusCode, 400, res.body.slice(0, 300));
      assert.match(res.json().err_extra, /line 2 is nested deeper than 128 levels/);
    });

    it("answers a truncated multipart body with a 400, changing nothing", async () => {
      const key = await fresh();
      await xsoarUpload(t, key, "sync_tim_iocs", line("kept.exe"));
      const boundary = "----cut";
      const cut = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="iocs.json"\r\n\r\n${line("new.exe")}`;
      const res = await t.app.inject({
        method: "POST",
        url: "/public_api/v1/indicators/sync_tim_iocs",
        headers: { ...xsoarHeaders(key, t.clock.now()), "content-type": `multipart/form-data; boundary=${boundary}` },
        payload: cut,
      });
      assert.equal(res.statusCode, 400, res.body);
      assert.match(res.json().err_extra, /multipart body ends before/);
      assert.deepEqual(
        (await rules(key)).map((r) => r.indicator),
        ["kept.exe"],
      );
    });

    it("needs a multipart body with a file", async () => {
      const key = await fresh();
      const res = await xsoarPost(t, key, "sync_tim_iocs", []);
      assert.equal(res.statusCode, 400);
      assert.match(res.json().err_extra, /multipart/);
      const noFile = await xsoarUpload(t, key, "sync_tim_iocs", "", {});
      assert.equal(noFile.statusCode, 200, "an empty file empties the source");
    });
  });
});
