import type { FrameLocator, Locator } from "playwright-core";
import type { RequestStatus } from "../../../backend/contract/schemas.ts";

export interface RaiseOptions {
  method?: string;
  customerHistory?: boolean;
  note?: string;
}

const OUTCOMES: readonly RequestStatus[] = ["completed", "completed_with_residue", "failed"];

/** The agent's view of the live contact inside the harness frame. */
export class AgentView {
  constructor(private readonly root: FrameLocator) {}

  get contactId(): Locator {
    return this.root.getByTestId("contact-id");
  }

  get phase(): Locator {
    return this.root.getByTestId("contact-phase");
  }

  get status(): Locator {
    return this.root.getByTestId("request-status");
  }

  /** Id of the request shown on the status card. */
  async requestId(): Promise<string> {
    return (await this.root.getByTestId("request-id").textContent()) ?? "";
  }

  async waitForForm(): Promise<void> {
    await this.root.getByRole("button", { name: "Raise erasure request" }).waitFor();
  }

  /** Fills the form with the mouse and submits it; resolves when the status card shows the new request. */
  async raiseErasure(options: RaiseOptions = {}): Promise<void> {
    await this.waitForForm();
    await this.root.getByRole("radio", { name: options.method ?? "Knowledge-based questions" }).check();
    await this.root.getByRole("checkbox", { name: /The customer confirmed this request/ }).check();
    if (options.customerHistory) await this.root.getByRole("radio", { name: /all this customer's past contacts/ }).check();
    if (options.note) await this.root.getByRole("textbox", { name: /Note/ }).fill(options.note);
    await this.root.getByRole("button", { name: "Raise erasure request" }).click();
    await this.waitForStatus("pending_approval");
  }

  /** Waits until the status card shows `status`. */
  async waitForStatus(status: RequestStatus, timeout = 15_000): Promise<void> {
    await this.root.locator(`[data-testid=request-status][data-status=${status}]`).waitFor({ timeout });
  }

  /** Waits for the erasure to finish and returns how it ended. */
  async waitForOutcome(timeout = 60_000): Promise<RequestStatus> {
    const selector = OUTCOMES.map((status) => `[data-testid=request-status][data-status=${status}]`).join(", ");
    await this.root.locator(selector).waitFor({ timeout });
    return (await this.status.getAttribute("data-status")) as RequestStatus;
  }
}
