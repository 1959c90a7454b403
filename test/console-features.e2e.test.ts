/**
 * What issue 19 added to the console, as a user meets it in Chromium: a loading state, the rule
 * columns people expect, search and sort across all rules, filters in the URL, bulk actions and
 * export, BIOC status, comment and MITRE, keyboard focus, and a phone layout. Each test has its
 * own tenant and tab.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { consoleSkip, useConsole } from "./console-harness.ts";
import { START_TIME, type TestKey } from "./harness.ts";

const DAY = 86_400_000;

describe("the console's features (issue 19)", { skip: consoleSkip }, () => {
  const c = useConsole({ freshPage: true });
  const page = () => c.page;
  const row = (text: string) => page().getByRole("row").filter({ hasText: text });
  const insertIocs = (key: TestKey, items: unknown[]) =>
    c.api(key, "/public_api/v1/indicators/insert", { request_data: items });
  const firstValue = () =>
    page().getByRole("table", { name: "IOC rules" }).getByRole("row").nth(1).getByRole("cell").nth(2).innerText();

  it('says Loading, never "No rules", while the first list is on its way', async () => {
    const key = await c.t.key("feature-loading");
    await insertIocs(key, [{ indicator: "late.exe", type: "FILENAME", severity: "SEV_020_LOW" }]);
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page().route("**/public_api/v1/indicators/get", async (route) => {
      await held;
      await route.continue();
    });
    await c.signIn(key);
    await page().getByTestId("loading").waitFor();
    assert.equal(await page().getByTestId("count").innerText(), "Loading…");
    assert.equal(await page().getByText("No rules").count(), 0);
    release();
    await page().getByTestId("count").filter({ hasText: "1-1 of 1" }).waitFor();
    await page().getByTestId("loading").waitFor({ state: "detached" });
  });

  it("shows reputation, reliability, expiry and hit count columns", async () => {
    const key = await c.t.key("feature-columns");
    await insertIocs(key, [
      {
        indicator: "seen.exe",
        type: "FILENAME",
        severity: "SEV_020_LOW",
        reputation: "SUSPICIOUS",
        reliability: "C",
        expiration_date: START_TIME + 10 * DAY,
      },
    ]);
    await c.t.app.inject({
      method: "POST",
      url: "/logs/v1/event",
      headers: { "x-xdr-auth-id": String(key.id), authorization: key.secret },
      payload: JSON.stringify({ event_type: "PROCESS", action_process_image_name: "seen.exe" }),
    });
    await c.signIn(key);
    // allInnerTexts does not wait: read the cells only once the list has drawn the row
    await row("seen.exe").waitFor();
    const cells = await row("seen.exe").getByRole("cell").allInnerTexts();
    for (const header of ["Reputation", "Reliability", "Expires", "Hits"]) {
      await page().getByRole("columnheader", { name: header }).waitFor();
    }
    assert.ok(cells.includes("SUSPICIOUS"), cells.join("|"));
    assert.ok(cells.includes("C"), cells.join("|"));
    assert.ok(cells.includes("1"), `one hit: ${cells.join("|")}`);
    assert.ok(!cells.includes("never"), "a dated rule shows its expiry");
  });

  it("searches a substring and sorts across all rules, not only the page on screen, and keeps both in the URL", async () => {
    const key = await c.t.key("feature-search");
    const items = Array.from({ length: 120 }, (_, i) => ({
      indicator: `host-${String(i).padStart(3, "0")}.exe`,
      type: "FILENAME",
      severity: "SEV_020_LOW",
    }));
    await insertIocs(key, items);
    await c.signIn(key);
    await page().getByTestId("count").filter({ hasText: "1-50 of 120" }).waitFor();
    await page().getByRole("button", { name: "Value" }).click();
    await page().getByRole("button", { name: "Value ▲" }).click();
    await page().getByRole("columnheader", { name: "Value ▼" }).waitFor();
    // a locator, not waitForFunction: Playwright polls a string predicate with eval in the page, and
    // a CI run saw the console's CSP (script-src 'self') refuse it when the list was still busy
    await page().locator("[aria-busy='true']").first().waitFor({ state: "detached" });
    assert.equal(await firstValue(), "host-119.exe", "the last of all 120, though it is not on the first page by id");

    await page().getByLabel("Search by value").fill("ST-11");
    await page().getByLabel("Search by value").press("Enter");
    await page().getByTestId("count").filter({ hasText: "1-10 of 10" }).waitFor();
    assert.equal(await firstValue(), "host-119.exe");
    assert.match(page().url(), /search=ST-11/);
    assert.match(page().url(), /sort=indicator/);

    await page().reload();
    await page().getByTestId("count").filter({ hasText: "1-10 of 10" }).waitFor();
    assert.equal(await page().getByLabel("Search by value").inputValue(), "ST-11");
    await page().getByLabel("Type").selectOption("IP");
    await page().getByTestId("count").filter({ hasText: "No rules" }).waitFor();
    await page().goBack();
    await page().getByTestId("count").filter({ hasText: "1-10 of 10" }).waitFor();
    assert.equal(await page().getByLabel("Type").inputValue(), "");
  });

  it("bulk-disables, exports and deletes the selected rules", async () => {
    const key = await c.t.key("feature-bulk");
    await insertIocs(
      key,
      ["one.exe", "two.exe", "three.exe"].map((indicator) => ({
        indicator,
        type: "FILENAME",
        severity: "SEV_020_LOW",
      })),
    );
    await c.signIn(key);
    await page().getByLabel("Select one.exe").check();
    await page().getByLabel("Select three.exe").check();
    const bar = page().getByRole("group", { name: "Selected rules" });
    await bar.getByText("2 selected").waitFor();
    await bar.getByRole("button", { name: "Disable selected" }).click();
    await page().getByRole("status").filter({ hasText: "Disabled 2 rules" }).waitFor();
    await row("one.exe").getByTestId("status").filter({ hasText: "DISABLED" }).waitFor();
    assert.equal(await row("two.exe").getByTestId("status").innerText(), "ENABLED");

    const download = page().waitForEvent("download");
    await bar.getByRole("button", { name: "Export NDJSON" }).click();
    const file = await (await download).createReadStream();
    let text = "";
    for await (const chunk of file) text += chunk;
    const lines = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.map((l) => l.indicator).sort(), ["one.exe", "three.exe"]);
    assert.equal(lines[0]?.creation_time, undefined, "exported as insert items, without read-only fields");

    const csvDownload = page().waitForEvent("download");
    await bar.getByRole("button", { name: "Export CSV" }).click();
    assert.equal((await csvDownload).suggestedFilename(), "ioc-rules.csv");

    await bar.getByRole("button", { name: "Delete selected" }).click();
    await page().getByRole("status").filter({ hasText: "Deleted 2 rules" }).waitFor();
    await page().getByTestId("count").filter({ hasText: "1-1 of 1" }).waitFor();
    await row("two.exe").waitFor();
  });

  it("edits a BIOC's comment and MITRE fields, and disables and enables it from its row", async () => {
    const key = await c.t.key("feature-bioc");
    await c.api(key, "/public_api/v1/bioc/insert", {
      request_data: [
        {
          name: "watch me",
          type: "OTHER",
          severity: "SEV_020_LOW",
          status: "enabled",
          is_xql: true,
          indicator: "dataset = xdr_data | filter event_type = ENUM.PROCESS",
        },
      ],
    });
    await c.signIn(key);
    await page().goto(`${c.base}#/biocs`);
    await row("watch me").getByRole("button", { name: "Edit" }).click();
    await page().getByLabel("Comment").fill("why it exists");
    await page().getByLabel("MITRE tactics (one a line)").fill("TA0002 - Execution");
    await page().getByRole("button", { name: "Save" }).click();
    await page().getByRole("status").filter({ hasText: "Updated the BIOC rule" }).waitFor();
    await row("why it exists").getByText("TA0002 - Execution").waitFor();
    await row("watch me").getByRole("button", { name: "Disable" }).click();
    await row("watch me").getByRole("cell", { name: "disabled", exact: true }).waitFor();
    await row("watch me").getByRole("button", { name: "Enable" }).click();
    await row("watch me").getByRole("cell", { name: "enabled", exact: true }).waitFor();
    const stored = await c.api(key, "/public_api/v1/bioc/get", { request_data: {} });
    const [bioc] = stored.objects as Record<string, unknown>[];
    assert.equal(bioc?.comment, "why it exists");
    assert.deepEqual(bioc?.mitre_tactic_id_and_name, ["TA0002 - Execution"]);
  });

  it("moves focus into a form when it opens, and Escape closes it", async () => {
    const key = await c.t.key("feature-focus");
    await c.signIn(key);
    await page().getByRole("button", { name: "New IOC" }).click();
    assert.equal(await page().evaluate("document.activeElement.name"), "indicator");
    await page().keyboard.press("Escape");
    await page().getByRole("form", { name: "New IOC" }).waitFor({ state: "detached" });
    await page().goto(`${c.base}#/biocs`);
    await page().getByRole("button", { name: "New BIOC" }).click();
    assert.equal(await page().evaluate("document.activeElement.name"), "name");
    await page().keyboard.press("Escape");
    await page().getByRole("form", { name: "New BIOC" }).waitFor({ state: "detached" });
  });

  it("fits a phone's width: the page never scrolls sideways", async () => {
    const key = await c.t.key("feature-phone");
    await insertIocs(key, [
      {
        indicator: "a-rather-long-indicator-value-for-a-small-screen.example.exe",
        type: "FILENAME",
        severity: "SEV_020_LOW",
      },
    ]);
    await page().setViewportSize({ width: 360, height: 740 });
    await c.signIn(key);
    for (const where of ["iocs", "biocs", "alerts", "audit", "try"]) {
      await page().goto(`${c.base}#/${where}`);
      await page().getByRole("heading", { level: 1 }).waitFor();
      const width = await page().evaluate("document.documentElement.scrollWidth");
      assert.ok(Number(width) <= 360, `${where}: the page is ${width}px wide on a 360px screen`);
    }
    await page().goto(`${c.base}#/iocs`);
    await page().getByTestId("count").filter({ hasText: "1-1 of 1" }).waitFor();
    await c.shot("phone");
  });

  it("suggests xdr_data field names in the tree builder", async () => {
    const key = await c.t.key("feature-fields");
    await c.signIn(key);
    await page().goto(`${c.base}#/biocs`);
    await page().getByRole("button", { name: "New BIOC" }).click();
    const list = await page().getByLabel("Field").getAttribute("list");
    assert.ok(list, "the Field input names a list of suggestions");
    const names = await page()
      .locator(`datalist#${list} option`)
      .evaluateAll((options) => options.map((o) => o.getAttribute("value")));
    assert.ok(
      names.includes("action_file_name") && names.includes("causality_actor_process_command_line"),
      names.join(", "),
    );
  });
});
