/** `warden webhooks …` as an operator runs it: real processes on the SQLite file a real app uses. */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { buildApp, type Services } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { ManualClock } from "../../src/lib/clock.ts";
import { authHeaders, TEST_ACTOR } from "../harness.ts";
import { startWebhookReceiver, type WebhookReceiver } from "./receivers.ts";

const run = promisify(execFile);
const BIN = join(import.meta.dirname, "..", "..", "bin", "warden.js");

describe("warden webhooks", () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let receiver: WebhookReceiver;
  const warden = (...args: string[]) => run(process.execPath, [BIN, ...args], { env });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "warden-webhooks-cli-"));
    env = {
      ...process.env,
      WARDEN_DATA_DIR: dir,
      WARDEN_MASTER_KEY: randomBytes(32).toString("hex"),
      WARDEN_DELIVERY_HOSTS: "127.0.0.1",
      WARDEN_LOG_LEVEL: "warn",
      WARDEN_MATCH_WORKERS: "0",
    };
    delete env.WARDEN_DATABASE;
    receiver = await startWebhookReceiver();
    await warden("tenant", "create", "ops");
  });
  after(async () => {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("adds a webhook, prints its secret once, lists it without, and tests it with a signed request", async () => {
    const added = await warden(
      "webhooks",
      "add",
      "siem",
      "--url",
      receiver.url,
      "--tenant",
      "ops",
      "--min-severity",
      "high",
    );
    const secret = /signing secret \(shown only now\): (whsec_[0-9a-f]{64})/.exec(added.stdout)?.[1];
    assert.ok(secret, added.stdout);
    const listed = await warden("webhooks", "list", "--tenant", "ops", "--json");
    assert.ok(!listed.stdout.includes(secret));
    const target = JSON.parse(listed.stdout);
    assert.equal(target.minSeverity, "SEV_040_HIGH");
    assert.equal(target.hasSecret, true);

    await warden("webhooks", "test", "siem", "--tenant", "ops");
    const [r] = receiver.requests;
    assert.ok(r);
    assert.equal(r.signature, `v1=${createHmac("sha256", secret).update(`${r.timestamp}.${r.body}`).digest("hex")}`);

    const rotated = await warden("webhooks", "rotate", "siem", "--tenant", "ops", "--overlap-hours", "1");
    const fresh = /new signing secret \(shown only now\): (whsec_[0-9a-f]{64})/.exec(rotated.stdout)?.[1];
    assert.ok(fresh && fresh !== secret, rotated.stdout);
    await warden("webhooks", "test", "siem", "--tenant", "ops");
    const signed = receiver.requests[1];
    assert.ok(signed);
    const sign = (key: string) =>
      `v1=${createHmac("sha256", key).update(`${signed.timestamp}.${signed.body}`).digest("hex")}`;
    assert.equal(
      signed.signature,
      `${sign(fresh)}, ${sign(secret)}`,
      "the new secret's signature first, the old one's beside it",
    );

    const refused = await warden("webhooks", "add", "x", "--url", "http://169.254.169.254/", "--tenant", "ops").catch(
      (e) => e,
    );
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /internal address/);
  });

  it("lists dead letters and retries them; the server's next round delivers", async () => {
    const config = loadConfig(
      { dataDir: dir },
      {
        ...env,
        WARDEN_DELIVERY_MAX_ATTEMPTS: "2",
        WARDEN_DELIVERY_BACKOFF_MS: "10",
        WARDEN_DELIVERY_BACKOFF_MAX_MS: "10",
      },
    );
    // the CLI's retry stamps the real time, so this app's clock starts at it and is moved past it
    const clock = new ManualClock(Date.now());
    const { app, services } = await buildApp(config, { clock, logger: false });
    try {
      const key = await adminKey(services);
      await app.inject({
        method: "POST",
        url: "/public_api/v1/indicators/insert",
        headers: authHeaders(key, clock.now()),
        payload: { request_data: [{ indicator: "evil.com", type: "DOMAIN_NAME", severity: "SEV_050_CRITICAL" }] },
      });
      await app.inject({
        method: "POST",
        url: "/logs/v1/event",
        headers: authHeaders(key, clock.now()),
        payload: JSON.stringify({ dns_query_name: "evil.com" }),
      });
      receiver.plan = () => 500;
      await services.dispatcher.runRound();
      clock.advance(10);
      await services.dispatcher.runRound();

      const dead = (await warden("webhooks", "dead-letters", "--tenant", "ops", "--json")).stdout.trim().split("\n");
      assert.equal(dead.length, 1);
      const letter = JSON.parse(dead[0] as string);
      assert.equal(letter.attempts, 2);
      assert.equal(letter.lastError, "HTTP 500");
      assert.match((await warden("webhooks", "retry", "--tenant", "ops")).stdout, /^1 dead letters due again/);

      receiver.plan = () => 200;
      clock.set(Date.now());
      assert.equal(await services.dispatcher.runRound(), 1);
      assert.equal((await warden("webhooks", "dead-letters", "--tenant", "ops")).stdout, "");
      assert.equal(receiver.requests.at(-1)?.key, letter.idempotencyKey);
    } finally {
      await app.close();
    }
  });

  it("documents itself with --help", async () => {
    const help = (await warden("webhooks", "--help")).stdout;
    for (const command of ["add", "list", "remove", "rotate", "test", "dead-letters", "retry"])
      assert.match(help, new RegExp(command));
    assert.match((await warden("webhooks", "add", "--help")).stdout, /--min-severity/);
  });
});

async function adminKey(services: Services) {
  const tenant = await services.tenants.find("ops");
  assert.ok(tenant.ok);
  const created = await services.keys.create(tenant.value, "instance_admin", "standard", null, TEST_ACTOR);
  return { id: created.id, secret: created.secret, security: "standard" as const, tenant: "ops" };
}
