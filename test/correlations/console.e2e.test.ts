/** The console's correlation page in a real headless Chromium against a real server. */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Browser, chromium, type Page } from "playwright-core";
import { startTestApp, type TestApp, type TestKey } from "../harness.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const built = existsSync(join(import.meta.dirname, "..", "..", "web", "dist", "index.html"));
const skip = !existsSync(CHROMIUM) ? `needs Chromium at ${CHROMIUM}` : !built ? "needs npm run build:web" : false;

describe("the console's correlation rules page", { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let admin: TestKey;

  const rules = async () => {
    const res = await t.post("/public_api/v1/correlations/get", { request_data: {} }, admin);
    return res.json().objects as { name: string; is_enabled: boolean }[];
  };

  before(async () => {
    t = await startTestApp();
    await t.app.listen({ host: "127.0.0.1", port: 0 });
    admin = await t.key("console");
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
    page = await browser.newPage();
    page.on("dialog", (dialog) => void dialog.accept());
    const base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}/`;
    await page.goto(base);
    await page.getByLabel("API key ID").fill(String(admin.id));
    await page.getByLabel("API key", { exact: true }).fill(admin.secret);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("who").waitFor();
  });
  after(async () => {
    await browser?.close();
    await t.close();
  });

  it("creates a rule, showing an XQL error at its position first, then enables, disables and deletes it", async () => {
    await page.getByRole("link", { name: "Correlation rules" }).click();
    await page.getByRole("button", { name: "New correlation rule" }).click();
    await page.getByLabel("Name", { exact: true }).fill("Failed logons");
    await page.getByLabel("Alert name").fill("Brute force on $actor_effective_username");
    await page.getByLabel("XQL query").fill("dataset = xdr_data\n| filter x = 1 |alter2 y = 1");
    await page.getByRole("button", { name: "Save" }).click();
    assert.match(await page.getByTestId("correlation-problem").innerText(), /^line 2, column \d+: /);
    await page
      .getByLabel("XQL query")
      .fill("dataset = xdr_data | filter action_login_status = 1 | comp count() as n by actor_effective_username");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("cell", { name: "Failed logons", exact: true }).waitFor();
    assert.deepEqual(
      (await rules()).map((r) => [r.name, r.is_enabled]),
      [["Failed logons", true]],
    );
    await page.getByLabel("Enabled: Failed logons").uncheck();
    for (let i = 0; i < 50 && (await rules())[0]?.is_enabled; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal((await rules())[0]?.is_enabled, false);
    await page.getByRole("button", { name: "Delete" }).click();
    await page.getByText("0 rules").waitFor();
    assert.deepEqual(await rules(), []);
  });
});
