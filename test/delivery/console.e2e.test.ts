/**
 * The console's Delivery page in a real headless Chromium: add a webhook, see its dead letter, Retry
 * it; turn it off and on; rotate its secret.
 */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Browser, chromium, type Page } from "playwright-core";
import { authHeaders, startTestApp, type TestApp, type TestKey } from "../harness.ts";
import { startWebhookReceiver, type WebhookReceiver } from "./receivers.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const built = existsSync(join(import.meta.dirname, "..", "..", "web", "dist", "index.html"));
const skip = !existsSync(CHROMIUM) ? `needs Chromium at ${CHROMIUM}` : !built ? "needs npm run build:web" : false;

describe("the console's Delivery page", { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let admin: TestKey;
  let receiver: WebhookReceiver;
  let base: string;

  before(async () => {
    t = await startTestApp({
      WARDEN_DELIVERY_HOSTS: "127.0.0.1",
      WARDEN_DELIVERY_MAX_ATTEMPTS: "2",
      WARDEN_DELIVERY_BACKOFF_MS: "1000",
      WARDEN_DELIVERY_BACKOFF_MAX_MS: "1000",
      WARDEN_DELIVERY_TICK_MS: "0",
    });
    await t.app.listen({ host: "127.0.0.1", port: 0 });
    admin = await t.key("console-delivery");
    receiver = await startWebhookReceiver(() => 500);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
    page = await browser.newPage();
    page.on("dialog", (dialog) => void dialog.accept());
    base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}/`;
    await page.goto(base);
    await page.getByLabel("API key ID").fill(String(admin.id));
    await page.getByLabel("API key", { exact: true }).fill(admin.secret);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("who").waitFor();
  });
  after(async () => {
    await browser?.close();
    await receiver?.close();
    await t.close();
  });

  it("adds a webhook (its secret shown once), lists a dead letter, and Retry sends it again", async () => {
    await page.getByRole("link", { name: "Delivery" }).click();
    await page.getByLabel("Target name").fill("siem");
    await page.getByLabel("Target URL").fill(receiver.url);
    await page.getByRole("button", { name: "Add target" }).click();
    assert.match(await page.getByTestId("new-secret").innerText(), /whsec_[0-9a-f]{64}/);
    await page.getByRole("cell", { name: receiver.url }).waitFor();

    const insert = { request_data: [{ indicator: "evil.com", type: "DOMAIN_NAME", severity: "SEV_040_HIGH" }] };
    await t.post("/public_api/v1/indicators/insert", insert, admin);
    await t.app.inject({
      method: "POST",
      url: "/logs/v1/event",
      headers: authHeaders(admin, t.clock.now()),
      payload: JSON.stringify({ dns_query_name: "evil.com" }),
    });
    for (let i = 0; i < 2; i++) {
      await t.services.dispatcher.runRound();
      t.clock.advance(1000);
    }

    await page.reload();
    await page.getByRole("link", { name: "Delivery" }).click();
    await page.getByText("1 dead letters").waitFor();
    await page.getByRole("cell", { name: "HTTP 500" }).waitFor();
    receiver.plan = () => 200;
    await page.getByRole("button", { name: "Retry alert 1 to siem" }).click();
    await page.getByText("1 sent again").waitFor();
    await page.getByText("0 dead letters").waitFor();
    assert.equal(await t.services.dispatcher.runRound(), 1);
    assert.deepEqual(
      receiver.requests.map((r) => r.answer),
      [500, 500, 200],
    );
  });

  it("turns a target off and on, and rotates its secret (the new one shown once, both signing meanwhile)", async () => {
    await page.reload();
    await page.getByRole("link", { name: "Delivery" }).click();
    const enabledCell = page.getByRole("row", { name: /siem/ }).getByRole("cell").nth(5);
    await page.getByRole("button", { name: "Turn off siem" }).click();
    await page.getByText("'siem' turned off").waitFor();
    assert.equal(await enabledCell.innerText(), "no", "the table shows it by the time the notice does");
    await page.getByRole("button", { name: "Turn on siem" }).click();
    await page.getByText("'siem' turned on").waitFor();
    assert.equal(await enabledCell.innerText(), "yes");
    const stored = (await t.post("/public_api/v1/webhooks/list", {}, admin)).json().reply.targets;
    assert.equal(stored[0].enabled, true);

    await page.getByRole("button", { name: "Rotate secret of siem" }).click();
    const shown = await page.getByTestId("rotated-secret").innerText();
    const secret = /whsec_[0-9a-f]{64}/.exec(shown)?.[0];
    assert.ok(secret, shown);
    const tested = await t.post("/public_api/v1/webhooks/test", { request_data: { name: "siem" } }, admin);
    assert.equal(tested.statusCode, 200, tested.body);
    const last = receiver.requests.at(-1);
    assert.ok(last);
    const mine = `v1=${createHmac("sha256", secret).update(`${last.timestamp}.${last.body}`).digest("hex")}`;
    const listed = last.signature.split(", ");
    assert.equal(listed.length, 2, "the old secret signs beside the new one");
    assert.equal(listed[0], mine, "the new secret's signature comes first");
    await page.reload();
    await page.getByRole("link", { name: "Delivery" }).click();
    await page.getByRole("cell", { name: receiver.url }).waitFor();
    assert.equal(await page.getByTestId("rotated-secret").count(), 0, "the secret is gone once the page is left");
  });

  it("is not offered to viewers; analysts may read the targets", async () => {
    const analyst = await t.key("console-delivery", "analyst");
    const res = await t.post("/public_api/v1/webhooks/list", {}, analyst);
    assert.equal(res.json().reply.targets.length, 1);
    const viewer = await t.key("console-delivery", "viewer");
    const fresh = await browser.newPage();
    try {
      await fresh.goto(base);
      await fresh.getByLabel("API key ID").fill(String(viewer.id));
      await fresh.getByLabel("API key", { exact: true }).fill(viewer.secret);
      await fresh.getByRole("button", { name: "Sign in" }).click();
      await fresh.getByTestId("who").waitFor();
      assert.equal(await fresh.getByRole("link", { name: "Delivery" }).count(), 0);
    } finally {
      await fresh.close();
    }
  });
});
