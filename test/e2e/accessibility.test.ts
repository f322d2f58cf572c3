import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AgentView } from "./support/agent-view.page.ts";
import { seriousViolations } from "./support/axe.ts";
import { RESULTS_DIR } from "./support/browser.ts";
import { useE2eSession } from "./support/e2e-session.ts";
import { HarnessPage } from "./support/harness.page.ts";
import { tabTo } from "./support/keyboard.ts";
import { SupervisorView } from "./support/supervisor-view.page.ts";

const { server, context } = useE2eSession();

describe("accessibility", () => {
  it("when an agent and a supervisor use only the keyboard, then a request is raised and approved", async () => {
    const harness = await HarnessPage.open(context(), server().harnessUrl, server().appUrl, "agent.alice");
    await harness.startContact();
    const agent = new AgentView(harness.app);
    await agent.waitForForm();
    const page = harness.page;
    const app = harness.app;

    await tabTo(page, app.getByRole("radio", { name: "Knowledge-based questions" }));
    await page.keyboard.press("ArrowDown");
    await expect.poll(() => app.getByRole("radio", { name: "Authenticated in the IVR" }).isChecked()).toBe(true);
    await tabTo(page, app.getByRole("checkbox", { name: /The customer confirmed this request/ }));
    await page.keyboard.press("Space");
    await tabTo(page, app.getByRole("textbox", { name: /Note/ }));
    await page.keyboard.type("verified by IVR PIN");
    await tabTo(page, app.getByRole("button", { name: "Raise erasure request" }));
    await page.keyboard.press("Enter");
    await agent.waitForStatus("pending_approval");
    const requestId = await agent.requestId();

    const supervisor = await SupervisorView.open(context(), server().appUrl, "supervisor.sam");
    const sp = supervisor.page;
    const link = supervisor.requestLink(requestId);
    await link.waitFor();
    await tabTo(sp, link);
    await sp.keyboard.press("Enter");
    await tabTo(sp, supervisor.approveButton);
    await sp.keyboard.press("Enter");
    const dialog = sp.getByRole("dialog", { name: "Approve erasure" });
    await tabTo(sp, dialog.getByRole("textbox"));
    await sp.keyboard.type("erase");
    await sp.keyboard.press("Enter");

    await supervisor.waitForStatus("approved");
    await agent.waitForStatus("approved", 5_000);
  });

  it("when axe checks every view, then it finds no serious or critical violation", async () => {
    const harness = await HarnessPage.open(context(), server().harnessUrl, server().appUrl, "agent.bob");
    await harness.startContact();
    const agent = new AgentView(harness.app);
    await agent.waitForForm();
    const findings: Record<string, unknown> = {};
    findings["agent form"] = await seriousViolations(harness.appFrame());
    // Submitting empty shows the validation errors: those must be accessible too.
    await harness.app.getByRole("button", { name: "Raise erasure request" }).click();
    await harness.app.getByText("The customer must confirm the request.").waitFor();
    findings["agent form with errors"] = await seriousViolations(harness.appFrame());
    await agent.raiseErasure();
    findings["agent status card"] = await seriousViolations(harness.appFrame());
    const requestId = await agent.requestId();

    const supervisor = await SupervisorView.open(context(), server().appUrl, "supervisor.sue");
    await supervisor.requestLink(requestId).waitFor();
    findings["supervisor queue"] = await seriousViolations(supervisor.page);
    await supervisor.page.screenshot({ path: join(RESULTS_DIR, "supervisor-queue.png"), fullPage: true });
    await supervisor.openRequest(requestId);
    await supervisor.page.getByText("Contacts in the chain").waitFor();
    findings["supervisor detail"] = await seriousViolations(supervisor.page);
    await supervisor.approveButton.click();
    await supervisor.page.getByRole("dialog", { name: "Approve erasure" }).getByRole("textbox").waitFor();
    findings["approve dialog"] = await seriousViolations(supervisor.page);
    await supervisor.page.screenshot({ path: join(RESULTS_DIR, "supervisor-approve-dialog.png") });

    expect(findings).toEqual({
      "agent form": [],
      "agent form with errors": [],
      "agent status card": [],
      "supervisor queue": [],
      "supervisor detail": [],
      "approve dialog": [],
    });
  });
});
