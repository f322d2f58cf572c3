/**
 * S4 in a real browser: Debian Chromium frames the app from an origin listed in FRAME_ANCESTORS (it renders)
 * and from one that is not (Chromium blocks it). Skipped with one loud line where Chromium is not installed;
 * `.ci/run` installs it.
 */
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../../support/app.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";

const CHROMIUM = "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`\n*** SKIP (no Chromium) framing test skipped: ${CHROMIUM} missing ***\n`);

async function parentPage(appUrl: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => {
    res.setHeader("content-type", "text/html; charset=utf-8");
    res.end(`<!doctype html><title>host</title><iframe id="app" src="${appUrl}/healthz" width="400" height="100"></iframe>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe.skipIf(!haveChromium)("framing in Chromium", () => {
  let browser: Browser;
  let store: TestDatabase;
  let t: TestApp;
  let appUrl: string;
  let allowed: { server: Server; origin: string };
  let other: { server: Server; origin: string };
  beforeAll(async () => {
    store = await createTestDatabase("sqlite");
    // The parents need the app URL and the app needs the allowed parent's origin: reserve the app port first.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const appPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    appUrl = `http://127.0.0.1:${appPort}`;
    allowed = await parentPage(appUrl);
    other = await parentPage(appUrl);
    t = buildTestApp({ db: store.db, databaseUrl: store.databaseUrl, emulatorUrl: "http://127.0.0.1:9", env: { FRAME_ANCESTORS: allowed.origin } });
    await t.app.listen({ port: appPort, host: "127.0.0.1" });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    allowed?.server.close();
    other?.server.close();
    await store?.destroy();
  });

  async function framedText(parent: string): Promise<string | undefined> {
    const page = await browser.newPage();
    try {
      const blocked = new Promise<boolean>((resolve) => {
        page.on("console", (m) => {
          if (/frame-ancestors/.test(m.text())) resolve(true);
        });
        setTimeout(() => resolve(false), 5000);
      });
      await page.goto(parent);
      const frame = page.frames().find((f) => f !== page.mainFrame());
      await frame?.waitForLoadState();
      const text = await frame?.evaluate(() => document.body?.innerText ?? "").catch(() => undefined);
      if (text && text.includes("ok")) return text;
      return (await blocked) ? undefined : text;
    } finally {
      await page.close();
    }
  }

  it("When an allowed origin frames the app it renders; when another origin does, Chromium blocks it", async () => {
    const rendered = await framedText(allowed.origin);
    const blocked = await framedText(other.origin);
    process.stdout.write(`S4-browser framed_by_allowed=${rendered ? "renders" : "blocked"} framed_by_other=${blocked ? "renders" : "blocked"}\n`);
    expect(rendered).toContain('"status":"ok"');
    expect(blocked).toBeUndefined();
  }, 60_000);
});
