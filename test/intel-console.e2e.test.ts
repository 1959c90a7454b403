/**
 * Threat intelligence in the console, as a user meets it in Chromium: TAXII feeds (add, pull now
 * over a slow network, errors, reload, remove), the import screen's per-object results, and export
 * of the selection or the current filter as STIX, MISP or CSV. The feeds pull from the same
 * server's TAXII API root on loopback.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Download } from "playwright-core";
import { collectionId } from "../src/intel/taxii-collection.ts";
import { consoleSkip, useConsole } from "./console-harness.ts";
import { bundle, indicator } from "./intel/stix-fixtures.ts";

async function textOf(download: Promise<Download>): Promise<string> {
  let text = "";
  for await (const chunk of await (await download).createReadStream()) text += chunk;
  return text;
}

describe("threat intelligence in the console (issue 15)", { skip: consoleSkip }, () => {
  const c = useConsole({ freshPage: true, env: { WARDEN_INTEL_FEED_HOSTS: "127.0.0.1" } });
  const page = () => c.page;
  /** The row whose first cell is exactly `name` (a feed's URL may contain another's name). */
  const row = (name: string) =>
    page()
      .getByRole("row")
      .filter({ has: page().getByRole("cell", { name, exact: true }) });
  const status = (text: string | RegExp) => page().getByRole("status").filter({ hasText: text });

  it("adds a feed, pulls it now over a slow network, shows errors, keeps it across a reload and removes it", async () => {
    const upstream = await c.t.key("intel-up");
    const reader = await c.t.key("intel-up", "viewer");
    const items = ["one.example", "two.example"].map((indicator) => ({
      indicator,
      type: "DOMAIN_NAME",
      severity: "SEV_040_HIGH",
    }));
    await c.api(upstream, "/public_api/v1/indicators/insert", { request_data: items });
    const up = await c.t.services.tenants.find("intel-up");
    assert.ok(up.ok);
    const admin = await c.t.key("intel-down");
    await c.signIn(admin);
    await page().getByRole("link", { name: "TAXII feeds" }).click();
    await page().getByText("No feeds yet.").waitFor();

    await page().getByRole("button", { name: "Add feed" }).click();
    assert.equal(await page().evaluate("document.activeElement.name"), "name", "the form takes the focus");
    await page().keyboard.type("up");
    await page().getByLabel("API root URL").fill("http://10.1.2.3/taxii2/intel-up/");
    await page().getByLabel("Collection ID").fill(collectionId(up.value.id));
    await page().getByLabel("User").fill(String(reader.id));
    await page().getByLabel("Password").fill(reader.secret);
    await page().getByLabel("Password").press("Enter");
    await page().getByRole("alert").filter({ hasText: "internal address" }).waitFor();

    const root = `${c.base}taxii2/intel-up/`;
    await page().getByLabel("API root URL").fill(root);
    await page().getByLabel("API root URL").press("Enter");
    await status("Added feed up").waitFor();
    await row("up").getByTestId("last-pull").filter({ hasText: "never" }).waitFor();
    assert.equal(await page().getByText(reader.secret).count(), 0, "the password is never shown");

    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page().route("**/public_api/v1/intel/feeds/pull", async (route) => {
      await held;
      await route.continue();
    });
    await row("up").getByRole("button", { name: "Pull now" }).click();
    const pulling = row("up").getByRole("button", { name: "Pulling…" });
    await pulling.waitFor();
    assert.equal(await pulling.isDisabled(), true, "one pull at a time");
    release();
    await status("Pulled up: 2 created").waitFor();
    await row("up").getByTestId("counts").filter({ hasText: "2 objects: 2 created" }).waitFor();
    assert.notEqual(await row("up").getByTestId("last-pull").innerText(), "never");

    await page().reload();
    await row("up").getByTestId("counts").filter({ hasText: "2 created" }).waitFor();

    await page().unroute("**/public_api/v1/intel/feeds/pull");
    await page().getByRole("button", { name: "Add feed" }).click();
    await page().getByLabel("Name").fill("wrong");
    await page().getByLabel("API root URL").fill(root);
    await page().getByLabel("Collection ID").fill(collectionId(up.value.id));
    await page().getByLabel("User").fill(String(reader.id));
    await page().getByLabel("Password").fill("not the secret");
    await page().getByRole("button", { name: "Add", exact: true }).click();
    await status("Added feed wrong").waitFor();
    await row("wrong").getByRole("button", { name: "Pull now" }).click();
    await page().getByRole("alert").filter({ hasText: "answered 401" }).waitFor();
    await row("wrong").getByTestId("last-error").filter({ hasText: "answered 401" }).waitFor();

    await row("up").getByRole("button", { name: "Remove up" }).click();
    await status("Removed feed up").waitFor();
    await row("up").waitFor({ state: "detached" });
    await c.shot("feeds");
  });

  it("shows a viewer the feeds, but nothing to change them with, and no import screen", async () => {
    const admin = await c.t.key("intel-viewer");
    await c.api(admin, "/public_api/v1/intel/feeds/add", {
      request_data: { name: "tip", url: "https://8.8.8.8/taxii2/root/", collection_id: "c1" },
    });
    const viewer = await c.t.key("intel-viewer", "viewer");
    await c.signIn(viewer);
    await page().getByRole("link", { name: "TAXII feeds" }).click();
    await row("tip").getByTestId("last-pull").filter({ hasText: "never" }).waitFor();
    assert.equal(
      await page()
        .getByRole("button", { name: /Add feed|Pull now|Remove/ })
        .count(),
      0,
    );
    assert.equal(await page().getByRole("link", { name: "Import intel" }).count(), 0);
  });

  it("imports a STIX bundle and lists each object's rule, and what was refused and why", async () => {
    const admin = await c.t.key("intel-import");
    await c.signIn(admin);
    await page().getByRole("link", { name: "Import intel" }).click();
    const good = indicator("console-good", "[domain-name:value = 'console.example']");
    const complex = indicator("console-complex", "[domain-name:value = 'a.example'] FOLLOWEDBY [url:value = 'x']");
    const malware = { type: "malware", spec_version: "2.1", id: "malware--0d1e0f6a-1b2c-4d5e-8f90-a1b2c3d4e5f6" };
    const file = {
      name: "tip.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify(bundle([good, complex, malware]))),
    };

    await page()
      .getByLabel(/File/)
      .setInputFiles({ ...file, name: "garbage.json", buffer: Buffer.from("not intel at all") });
    await page().getByRole("button", { name: "Import" }).click();
    await page().getByRole("alert").filter({ hasText: "garbage.json" }).waitFor();

    await page().getByLabel(/File/).setInputFiles(file);
    await page().getByRole("button", { name: "Import" }).click();
    await status("tip.json (STIX): 1 created, 0 updated, 0 unchanged, 0 deleted, 2 not imported").waitFor();
    const refused = page().getByRole("table", { name: "Objects not imported" });
    await refused.getByRole("row").filter({ hasText: complex.id }).filter({ hasText: "pattern too complex" }).waitFor();
    await refused.getByRole("row").filter({ hasText: malware.id }).filter({ hasText: "unsupported type" }).waitFor();
    const made = page().getByRole("table", { name: "Rules made" }).getByRole("row").filter({ hasText: good.id });
    await made.getByRole("cell", { name: "created" }).waitFor();
    await c.shot("intel-import");

    await made.getByRole("link").click();
    // Waits for the count: the rows of the list shown before may still be on screen, marked loading.
    await page().getByTestId("count").filter({ hasText: "1-1 of 1" }).waitFor();
    const rows = page().getByRole("table", { name: "IOC rules" }).getByRole("row");
    assert.equal(await rows.count(), 2, "the header and the one rule made");
    assert.match(await rows.nth(1).innerText(), /console\.example/);
  });

  it("exports the selected rules, or else the filtered ones, as STIX, MISP or CSV", async () => {
    const admin = await c.t.key("intel-export");
    await c.api(admin, "/public_api/v1/indicators/insert", {
      request_data: [
        { indicator: "a.example", type: "DOMAIN_NAME", severity: "SEV_020_LOW" },
        { indicator: "b.example", type: "DOMAIN_NAME", severity: "SEV_020_LOW" },
        { indicator: "203.0.113.9", type: "IP", severity: "SEV_020_LOW" },
      ],
    });
    await c.signIn(admin);
    await page().getByTestId("count").filter({ hasText: "1-3 of 3" }).waitFor();
    await page().getByLabel("Select a.example").check();
    await page().getByLabel("Select 203.0.113.9").check();
    const exporter = page().getByRole("group", { name: "Export as intelligence" });
    const stix = page().waitForEvent("download");
    await exporter.getByRole("button", { name: "Export 2 selected as intelligence" }).click();
    const stixBundle = JSON.parse(await textOf(stix)) as { type: string; objects: { pattern: string }[] };
    assert.equal(stixBundle.type, "bundle");
    assert.deepEqual(stixBundle.objects.map((o) => o.pattern).sort(), [
      "[domain-name:value = 'a.example']",
      "[ipv4-addr:value = '203.0.113.9']",
    ]);
    await status("Exported 2 selected rules as STIX").waitFor();

    await page()
      .getByRole("group", { name: "Selected rules" })
      .getByRole("button", { name: "Clear selection" })
      .click();
    await page().getByLabel("Type").selectOption("DOMAIN_NAME");
    await page().getByTestId("count").filter({ hasText: "1-2 of 2" }).waitFor();
    await exporter.getByLabel("Intelligence format").selectOption("csv");
    const csv = page().waitForEvent("download");
    await exporter.getByRole("button", { name: "Export matching as intelligence" }).click();
    const text = await textOf(csv);
    assert.match(text, /a\.example/);
    assert.match(text, /b\.example/);
    assert.doesNotMatch(text, /203\.0\.113\.9/, "only what the filter selects");

    await exporter.getByLabel("Intelligence format").selectOption("misp");
    const misp = page().waitForEvent("download");
    await exporter.getByRole("button", { name: "Export matching as intelligence" }).click();
    const event = JSON.parse(await textOf(misp)) as { Event: { Attribute: { value: string }[] } };
    assert.deepEqual(event.Event.Attribute.map((a) => a.value).sort(), ["a.example", "b.example"]);
  });
});
