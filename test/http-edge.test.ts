import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { gunzipSync, gzipSync } from "node:zlib";
import { authHeaders, startTestApp, type TestApp, type TestKey } from "./harness.ts";

const INSERT = "/public_api/v1/indicators/insert";
const GET = "/public_api/v1/indicators/get";
const ITEM = { indicator: "edge.exe", type: "FILENAME", severity: "SEV_010_INFO" };

describe("the HTTP edge", () => {
  let t: TestApp;
  let key: TestKey;
  const count = async () => (await t.post(GET, { request_data: {} }, key)).json().objects_count;
  const raw = (payload: string | Buffer, headers: Record<string, string> = {}, url = INSERT) =>
    t.app.inject({
      method: "POST",
      url,
      headers: { "content-type": "application/json", ...authHeaders(key, t.clock.now()), ...headers },
      payload,
    });

  before(async () => {
    t = await startTestApp({ WARDEN_MAX_BODY_BYTES: String(1024 * 1024), WARDEN_MAX_ITEMS: "1000" });
    key = await t.key("edge");
  });
  after(async () => t.close());

  it("answers the healthcheck without a key", async () => {
    const res = await t.app.inject({ method: "GET", url: "/public_api/v1/healthcheck" });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: "available" });
  });

  it("answers malformed JSON and wrong shapes with a 400 in the double error form", async () => {
    const bodies = [
      "{not json",
      "",
      "[]",
      "null",
      '"text"',
      "{}",
      '{"request_data": {}}',
      '{"request_data": "x"}',
      `{"request_data": [], "extra": 1}`,
      '{"request_data": [], "__proto__": {"polluted": true}}',
      '{"request_data": [{"constructor": {"prototype": {"polluted": true}}}]}',
    ];
    for (const body of bodies) {
      const res = await raw(body);
      if (res.statusCode === 200) {
        // a well-formed body whose only item is junk: the item fails, the request does not
        assert.equal(res.json().errors.length, 1, body);
        continue;
      }
      assert.equal(res.statusCode, 400, `${body}: ${res.body}`);
      const json = res.json();
      assert.equal(json.err_code, 400);
      assert.equal(json.err_msg, "Bad Request. Got an invalid JSON.");
      assert.equal(typeof json.err_extra, "string");
      assert.deepEqual(json.reply, { err_code: 400, err_msg: json.err_msg, err_extra: json.err_extra });
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(await count(), 0);
  });

  it("reads bodies sent without a JSON content type (curl -d)", async () => {
    const res = await raw(JSON.stringify({ request_data: [ITEM] }), {
      "content-type": "application/x-www-form-urlencoded",
    });
    assert.equal(res.statusCode, 200, res.body);
    const text = await raw(JSON.stringify({ request_data: [ITEM] }), { "content-type": "text/plain;charset=UTF-8" });
    assert.equal(text.statusCode, 200, text.body);
    const none = await t.app.inject({
      method: "POST",
      url: GET,
      headers: authHeaders(key, t.clock.now()),
      payload: '{"request_data":{}}',
    });
    assert.equal(none.statusCode, 200, none.body);
  });

  it("refuses bodies over the size limit with a 413 and keeps serving", async () => {
    const big = JSON.stringify({ request_data: [{ ...ITEM, comment: "x".repeat(1024 * 1024) }] });
    const res = await raw(big);
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().err_code, 413);
    assert.equal((await t.post(GET, { request_data: {} }, key)).statusCode, 200);
  });

  it("refuses more items than the configured maximum", async () => {
    const res = await t.post(INSERT, { request_data: Array.from({ length: 1001 }, () => ITEM) }, key);
    assert.equal(res.statusCode, 400);
    assert.match(res.json().err_extra, /request_data must NOT have more than 1000 items/);
  });

  it("survives deeply nested bodies", async () => {
    const deep = `{"request_data": [${"[".repeat(100_000)}${"]".repeat(100_000)}]}`;
    const res = await raw(deep);
    assert.ok([200, 400].includes(res.statusCode), res.body);
    assert.ok(res.statusCode !== 200 || res.json().errors.length === 1);
    assert.equal((await t.post(GET, { request_data: {} }, key)).statusCode, 200);
  });

  it("takes gzip request bodies and answers gzip when asked", async () => {
    const items = Array.from({ length: 50 }, (_, i) => ({ ...ITEM, indicator: `gz${i}.exe` }));
    const res = await raw(gzipSync(JSON.stringify({ request_data: items })), {
      "content-encoding": "gzip",
      "accept-encoding": "gzip",
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers["content-encoding"], "gzip");
    const body = JSON.parse(gunzipSync(res.rawPayload).toString("utf8"));
    assert.equal(body.added_objects.length, 50);
    const broken = await raw(Buffer.from("not gzip at all"), { "content-encoding": "gzip" });
    assert.equal(broken.statusCode, 400);
  });

  it("answers 404 for unknown paths and 405 for a known path with the wrong method", async () => {
    const missing = await t.app.inject({ method: "POST", url: "/public_api/v1/nothing/here" });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().reply.err_code, 404);
    const wrong = await t.app.inject({ method: "GET", url: `${INSERT}/` });
    assert.equal(wrong.statusCode, 405);
    assert.equal(wrong.headers.allow, "POST");
    assert.equal(wrong.json().err_code, 405);
  });

  it("serves an OpenAPI 3 document of every rule endpoint, and a docs page", async () => {
    const res = await t.app.inject({ method: "GET", url: "/public_api/v1/openapi.json" });
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.match(doc.openapi, /^3\./);
    for (const family of ["indicators", "bioc"]) {
      for (const action of ["insert", "get", "delete"])
        assert.ok(doc.paths[`/public_api/v1/${family}/${action}`], `${family}/${action}`);
    }
    const insertBody = doc.paths[INSERT].post.requestBody.content["application/json"].schema;
    assert.ok(insertBody.properties.request_data.items.properties.indicator, "insert items are documented");
    const page = await t.app.inject({ method: "GET", url: "/docs" });
    assert.equal(page.statusCode, 200);
    assert.match(page.headers["content-type"] as string, /text\/html/);
    assert.match(page.body, /swagger-ui/i);
  });

  it("answers an unexpected failure with the generic 500 and no detail", async () => {
    const broken = await startTestApp();
    const brokenKey = await broken.key("x");
    // The database goes away under a running server: the next request fails inside the store.
    await broken.services.store.close();
    const res = await broken.post(GET, { request_data: {} }, brokenKey);
    assert.equal(res.statusCode, 500);
    assert.deepEqual(res.json(), {
      err_code: 500,
      err_msg: "An error occurred while processing XDR public API",
      err_extra: null,
      reply: { err_code: 500, err_msg: "An error occurred while processing XDR public API", err_extra: null },
    });
    assert.doesNotMatch(res.body, /database|connection|sqlite/i);
    await broken.close();
  });
});
