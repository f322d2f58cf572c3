import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { chromium, type Browser } from "playwright-core";

/** Where screenshots go (gitignored). */
export const RESULTS_DIR = resolve(import.meta.dirname, "../../../test-results/e2e");

/** Launches Debian's Chromium headless (Playwright cannot download browsers offline). */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}
