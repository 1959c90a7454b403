/**
 * /docs (Swagger UI) in a real headless Chromium under the Content-Security-Policy Warden sends:
 * it renders the API's operations and the browser reports no policy violation (finding 4).
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { type Browser, chromium } from "playwright-core";
import { startTestApp, type TestApp } from "./harness.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const skip = existsSync(CHROMIUM) ? false : `needs Chromium at ${CHROMIUM} (.ci/run installs Debian's)`;

describe("the API documentation page", { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  before(async () => {
    t = await startTestApp();
    await t.app.listen({ host: "127.0.0.1", port: 0 });
    base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
  });
  after(async () => {
    await browser?.close();
    await t.close();
  });

  it("renders under its CSP with no violation reported", async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    const res = await page.goto(`${base}/docs`);
    assert.ok(res?.ok(), `status ${res?.status()}`);
    assert.match((await res?.headerValue("content-security-policy")) ?? "", /frame-ancestors 'none'/);
    await page.locator(".opblock-summary-path", { hasText: "/public_api/v1/indicators/insert" }).first().waitFor();
    await page.locator(".opblock-summary-path").first().click();
    await page.locator(".opblock-body").first().waitFor();
    assert.deepEqual(violations, []);
    await page.close();
  });
});
