import type { BrowserContext, Locator, Page } from "playwright-core";
import type { RequestStatus } from "../../../backend/contract/schemas.ts";

/** The supervisor's standalone view (a top-level page, as the privacy team opens it outside Connect). */
export class SupervisorView {
  private constructor(readonly page: Page) {}

  /** Opens the standalone app signed in as `username` on the review queue. */
  static async open(context: BrowserContext, appUrl: string, username: string): Promise<SupervisorView> {
    const page = await context.newPage();
    await page.goto(`${appUrl}/?demoUser=${encodeURIComponent(username)}#/review`);
    await page.getByTestId("signed-in-user").waitFor();
    return new SupervisorView(page);
  }

  /** The queue row link of one request. */
  requestLink(requestId: string): Locator {
    return this.page.getByRole("link", { name: `Open request ${requestId}` });
  }

  /** Opens a request from the queue (refreshing until it appears). */
  async openRequest(requestId: string): Promise<void> {
    const link = this.requestLink(requestId);
    for (let attempt = 0; attempt < 10 && !(await link.isVisible()); attempt += 1) {
      await this.page.getByRole("button", { name: "Refresh the queue" }).click();
      await link.waitFor({ timeout: 1000 }).catch(() => undefined);
    }
    await link.click();
    await this.page.getByRole("heading", { name: "Erasure request" }).waitFor();
  }

  get approveButton(): Locator {
    return this.page.getByRole("button", { name: "Approve", exact: true });
  }

  /** Approves through the typed confirmation ("erase"); resolves when the request shows as approved. */
  async approve(): Promise<void> {
    await this.approveButton.click();
    const dialog = this.page.getByRole("dialog", { name: "Approve erasure" });
    await dialog.getByRole("textbox").fill("erase");
    await dialog.getByRole("button", { name: "Approve erasure" }).click();
    await this.waitForStatus("approved");
  }

  /** Rejects with the reason whose label is given. */
  async reject(reasonLabel: string): Promise<void> {
    await this.page.getByRole("button", { name: "Reject", exact: true }).click();
    const dialog = this.page.getByRole("dialog", { name: "Reject erasure request" });
    await dialog.getByRole("button", { name: /Reason|Choose a reason/ }).click();
    await this.page.getByRole("option", { name: reasonLabel }).click();
    await dialog.getByRole("button", { name: "Reject request" }).click();
    await this.waitForStatus("rejected");
  }

  async waitForStatus(status: RequestStatus, timeout = 15_000): Promise<void> {
    await this.page.locator(`[data-testid=request-status][data-status=${status}]`).waitFor({ timeout });
  }
}
