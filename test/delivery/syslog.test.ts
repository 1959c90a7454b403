/**
 * Syslog delivery: real UDP and TCP receivers on loopback get RFC 5424 messages (TCP octet-counted,
 * RFC 6587) whose CEF payload survives rule names and values full of CEF's special characters.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { authHeaders, startTestApp, type TestApp, type TestKey } from "../harness.ts";
import { makeCertificates } from "../tls-certificates.ts";
import { closedPort, startTcpSyslog, startTlsSyslog, startUdpSyslog } from "./receivers.ts";
import { parseCef, parseRfc5424, sdParam } from "./syslog-parse.ts";

const BACKOFF_MS = 1000;
const NASTY = "a|b=c\\d e";

describe("alert delivery: syslog (RFC 5424, CEF)", () => {
  let t: TestApp;
  let tenantNo = 0;

  before(async () => {
    t = await startTestApp({
      WARDEN_DELIVERY_HOSTS: "127.0.0.1",
      WARDEN_DELIVERY_BACKOFF_MS: String(BACKOFF_MS),
      WARDEN_DELIVERY_BACKOFF_MAX_MS: String(BACKOFF_MS),
      WARDEN_DELIVERY_TIMEOUT_MS: "2000",
      WARDEN_DELIVERY_TICK_MS: "0",
    });
  });
  after(() => t.close());

  const tenant = async () => t.key(`syslog-${++tenantNo}`);

  const addTarget = async (key: TestKey, name: string, url: string) => {
    const res = await t.post("/public_api/v1/webhooks/add", { request_data: { name, url } }, key);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().reply.target.kind, "syslog");
    assert.equal(res.json().reply.secret, null);
  };

  /** A BIOC rule whose name and matched value hold every CEF special character, and one event it hits. */
  const raiseNastyAlert = async (key: TestKey) => {
    const indicator = {
      investigationType: "PROCESS_EXECUTION_EVENT",
      investigation: {
        PROCESS_EXECUTION_EVENT: {
          filter: { AND: [{ SEARCH_FIELD: "action_process_image_name", SEARCH_TYPE: "EQ", SEARCH_VALUE: NASTY }] },
        },
      },
    };
    const rule = { name: `Rule ${NASTY}`, type: "EXECUTION", severity: "SEV_050_CRITICAL", indicator };
    const inserted = await t.post("/public_api/v1/bioc/insert", { request_data: [rule] }, key);
    assert.equal(inserted.statusCode, 200, inserted.body);
    const event = { event_type: "PROCESS", action_process_image_name: NASTY, note: "line one\nline two" };
    const res = await t.app.inject({
      method: "POST",
      url: "/logs/v1/event",
      headers: authHeaders(key, t.clock.now()),
      payload: JSON.stringify(event),
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().alerts ?? 1, 1);
  };

  const checkMessage = (line: string, tenantName: string) => {
    const message = parseRfc5424(line);
    assert.equal(message.pri, 16 * 8 + 2, "local0, critical");
    assert.equal(message.appName, "warden");
    assert.equal(message.msgId, "alert");
    assert.equal(message.timestamp, new Date(message.timestamp).toISOString());
    assert.equal(sdParam(message.structuredData, "tenant"), tenantName);
    const cef = parseCef(message.msg);
    assert.deepEqual(
      [cef.version, cef.vendor, cef.product, cef.signatureId, cef.name, cef.severity],
      ["CEF:0", "Warden", "Warden", "BIOC-1", `Rule ${NASTY}`, "10"],
    );
    assert.equal(cef.extension.cs1, tenantName);
    assert.equal(cef.extension.cs3, NASTY, "the value survives its escapes");
    assert.equal(cef.extension.cn1, "1");
    assert.equal(cef.extension.cat, "BIOC");
    assert.equal(JSON.parse(cef.extension.msg as string).note, "line one\nline two");
    assert.equal(cef.extension.externalId, sdParam(message.structuredData, "key"));
    assert.ok(!line.includes("\n"), "one line");
  };

  it("sends an RFC 5424 + CEF message over UDP", async () => {
    const key = await tenant();
    const receiver = await startUdpSyslog();
    try {
      await addTarget(key, "siem-udp", `syslog+udp://127.0.0.1:${receiver.port}`);
      await raiseNastyAlert(key);
      assert.equal(await t.services.dispatcher.runRound(), 1);
      // a datagram is in flight after the send returns: wait for it (no timing is asserted)
      for (let i = 0; i < 100 && receiver.messages.length === 0; i++) await sleep(20);
      assert.equal(receiver.messages.length, 1);
      checkMessage(receiver.messages[0] as string, key.tenant);
    } finally {
      await receiver.close();
    }
  });

  it("sends octet-counted messages over TCP, retrying while the receiver is down", async () => {
    const key = await tenant();
    const port = await closedPort();
    await addTarget(key, "siem-tcp", `syslog+tcp://127.0.0.1:${port}`);
    await raiseNastyAlert(key);
    assert.equal(await t.services.dispatcher.runRound(), 1, "refused");
    t.clock.advance(BACKOFF_MS);
    const receiver = await startTcpSyslog(port);
    try {
      assert.equal(await t.services.dispatcher.runRound(), 1);
      assert.equal(await t.services.dispatcher.runRound(), 0, "delivered: nothing owed");
      // the receiver has read the whole stream once the connection closed; give its last chunk a turn
      for (let i = 0; i < 100 && receiver.messages.length === 0; i++) await sleep(20);
      assert.deepEqual(receiver.framingErrors, []);
      assert.equal(receiver.messages.length, 1);
      checkMessage(receiver.messages[0] as string, key.tenant);
    } finally {
      await receiver.close();
    }
  });

  it("sends over TLS (RFC 5425) to a receiver whose certificate a CA of WARDEN_DELIVERY_CA signed, and to no other", async () => {
    const dir = mkdtempSync(join(tmpdir(), "warden-syslog-tls-"));
    const certs = makeCertificates(dir);
    const receiver = await startTlsSyslog(certs.serverTls());
    const trusting = await startTestApp({
      WARDEN_DELIVERY_HOSTS: "127.0.0.1",
      WARDEN_DELIVERY_TICK_MS: "0",
      WARDEN_DELIVERY_CA: certs.caFile,
    });
    try {
      const url = `syslog+tls://127.0.0.1:${receiver.port}`;
      // this app trusts only the system's CAs: the receiver's certificate is refused, nothing is sent
      const key = await tenant();
      await addTarget(key, "siem-tls", url);
      await raiseNastyAlert(key);
      assert.equal(await t.services.dispatcher.runRound(), 1);
      const letters = await t.post("/public_api/v1/webhooks/test", { request_data: { name: "siem-tls" } }, key);
      assert.equal(letters.statusCode, 200, letters.body);
      assert.match(JSON.stringify(letters.json().reply), /certificate|SELF_SIGNED|UNABLE_TO_VERIFY/i);
      assert.equal(receiver.messages.length, 0, "nothing reached the receiver");

      const other = await trusting.key("syslog-tls");
      const added = await trusting.post("/public_api/v1/webhooks/add", { request_data: { name: "s", url } }, other);
      assert.equal(added.statusCode, 200, added.body);
      const inserted = await trusting.post(
        "/public_api/v1/indicators/insert",
        { request_data: [{ indicator: "evil.com", type: "DOMAIN_NAME", severity: "SEV_040_HIGH" }] },
        other,
      );
      assert.equal(inserted.statusCode, 200);
      const headers = authHeaders(other, trusting.clock.now());
      const payload = JSON.stringify({ dns_query_name: "evil.com" });
      assert.equal(
        (await trusting.app.inject({ method: "POST", url: "/logs/v1/event", headers, payload })).statusCode,
        200,
      );
      assert.equal(await trusting.services.dispatcher.runRound(), 1);
      assert.equal(await trusting.services.dispatcher.runRound(), 0, "delivered: nothing owed");
      for (let i = 0; i < 100 && receiver.messages.length === 0; i++) await sleep(20);
      assert.deepEqual(receiver.framingErrors, []);
      assert.equal(receiver.messages.length, 1);
      const message = parseRfc5424(receiver.messages[0] as string);
      assert.equal(sdParam(message.structuredData, "tenant"), "syslog-tls");
    } finally {
      await trusting.close();
      await receiver.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a server-wide receiver (WARDEN_SYSLOG_URL) gets every tenant's alerts; a tenant's only its own", async () => {
    const [a, b] = [await tenant(), await tenant()];
    const server = await startTcpSyslog();
    const own = await startTcpSyslog();
    try {
      const bad = await t.services.delivery.ensureServerSyslog("syslog+tcp://");
      assert.ok(!bad.ok && /WARDEN_SYSLOG_URL/.test(bad.error));
      assert.ok((await t.services.delivery.ensureServerSyslog(`syslog+tcp://127.0.0.1:${server.port}`)).ok);
      assert.ok((await t.services.delivery.ensureServerSyslog(`syslog+tcp://127.0.0.1:${server.port}`)).ok, "twice");
      await addTarget(a, "mine", `syslog+tcp://127.0.0.1:${own.port}`);
      await raiseNastyAlert(a);
      await raiseNastyAlert(b);
      await t.services.dispatcher.drain();
      for (let i = 0; i < 100 && server.messages.length + own.messages.length < 3; i++) await sleep(20);
      const tenantsOf = (messages: string[]) =>
        messages.map((m) => sdParam(parseRfc5424(m).structuredData, "tenant")).sort();
      assert.deepEqual(tenantsOf(server.messages), [a.tenant, b.tenant].sort());
      assert.deepEqual(tenantsOf(own.messages), [a.tenant]);
      assert.equal((await t.post("/public_api/v1/webhooks/list", {}, a)).json().reply.targets.length, 1);
    } finally {
      assert.ok((await t.services.delivery.ensureServerSyslog(undefined)).ok);
      await server.close();
      await own.close();
    }
  });

  it("refuses a syslog URL without a port, or with a secret", async () => {
    const key = await tenant();
    const noPort = await t.post(
      "/public_api/v1/webhooks/add",
      { request_data: { name: "s", url: "syslog+tcp://127.0.0.1" } },
      key,
    );
    assert.equal(noPort.statusCode, 400);
    assert.match(noPort.json().reply.err_extra, /names its port/);
    const withSecret = await t.post(
      "/public_api/v1/webhooks/add",
      { request_data: { name: "s", url: "syslog+udp://127.0.0.1:514", secret: "0123456789abcdef" } },
      key,
    );
    assert.equal(withSecret.statusCode, 400);
    assert.match(withSecret.json().reply.err_extra, /no secret/);
  });
});
