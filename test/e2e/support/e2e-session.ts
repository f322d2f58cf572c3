import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { launchChromium } from "./browser.ts";
import { startDemoServer, type DemoServer } from "./demo-server.ts";

export interface E2eSession {
  /** The demo backend, started once for the file. */
  server(): DemoServer;
  /** A fresh browser context for the current test. */
  context(): BrowserContext;
  /** Content-Security-Policy violations the browser reported during the current test. */
  cspViolations(): string[];
}

/**
 * Registers the hooks every browser test file needs: one demo server and one Chromium per file, and a fresh
 * context per test that records CSP violations; call it at the top level of the test file.
 */
export function useE2eSession(): E2eSession {
  let server: DemoServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let cspViolations: string[] = [];

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  beforeEach(async () => {
    const violations: string[] = [];
    cspViolations = violations;
    context = await required(browser, "browser").newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: "reduce" });
    context.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  return {
    server: () => required(server, "demo server"),
    context: () => required(context, "browser context"),
    cspViolations: () => cspViolations,
  };
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the ${what} is not running: call useE2eSession() at the top level of the test file`);
  return value;
}
