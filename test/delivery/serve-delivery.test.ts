/**
 * `warden serve` as a real process delivers on its own: its dispatcher timer sends an alert raised
 * over HTTP to a webhook, with no test driving rounds.
 */
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "../ports.ts";
import { startWebhookReceiver, type WebhookReceiver } from "./receivers.ts";

const BIN = join(import.meta.dirname, "..", "..", "bin", "warden.js");

describe("warden serve delivers alerts in the background", () => {
  const dir = mkdtempSync(join(tmpdir(), "warden-serve-delivery-"));
  let server: ChildProcess;
  let receiver: WebhookReceiver;
  let base: string;
  let key: { id: number; secret: string };

  const call = (path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: "POST",
      headers: { "x-xdr-auth-id": String(key.id), authorization: key.secret, "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  before(async () => {
    receiver = await startWebhookReceiver();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      WARDEN_DATA_DIR: dir,
      WARDEN_MASTER_KEY: randomBytes(32).toString("hex"),
      WARDEN_LOG_LEVEL: "warn",
      WARDEN_MATCH_WORKERS: "0",
      WARDEN_DELIVERY_HOSTS: "127.0.0.1",
      WARDEN_DELIVERY_TICK_MS: "100",
    };
    delete env.WARDEN_DATABASE;
    const cli = { env, encoding: "utf8" as const };
    execFileSync(process.execPath, [BIN, "tenant", "create", "acme"], cli);
    key = JSON.parse(execFileSync(process.execPath, [BIN, "key", "create", "--tenant", "acme", "--json"], cli));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [BIN, "serve", "--port", String(port)], { env, stdio: "ignore" });
    for (let i = 0; i < 300; i++) {
      if (
        await fetch(`${base}/public_api/v1/healthcheck`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return;
      await sleep(100);
    }
    throw new Error("warden serve never answered");
  });
  after(async () => {
    server?.kill("SIGTERM");
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sends the alert without being asked", async () => {
    assert.equal(
      (await call("/public_api/v1/webhooks/add", { request_data: { name: "siem", url: receiver.url } })).status,
      200,
    );
    const rules = { request_data: [{ indicator: "evil.com", type: "DOMAIN_NAME", severity: "SEV_040_HIGH" }] };
    assert.equal((await call("/public_api/v1/indicators/insert", rules)).status, 200);
    assert.equal((await call("/logs/v1/event", JSON.stringify({ dns_query_name: "evil.com" }))).status, 200);
    // the server's own timer sends it; wait for it to arrive (what is asserted is that it does, once)
    for (let i = 0; i < 200 && receiver.requests.length === 0; i++) await sleep(50);
    await sleep(300);
    assert.equal(receiver.requests.length, 1);
    assert.equal(JSON.parse(receiver.requests[0]?.body as string).alert.value, "evil.com");
  });
});
