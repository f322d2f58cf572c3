import type { BrowserContext, Frame, FrameLocator, Page } from "playwright-core";
import type { HarnessState } from "../../../src/harness/harness-page.ts";
import type { LogEntry } from "../../../src/harness/protocol.ts";

/** The local workspace harness: the host page that frames the app on a second origin. */
export class HarnessPage {
  private constructor(
    readonly page: Page,
    private readonly appOrigin: string,
  ) {}

  /** Opens the harness as `username` and waits until it has loaded its configuration. */
  static async open(context: BrowserContext, harnessUrl: string, appUrl: string, username: string): Promise<HarnessPage> {
    const page = await context.newPage();
    await page.goto(harnessUrl);
    await page.waitForSelector("body[data-ready=true]");
    const harness = new HarnessPage(page, new URL(appUrl).origin);
    await harness.selectUser(username);
    return harness;
  }

  async selectUser(username: string): Promise<void> {
    await this.page.selectOption("#user", username);
  }

  /** Starts a live contact for the selected agent through the emulator and opens the app on it. */
  async startContact(): Promise<string> {
    await this.page.getByRole("button", { name: "Start live contact" }).click();
    await this.page.waitForFunction(() => window.__harness?.state().connected === true);
    return (await this.state()).contactId!;
  }

  /** Ends the contact: the agent enters after-contact work and the app receives `contact/acw`. */
  async endContact(): Promise<void> {
    await this.page.getByRole("button", { name: "End contact (after-contact work)" }).click();
    await this.page.waitForFunction(() => window.__harness?.state().phase === "after_contact_work");
  }

  /** Clears the contact: `contact/cleared`, then the per-contact app is destroyed. */
  async clearContact(): Promise<void> {
    await this.page.getByRole("button", { name: "Clear contact" }).click();
    await this.page.waitForFunction(() => window.__harness?.state().appOpen === false);
  }

  async state(): Promise<HarnessState> {
    return this.page.evaluate(() => window.__harness!.state());
  }

  /** Every protocol message both ways (handshake, lifecycle, requests, subscriptions, publishes). */
  async log(): Promise<LogEntry[]> {
    return this.page.evaluate(() => JSON.parse(JSON.stringify(window.__harness!.log)) as LogEntry[]);
  }

  /** The app inside the harness, for locators. */
  get app(): FrameLocator {
    return this.page.frameLocator("#app");
  }

  /** The app's frame, for evaluating scripts in it (axe). */
  appFrame(): Frame {
    const frame = this.page.frames().find((candidate) => candidate.url().startsWith(this.appOrigin));
    if (!frame) throw new Error("The app frame is not open");
    return frame;
  }
}
