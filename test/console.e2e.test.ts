/**
 * The flows a user walks daily in the web console, in a real headless Chromium against a real
 * server (test/console-harness.ts). With WARDEN_SCREENSHOTS=1 it also refreshes docs/screenshots/.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { consoleSkip, useConsole } from "./console-harness.ts";
import type { TestKey } from "./harness.ts";

describe("the web console", { skip: consoleSkip }, () => {
  const c = useConsole();
  let admin: TestKey;
  before(async () => {
    admin = await c.t.key("console");
  });
  const page = () => c.page;

  it("signs in, and creates, finds, edits, disables and deletes an IOC", async () => {
    await c.signIn(admin);
    assert.match(await page().getByTestId("who").innerText(), /console · instance admin/);
    await page().getByRole("button", { name: "New IOC" }).click();
    await page().getByLabel("Value", { exact: true }).fill("evil-console.exe");
    await page().getByLabel("Comment").fill("first");
    await page().getByRole("button", { name: "Save" }).click();
    await page().getByRole("status").filter({ hasText: "Created a new IOC rule" }).waitFor();
    await page().getByLabel("Search by value").fill("EVIL-CONSOLE.EXE");
    await page().getByLabel("Search by value").press("Enter");
    await page().getByTestId("count").filter({ hasText: "1-1 of 1" }).waitFor();
    await page().getByRole("button", { name: "Edit evil-console.exe" }).click();
    await page().getByLabel("Comment").fill("edited in the browser");
    await page().getByRole("button", { name: "Save" }).click();
    await page().getByRole("cell", { name: "edited in the browser" }).waitFor();
    await page().getByRole("button", { name: "Disable" }).click();
    await page().getByTestId("status").filter({ hasText: "DISABLED" }).waitFor();
    await c.shot("iocs");
    await page().getByRole("button", { name: "Delete", exact: true }).click();
    await page().getByRole("status").filter({ hasText: "Deleted 1 rule" }).waitFor();
    await page().getByTestId("count").filter({ hasText: "No rules" }).waitFor();
  });

  it("imports a CSV and reports its one bad row", async () => {
    await page().goto(`${c.base}#/iocs`);
    await page().reload(); // a fresh page: no search left over from the last test
    await page().getByText("Import a file (CSV or NDJSON)").click();
    const csv =
      'indicator,type,severity,comment\nimported-1.exe,FILENAME,HIGH,"a, b"\nnot-an-ip,IP,LOW,bad\n10.9.9.9,IP,LOW,ok\n';
    await page()
      .locator('input[type="file"]')
      .setInputFiles({ name: "iocs.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page().getByTestId("import-summary").filter({ hasText: "Imported 2 of 3 rows" }).waitFor();
    const report = page().getByRole("table", { name: "Rows not imported" });
    assert.match(await report.innerText(), /not-an-ip[\s\S]*Got type: IP, Indicator: not-an-ip mismatch/);
    await page().getByTestId("count").filter({ hasText: "1-2 of 2" }).waitFor();
  });

  it("builds a BIOC in the visual editor and sees it fire on a pasted event", async () => {
    await page().goto(`${c.base}#/biocs`);
    await page().getByRole("button", { name: "New BIOC" }).click();
    await page().getByLabel("Name", { exact: true }).fill("console tree");
    await page().getByLabel("Value", { exact: true }).fill("PowerShell.exe");
    const raw = await page().getByLabel("Raw JSON").inputValue();
    assert.match(raw, /"SEARCH_VALUE": "PowerShell.exe"/, "the raw JSON follows the visual editor");
    await c.shot("bioc-editor");
    await page().getByRole("button", { name: "Save" }).click();
    await page().getByRole("status").filter({ hasText: "Created a new BIOC rule" }).waitFor();
    await page().goto(`${c.base}#/try`);
    await page()
      .getByLabel("Events", { exact: true })
      .fill('{"event_type": "PROCESS", "action_process_image_name": "powershell.exe"}');
    await page().getByRole("button", { name: "Evaluate" }).click();
    await page().getByRole("table", { name: "Hits" }).getByRole("link", { name: "console tree" }).waitFor();
    await c.shot("try-it");
  });

  it("shows a broken XQL query's error at its line and column as you type", async () => {
    await page().goto(`${c.base}#/biocs`);
    await page().getByRole("button", { name: "New BIOC" }).click();
    await page().getByLabel("XQL query").check();
    await page().getByLabel("XQL", { exact: true }).fill("dataset = xdr_data |alter2 x = 1");
    const error = page().getByTestId("xql-error");
    await error.filter({ hasText: "Line 1, column 20: no viable alternative at input '|alter2'" }).waitFor();
    assert.match(await error.locator("pre").innerText(), /\n {19}\^$/);
    await c.shot("xql-error");
    await page().getByLabel("XQL", { exact: true }).fill("dataset = xdr_data | filter event_type = ENUM.PROCESS");
    await error.waitFor({ state: "detached" });
  });

  it("shows alerts linked to their rules", async () => {
    await c.t.app.inject({
      method: "POST",
      url: "/logs/v1/event",
      headers: { "x-xdr-auth-id": String(admin.id), authorization: admin.secret },
      payload: JSON.stringify({ event_type: "PROCESS", action_process_image_name: "powershell.exe" }),
    });
    await page().goto(`${c.base}#/alerts`);
    await page().getByRole("link", { name: "BIOC · console tree" }).click();
    await page().getByRole("cell", { name: "console tree", exact: true }).waitFor();
    await page().goto(`${c.base}#/alerts`);
    await c.shot("alerts");
  });

  it("shows the audit log: who changed what, with the rule before and after", async () => {
    await page().goto(`${c.base}#/audit`);
    await page().getByLabel("What").selectOption("IOC_RULES");
    await page().getByLabel("Change").selectOption("Edit");
    const entries = page().getByRole("table", { name: "Audit entries" });
    const edited = entries.getByRole("row").filter({ hasText: "Edited IOC rule 1 (FILENAME evil-console.exe)" });
    await edited.waitFor();
    assert.match(await edited.innerText(), new RegExp(`Public API - ${admin.id} \\(127\\.0\\.0\\.1\\)`));
    await page().getByTestId("audit-count").filter({ hasText: "1-1 of 1" }).waitFor();
    await edited.getByText("Before and after").click();
    assert.match(await edited.getByLabel("Before").innerText(), /"comment": "first"/);
    assert.match(await edited.getByLabel("After").innerText(), /"comment": "edited in the browser"/);
    await c.shot("audit");
  });

  it("signs in with an advanced key and hides what a viewer may not do", async () => {
    await page().getByRole("button", { name: "Sign out" }).click();
    c.t.clock.set(Date.now()); // the browser signs with its own clock; the server's must agree within 5 minutes
    await c.signIn(await c.t.key("console", "viewer", "advanced"));
    assert.match(await page().getByTestId("who").innerText(), /viewer/);
    assert.equal(await page().getByRole("button", { name: "New IOC" }).count(), 0);
    assert.equal(await page().getByRole("link", { name: "Try it" }).count(), 0);
    assert.equal(await page().getByRole("link", { name: "Audit log" }).count(), 0);
    await page().setViewportSize({ width: 390, height: 800 });
    await page().getByRole("heading", { name: "IOC rules" }).waitFor();
  });
});
