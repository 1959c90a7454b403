/**
 * What the console's browser suites share: a real server on a socket, Debian's Chromium driven by
 * playwright-core, a fresh page per test, and signing in as a user does (by label and role).
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, afterEach, before, beforeEach } from "node:test";
import { type Browser, chromium, type Page } from "playwright-core";
import { startTestApp, type TestApp, type TestKey } from "./harness.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOTS = join(import.meta.dirname, "..", "docs", "screenshots");
const built = existsSync(join(import.meta.dirname, "..", "web", "dist", "index.html"));

/** Why a console suite cannot run here, or false when it can. */
export const consoleSkip: string | false = !existsSync(CHROMIUM)
  ? `needs Chromium at ${CHROMIUM} (.ci/run installs Debian's)`
  : !built
    ? "needs the console built (npm run build:web)"
    : false;

export interface ConsoleEnv {
  t: TestApp;
  page: Page;
  base: string;
  browser: Browser;
  /** Signs in on a fresh load of the console and waits until the shell shows who is signed in. */
  signIn(key: TestKey): Promise<void>;
  /** With WARDEN_SCREENSHOTS=1, saves docs/screenshots/NAME.png. */
  shot(name: string): Promise<void>;
  /** Waits until the browser has painted twice, so an answer that arrived has had its chance to show. */
  painted(): Promise<void>;
  /** POSTs to the API over HTTP with the key, and answers the parsed JSON. */
  api(key: TestKey, path: string, body: unknown): Promise<Record<string, unknown>>;
}

/**
 * Registers the suite's hooks and answers an object whose fields are filled before the first
 * test. `freshPage` gives each test its own tab (its own sessionStorage); otherwise one tab
 * walks through the whole suite, as a user's day does.
 */
export function useConsole(
  options: {
    freshPage?: boolean;
    viewport?: { width: number; height: number };
    /** Settings for the server, as environment variables (e.g. WARDEN_INTEL_FEED_HOSTS). */
    env?: Record<string, string>;
  } = {},
) {
  const env = {} as ConsoleEnv;
  const viewport = options.viewport ?? { width: 1200, height: 800 };
  const openPage = async () => {
    env.page = await env.browser.newPage({ viewport });
    env.page.on("dialog", (dialog) => void dialog.accept());
    // A missing element fails in seconds, not after the default half minute.
    env.page.setDefaultTimeout(10_000);
  };

  before(async () => {
    env.t = await startTestApp(options.env);
    await env.t.app.listen({ host: "127.0.0.1", port: 0 });
    env.base = `http://127.0.0.1:${(env.t.app.server.address() as { port: number }).port}/`;
    env.browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    if (!options.freshPage) await openPage();
  });
  after(async () => {
    await env.browser?.close();
    await env.t?.close();
  });
  if (options.freshPage) {
    beforeEach(openPage);
    afterEach(() => env.page?.close());
  }

  env.shot = async (name) => {
    if (!process.env.WARDEN_SCREENSHOTS) return;
    mkdirSync(SHOTS, { recursive: true });
    await env.page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  };
  env.signIn = async (key) => {
    const page = env.page;
    await page.goto(env.base);
    await page.getByLabel("API key ID").fill(String(key.id));
    await page.getByLabel("API key", { exact: true }).fill(key.secret);
    if (key.security === "advanced") await page.getByLabel(/Advanced key/).check();
    await env.shot("sign-in");
    await page.getByRole("button", { name: "Sign in" }).click();
    await Promise.race([
      page.getByTestId("who").waitFor(),
      page
        .getByRole("alert")
        .waitFor()
        .then(async () => assert.fail(await page.getByRole("alert").innerText())),
    ]);
  };
  env.painted = () =>
    env.page.evaluate("new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))");
  env.api = async (key, path, body) => {
    const res = await env.t.post(path, body, key);
    assert.ok(res.statusCode < 300, `${path}: ${res.statusCode} ${res.body}`);
    return res.json() as Record<string, unknown>;
  };
  return env;
}
