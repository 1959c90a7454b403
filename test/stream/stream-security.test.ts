/**
 * The JetStream consumer against a nats-server that asks for a password and TLS with client
 * certificates (a production set-up): with the right settings a node consumes and raises alerts;
 * with a wrong password it says why in its log, never writes the password there, keeps asking,
 * and keeps serving HTTP; settings that cannot work stop `serve` with a clear message.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { connect } from "@nats-io/transport-node";
import { freePort } from "../ports.ts";
import { makeCertificates } from "../tls-certificates.ts";
import {
  alertEventIds,
  domainRules,
  drained,
  eventMessage,
  natsServerBinary,
  publisher,
  startNode,
  type WardenSite,
  wardenSite,
} from "./stream-harness.ts";

const TENANT = "acme";
const PASSWORD = "correct-horse-battery";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("JetStream consumer with a password and TLS client certificates", () => {
  const dir = mkdtempSync(join(tmpdir(), "warden-nats-tls-"));
  let nats: ChildProcess;
  let url: string;
  let site: WardenSite;
  const file = (name: string) => join(dir, name);

  before(async () => {
    const certs = makeCertificates(dir);
    const port = await freePort();
    url = `tls://127.0.0.1:${port}`;
    writeFileSync(
      file("nats.conf"),
      `listen: 127.0.0.1:${port}
jetstream { store_dir: "${file("js")}" }
tls { cert_file: "${certs.serverCertFile}", key_file: "${certs.serverKeyFile}", ca_file: "${certs.caFile}", verify: true }
authorization { user: warden, password: "${PASSWORD}" }
`,
    );
    nats = spawn(natsServerBinary(), ["-c", file("nats.conf")], { stdio: "ignore" });
    const tls = { caFile: file("ca.pem"), certFile: file("client.pem"), keyFile: file("client.key") };
    for (let i = 0; ; i++) {
      try {
        await (await connect({ servers: url, user: "warden", pass: PASSWORD, tls, reconnect: false })).close();
        break;
      } catch (error) {
        if (i > 100) throw error;
        await sleep(100);
      }
    }
    writeFileSync(file("password"), `${PASSWORD}\n`);
    site = await wardenSite(undefined, TENANT, url);
    Object.assign(site.env, {
      WARDEN_NATS_USER: "warden",
      WARDEN_NATS_PASSWORD_FILE: file("password"),
      WARDEN_NATS_CA: file("ca.pem"),
      WARDEN_NATS_CERT: file("client.pem"),
      WARDEN_NATS_KEY: file("client.key"),
    });
  });
  after(() => {
    nats?.kill("SIGTERM");
    site?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("consumes and raises alerts with the right settings", async () => {
    const node = await startNode(site.env);
    try {
      await domainRules(node, site, 5);
      const tls = { caFile: file("ca.pem"), certFile: file("client.pem"), keyFile: file("client.key") };
      const { nc, publish } = await publisher(url, { user: "warden", pass: PASSWORD, tls });
      const { body, hits } = eventMessage(0, 50, 7, 5);
      await publish(`warden.events.${TENANT}`, body);
      await drained(nc, 30_000);
      await nc.close();
      assert.deepEqual(new Set(await alertEventIds(node, site)), new Set(hits));
    } finally {
      await node.kill("SIGTERM");
    }
  });

  it("with a wrong password says why, keeps the password out of its log, and keeps serving HTTP", async () => {
    const wrong = "not-the-password";
    const node = await startNode({ ...site.env, WARDEN_NATS_PASSWORD_FILE: "", WARDEN_NATS_PASSWORD: wrong });
    try {
      for (let i = 0; i < 100 && !node.output().includes("cannot connect"); i++) await sleep(100);
      assert.match(node.output(), /cannot connect to nats-server: Authorization Violation/);
      assert.ok(!node.output().includes(wrong), "the password is not logged");
      assert.equal((await fetch(`${node.url}/public_api/v1/healthcheck`)).status, 200);
    } finally {
      await node.kill("SIGTERM");
    }
  });

  it("without the CA that signed the server's certificate, refuses to talk to it", async () => {
    const node = await startNode({ ...site.env, WARDEN_NATS_CA: "" });
    try {
      for (let i = 0; i < 100 && !node.output().includes("cannot connect"); i++) await sleep(100);
      assert.match(node.output(), /cannot connect to nats-server: .*certificate/i);
    } finally {
      await node.kill("SIGTERM");
    }
  });

  it("stops `serve` with a clear message for settings that cannot work", async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ WARDEN_NATS_PASSWORD_FILE: "" }, /WARDEN_NATS_USER and WARDEN_NATS_PASSWORD go together/],
      [{ WARDEN_NATS_KEY: "" }, /WARDEN_NATS_CERT and WARDEN_NATS_KEY go together/],
      [{ WARDEN_NATS_CA: file("missing.pem") }, /WARDEN_NATS_CA: cannot read/],
      [{ WARDEN_NATS_TOKEN: "t" }, /one way to authenticate/],
    ];
    for (const [change, message] of cases) {
      const failed = await startNode({ ...site.env, ...change }).then(
        () => assert.fail("serve started"),
        (error: Error) => error.message,
      );
      assert.match(failed, message);
    }
  });
});
