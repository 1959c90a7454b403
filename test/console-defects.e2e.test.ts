/**
 * One browser test per defect of issue 19, each seen failing before its fix. Every test has its
 * own tenant and tab, so none leans on another's rules.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Request } from "playwright-core";
import { consoleSkip, useConsole } from "./console-harness.ts";
import { START_TIME, TEST_ACTOR, type TestKey } from "./harness.ts";

const DAY = 86_400_000;
const tree = (value: string) => ({
  investigationType: "PROCESS_EXECUTION_EVENT",
  investigation: {
    PROCESS_EXECUTION_EVENT: {
      filter: { AND: [{ SEARCH_FIELD: "action_process_image_name", SEARCH_TYPE: "EQ", SEARCH_VALUE: value }] },
    },
  },
});

describe("the console's defects (issue 19)", { skip: consoleSkip }, () => {
  const c = useConsole({ freshPage: true });
  const page = () => c.page;

  const insertIocs = (key: TestKey, items: unknown[]) =>
    c.api(key, "/public_api/v1/indicators/insert", { request_data: items });
  const insertBiocs = (key: TestKey, items: unknown[]) =>
    c.api(key, "/public_api/v1/bioc/insert", { request_data: items });
  const getOne = async (key: TestKey, kind: "indicators" | "bioc", ruleId: number) => {
    const res = await c.api(key, `/public_api/v1/${kind}/get`, {
      request_data: { filters: [{ field: "rule_id", operator: "EQ", value: ruleId }] },
    });
    return (res.objects as Record<string, unknown>[])[0] ?? {};
  };
  const row = (text: string) => page().getByRole("row").filter({ hasText: text });

  it("1: edits an existing BIOC rule and keeps its comment and MITRE fields", async () => {
    const key = await c.t.key("defect-1");
    await insertBiocs(key, [
      {
        name: "edit me",
        type: "EXECUTION",
        severity: "SEV_040_HIGH",
        comment: "kept",
        status: "enabled",
        is_xql: false,
        indicator: tree("cmd.exe"),
        mitre_tactic_id_and_name: ["TA0002 - Execution"],
        mitre_technique_id_and_name: ["T1059 - Command and Scripting Interpreter"],
      },
    ]);
    await c.signIn(key);
    await page().goto(`${c.base}#/biocs`);
    await row("edit me").getByRole("button", { name: "Edit" }).click();
    await page().getByLabel("Name", { exact: true }).fill("edited name");
    await page().getByRole("button", { name: "Save" }).click();
    await page().getByRole("status").filter({ hasText: "Updated the BIOC rule with the ID: 1" }).waitFor();
    const stored = await getOne(key, "bioc", 1);
    assert.equal(stored.name, "edited name");
    assert.equal(stored.comment, "kept");
    assert.deepEqual(stored.mitre_tactic_id_and_name, ["TA0002 - Execution"]);
    assert.deepEqual(stored.indicator, tree("cmd.exe"));
  });

  it("2: editing an IOC's comment keeps its expiry and reliability", async () => {
    const key = await c.t.key("defect-2");
    const expires = START_TIME + 30 * DAY;
    await insertIocs(key, [
      {
        indicator: "keep.exe",
        type: "FILENAME",
        severity: "SEV_020_LOW",
        expiration_date: expires,
        reliability: "B",
        comment: "old",
      },
    ]);
    await c.signIn(key);
    await page().getByRole("button", { name: "Edit keep.exe" }).click();
    await page().getByLabel("Comment").fill("new comment");
    await page().getByRole("button", { name: "Save" }).click();
    await page().getByRole("status").filter({ hasText: "Updated the IOC rule" }).waitFor();
    const stored = await getOne(key, "indicators", 1);
    assert.equal(stored.comment, "new comment");
    assert.equal(stored.expiration_date, expires);
    assert.equal(stored.reliability, "B");
    assert.equal(stored.severity, "SEV_020_LOW");
  });

  it("3: Edit on a second row shows and saves the second rule, for IOCs and BIOCs", async () => {
    const key = await c.t.key("defect-3");
    await insertIocs(key, [
      { indicator: "first.exe", type: "FILENAME", severity: "SEV_020_LOW", comment: "first" },
      { indicator: "second.exe", type: "FILENAME", severity: "SEV_020_LOW", comment: "second" },
    ]);
    await insertBiocs(key, [
      {
        name: "bioc one",
        type: "OTHER",
        severity: "SEV_020_LOW",
        status: "enabled",
        is_xql: false,
        indicator: tree("a.exe"),
      },
      {
        name: "bioc two",
        type: "OTHER",
        severity: "SEV_020_LOW",
        status: "enabled",
        is_xql: false,
        indicator: tree("b.exe"),
      },
    ]);
    await c.signIn(key);
    await page().getByRole("button", { name: "Edit first.exe" }).click();
    await page().getByRole("button", { name: "Edit second.exe" }).click();
    await page().getByRole("heading", { name: "Edit rule 2" }).waitFor();
    assert.equal(await page().getByLabel("Value", { exact: true }).inputValue(), "second.exe");
    await page().getByLabel("Comment").fill("changed second");
    await page().getByRole("button", { name: "Save" }).click();
    await page().getByRole("status").filter({ hasText: "Updated the IOC rule" }).waitFor();
    assert.equal((await getOne(key, "indicators", 1)).comment, "first");
    assert.equal((await getOne(key, "indicators", 2)).comment, "changed second");

    await page().goto(`${c.base}#/biocs`);
    await row("bioc one").getByRole("button", { name: "Edit" }).click();
    await row("bioc two").getByRole("button", { name: "Edit" }).click();
    await page().getByRole("heading", { name: "Edit BIOC 2" }).waitFor();
    assert.equal(await page().getByLabel("Name", { exact: true }).inputValue(), "bioc two");
    await page().getByLabel("Name", { exact: true }).fill("bioc two renamed");
    await page().getByRole("button", { name: "Save" }).click();
    await page().getByRole("status").filter({ hasText: "Updated the BIOC rule with the ID: 2" }).waitFor();
    assert.equal((await getOne(key, "bioc", 1)).name, "bioc one");
    assert.equal((await getOne(key, "bioc", 2)).name, "bioc two renamed");
  });

  /** Holds back list answers whose request body contains `slow` until `release` is called. */
  const holdBack = async (path: string, slow: string) => {
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page().route(`**${path}`, async (route) => {
      if (route.request().postData()?.includes(slow)) await released;
      // The console may have cancelled the superseded request meanwhile.
      await route.continue().catch(() => {});
    });
    return release;
  };
  /** Resolves when a request to `path` whose body contains `text` has been answered or cancelled. */
  const ended = (path: string, text: string) =>
    new Promise<void>((resolve) => {
      const mine = (r: Request) => r.url().includes(path) && !!r.postData()?.includes(text);
      page().on("requestfinished", (r) => mine(r) && resolve());
      page().on("requestfailed", (r) => mine(r) && resolve());
    });
  it("4: a slow earlier list answer never replaces a newer one (IOC list and audit log)", async () => {
    const key = await c.t.key("defect-4");
    await insertIocs(key, [
      { indicator: "http://slow.example/x", type: "URL", severity: "SEV_020_LOW" },
      { indicator: "10.4.4.4", type: "IP", severity: "SEV_020_LOW" },
    ]);
    await c.signIn(key);
    await page().getByTestId("count").filter({ hasText: "1-2 of 2" }).waitFor();
    const release = await holdBack("/public_api/v1/indicators/get", '"URL"');
    const slowAnswer = ended("indicators/get", '"URL"');
    await page().getByLabel("Type").selectOption("URL");
    await page().getByLabel("Type").selectOption("IP");
    await page().getByTestId("count").filter({ hasText: "1-1 of 1" }).waitFor();
    await row("10.4.4.4").waitFor();
    release();
    await slowAnswer;
    await c.painted();
    assert.equal(await row("http://slow.example/x").count(), 0, "the URL rule of the superseded filter is not shown");
    assert.equal(await page().getByTestId("count").innerText(), "1-1 of 1");

    await page().goto(`${c.base}#/audit`);
    await page().getByRole("row").filter({ hasText: "API_KEYS" }).first().waitFor();
    const releaseAudit = await holdBack("/public_api/v1/audits/management_logs", "API_KEYS");
    const slowAudit = ended("management_logs", "API_KEYS");
    await page().getByLabel("What").selectOption("API_KEYS");
    await page().getByLabel("What").selectOption("IOC_RULES");
    await page().getByTestId("audit-count").filter({ hasText: "1-2 of 2" }).waitFor();
    releaseAudit();
    await slowAudit;
    await c.painted();
    assert.equal(await page().getByRole("row").filter({ hasText: "API_KEYS" }).count(), 0);
    assert.equal(await page().getByTestId("audit-count").innerText(), "1-2 of 2");
  });

  it("9: a revoked key signs the console out with a reason", async () => {
    const key = await c.t.key("defect-9");
    await c.signIn(key);
    await page().getByTestId("count").filter({ hasText: "No rules" }).waitFor();
    assert.ok(await c.t.services.keys.revoke(key.id, TEST_ACTOR));
    await page().getByRole("link", { name: "BIOC rules" }).click();
    await page().getByLabel("API key ID").waitFor();
    await page().getByRole("alert").filter({ hasText: "Your API key was refused" }).waitFor();
    assert.equal(await page().getByTestId("who").count(), 0);
  });

  it("7: invalid raw JSON is never saved, and the builder and the JSON never drift", async () => {
    const key = await c.t.key("defect-7");
    await c.signIn(key);
    await page().goto(`${c.base}#/biocs`);
    await page().getByRole("button", { name: "New BIOC" }).click();
    await page().getByLabel("Name", { exact: true }).fill("drift");
    await page().getByLabel("Value", { exact: true }).fill("kept.exe");
    await page().getByLabel("Raw JSON").fill('{"investigationType": "PROCESS_EXECUTION_EVENT", oops');
    await page().getByRole("button", { name: "Save" }).click();
    await page().getByRole("alert").filter({ hasText: "Raw JSON" }).waitFor();
    const stored = await c.api(key, "/public_api/v1/bioc/get", { request_data: {} });
    assert.equal(stored.objects_count, 0, "nothing was saved");

    await page().getByRole("button", { name: "Cancel" }).click();
    await page().getByRole("button", { name: "New BIOC" }).click();
    await page().getByLabel("Value", { exact: true }).fill("typed.exe");
    await page().getByLabel("XQL query").check();
    await page().getByLabel("XQL query").uncheck();
    const builderValue = await page().getByLabel("Value", { exact: true }).inputValue();
    const raw = JSON.parse(await page().getByLabel("Raw JSON").inputValue());
    const leaf = raw.investigation[raw.investigationType].filter.AND[0];
    assert.equal(leaf.SEARCH_VALUE, builderValue, "the raw JSON shows what the builder shows");
  });

  it('8: one message at a time, one column number, and no false "Deleted"', async () => {
    const key = await c.t.key("defect-8");
    await c.signIn(key);
    await page().getByRole("button", { name: "New IOC" }).click();
    await page().getByLabel("Value", { exact: true }).fill("fine.exe");
    await page().getByRole("button", { name: "Save" }).click();
    await page().getByRole("status").filter({ hasText: "Created a new IOC rule" }).waitFor();
    await page().getByRole("button", { name: "New IOC" }).click();
    await page().getByLabel("Value", { exact: true }).fill("not an ip");
    await page().getByRole("form", { name: "New IOC" }).getByLabel("Type").selectOption("IP");
    await page().getByRole("button", { name: "Save" }).click();
    await page().getByRole("alert").filter({ hasText: "mismatch" }).waitFor();
    assert.equal(await page().getByText("Created a new IOC rule").count(), 0, "the old success is gone");

    await page().goto(`${c.base}#/biocs`);
    await page().getByRole("button", { name: "New BIOC" }).click();
    await page().getByLabel("Name", { exact: true }).fill("bad xql");
    await page().getByLabel("XQL query").check();
    await page().getByLabel("XQL", { exact: true }).fill("dataset = xdr_data |alter2 x = 1");
    await page().getByTestId("xql-error").filter({ hasText: "Line 1, column 20" }).waitFor();
    await page().getByRole("button", { name: "Save" }).click();
    const saveError = page().getByRole("alert").filter({ hasText: "Failed to create bioc" });
    await saveError.waitFor();
    assert.match(await saveError.innerText(), /Line 1, column 20: no viable alternative/);
    await page().getByRole("button", { name: "Cancel" }).click();

    await insertBiocs(key, [
      {
        name: "gone soon",
        type: "OTHER",
        severity: "SEV_020_LOW",
        status: "enabled",
        is_xql: false,
        indicator: tree("g.exe"),
      },
    ]);
    await page().reload();
    await row("gone soon").waitFor();
    await c.api(key, "/public_api/v1/bioc/delete", {
      request_data: { filters: [{ field: "name", operator: "EQ", value: "gone soon" }] },
    });
    await row("gone soon").getByRole("button", { name: "Delete" }).click();
    await page().getByRole("alert").filter({ hasText: "already deleted" }).waitFor();
    assert.equal(
      await page()
        .getByText(/^Deleted/)
        .count(),
      0,
    );
  });

  it("10: Try it reads a pretty-printed object, and a parse error clears the old hits", async () => {
    const key = await c.t.key("defect-10");
    await insertBiocs(key, [
      {
        name: "try ten",
        type: "OTHER",
        severity: "SEV_020_LOW",
        status: "enabled",
        is_xql: false,
        indicator: tree("evil10.exe"),
      },
    ]);
    await c.signIn(key);
    await page().goto(`${c.base}#/try`);
    const pretty = JSON.stringify({ event_type: "PROCESS", action_process_image_name: "evil10.exe" }, null, 2);
    await page().getByLabel("Events", { exact: true }).fill(pretty);
    await page().getByRole("button", { name: "Evaluate" }).click();
    await page().getByRole("table", { name: "Hits" }).getByRole("link", { name: "try ten" }).waitFor();
    await page().getByLabel("Events", { exact: true }).fill('{"event_type": "PROCESS", broken');
    await page().getByRole("button", { name: "Evaluate" }).click();
    await page().getByRole("alert").waitFor();
    assert.equal(
      await page().getByRole("table", { name: "Hits" }).count(),
      0,
      "no hits of the old events beside the error",
    );
  });

  it("5: alerts come newest first, and a pager reaches every one", async () => {
    const key = await c.t.key("defect-5");
    await insertIocs(key, [{ indicator: "often.exe", type: "FILENAME", severity: "SEV_020_LOW" }]);
    const events = Array.from({ length: 205 }, (_, i) =>
      JSON.stringify({ event_type: "PROCESS", action_process_image_name: "often.exe", n: i }),
    ).join("\n");
    const res = await c.t.app.inject({
      method: "POST",
      url: "/logs/v1/event",
      headers: { "x-xdr-auth-id": String(key.id), authorization: key.secret },
      payload: events,
    });
    assert.ok(res.statusCode < 300, res.body);
    const newest = await c.api(key, "/public_api/v1/alerts/get_alerts", {
      request_data: { sort: { field: "alert_id", keyword: "desc" }, search_to: 1 },
    });
    const { alerts } = newest.reply as { alerts: { alert_id: number }[] };
    const newestId = String(alerts[0]?.alert_id);
    await c.signIn(key);
    await page().goto(`${c.base}#/alerts`);
    const table = page().getByRole("table", { name: "Alerts" });
    await page().getByTestId("alert-count").filter({ hasText: "of 205" }).waitFor();
    assert.equal(await table.getByRole("row").nth(1).getByRole("cell").first().innerText(), newestId);
    // A slow next page: the first page's rows stay, and the pager does not claim rows 51-100 yet.
    const release = await holdBack("/public_api/v1/alerts/get_alerts", '"search_from":50');
    await page().getByRole("button", { name: "Next" }).click();
    await page().getByTestId("alert-count").filter({ hasText: "Loading…" }).waitFor();
    assert.equal(await table.getByRole("row").nth(1).getByRole("cell").first().innerText(), newestId);
    release();
    await page().getByTestId("alert-count").filter({ hasText: "51-100 of 205" }).waitFor();
    assert.notEqual(await table.getByRole("row").nth(1).getByRole("cell").first().innerText(), newestId);
    await page().unroute("**/public_api/v1/alerts/get_alerts");
    for (let i = 0; i < 3; i++) await page().getByRole("button", { name: "Next" }).click();
    await page().getByTestId("alert-count").filter({ hasText: "201-205 of 205" }).waitFor();
    await table.getByRole("row").filter({ hasText: "often.exe" }).last().waitFor();
    assert.equal(await table.getByRole("row").count(), 6, "the header and the five oldest alerts");
  });

  it("6: the CSV import summary counts a quoted field that spans lines as one row", async () => {
    const key = await c.t.key("defect-6");
    await c.signIn(key);
    await page().getByText("Import a file (CSV or NDJSON)").click();
    const csv = 'indicator,type,severity,comment\nmulti.exe,FILENAME,HIGH,"line one\nline two"\nnot-an-ip,IP,LOW,bad\n';
    await page()
      .locator('input[type="file"]')
      .setInputFiles({ name: "iocs.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page()
      .getByTestId("import-summary")
      .filter({ hasText: /Imported/ })
      .waitFor();
    assert.equal(await page().getByTestId("import-summary").innerText(), "Imported 1 of 2 rows");
  });
});
