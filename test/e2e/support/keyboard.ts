import type { Locator, Page } from "playwright-core";

/**
 * Presses Tab until `target` has focus, as a keyboard-only user would; fails if it is not reachable
 * within `maxPresses`. Returns how many presses it took.
 */
export async function tabTo(page: Page, target: Locator, maxPresses = 40): Promise<number> {
  for (let presses = 0; presses <= maxPresses; presses += 1) {
    if (await target.evaluate((element) => element.ownerDocument.hasFocus() && element === element.ownerDocument.activeElement).catch(() => false)) return presses;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Not reachable by Tab within ${maxPresses} presses`);
}
