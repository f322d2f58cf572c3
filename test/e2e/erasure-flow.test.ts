import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AgentView } from "./support/agent-view.page.ts";
import { RESULTS_DIR } from "./support/browser.ts";
import { useE2eSession } from "./support/e2e-session.ts";
import { HarnessPage } from "./support/harness.page.ts";
import { SupervisorView } from "./support/supervisor-view.page.ts";
import { DEMO_CALLER } from "../../src/harness/emulator-control.ts";

const { server, context, cspViolations } = useE2eSession();

describe("erasure through the workspace harness", () => {
  it("when an agent raises on a live contact and another user approves, then after the contact ends the agent's card reaches the outcome", async () => {
    const harness = await HarnessPage.open(context(), server().harnessUrl, server().appUrl, "agent.alice");
    const contactId = await harness.startContact();
    const agent = new AgentView(harness.app);
    await expect.poll(() => agent.contactId.textContent()).toBe(contactId);
    // The caller's planted values are really there before erasure, so the read-back below means something.
    const planted = await (await fetch(`${server().emulatorUrl}/_emulator/state?bodies=1`)).text();
    expect(planted).toContain(DEMO_CALLER.customerAddress);
    expect(planted).toContain(DEMO_CALLER.attributes.callerName);
    await agent.waitForForm();
    await harness.page.screenshot({ path: join(RESULTS_DIR, "agent-form.png") });

    await agent.raiseErasure({ note: "caller asked twice" });
    const requestId = await agent.requestId();

    const supervisor = await SupervisorView.open(context(), server().appUrl, "supervisor.sam");
    await supervisor.openRequest(requestId);
    await supervisor.page.getByText("Contacts in the chain").waitFor();
    await supervisor.page.screenshot({ path: join(RESULTS_DIR, "supervisor-detail.png"), fullPage: true });
    const approvedAt = Date.now();
    await supervisor.approve();
    // The agent's card follows the change live (server-sent events; polling is the fallback).
    await agent.waitForStatus("approved", 5_000);
    const seenAfterMs = Date.now() - approvedAt;

    await harness.endContact();
    await expect.poll(() => agent.phase.textContent()).toBe("After-contact work");
    const outcome = await agent.waitForOutcome().catch(async (error: unknown) => {
      await harness.page.screenshot({ path: join(RESULTS_DIR, "failure-agent.png") });
      throw new Error(`${String(error)}\n--- backend output ---\n${server().output().slice(-4000)}`);
    });
    await harness.page.screenshot({ path: join(RESULTS_DIR, "agent-status.png") });

    expect(["completed", "completed_with_residue"]).toContain(outcome);
    // Read back independently: the caller's planted values are gone from everything the emulator holds
    // (attributes, contact record, profiles, objects) and never reached the product's database or logs.
    const markers = [DEMO_CALLER.customerAddress, ...Object.values(DEMO_CALLER.attributes).filter((v) => v !== "billing")];
    const emulatorState = await (await fetch(`${server().emulatorUrl}/_emulator/state?bodies=1`)).text();
    const database = readdirSync(server().dataDir).map((file) => readFileSync(join(server().dataDir, file)).toString("latin1")).join("");
    for (const marker of markers) {
      expect(emulatorState).not.toContain(marker);
      expect(database).not.toContain(marker);
      expect(server().output()).not.toContain(marker);
    }
    expect(seenAfterMs).toBeLessThan(2_000 + 1_000 /* the approve round trip itself */);
    const log = await harness.log();
    const subscribed = log.filter((entry) => entry.type === "subscribe").map((entry) => (entry.message as { topic: { key: string } }).topic.key);
    expect(subscribed).toEqual(expect.arrayContaining(["contact/connected", "contact/acw", "contact/cleared"]));
    expect(log.some((entry) => entry.direction === "host-to-app" && entry.type === "publish")).toBe(true);
    const requests = log.filter((entry) => entry.type === "request").map((entry) => (entry.message as { command: string }).command);
    expect(requests).toEqual(expect.arrayContaining(["agent/getARN", "agent/getName", "contact/getChannelType"]));
    expect(cspViolations()).toEqual([]);

    await harness.app.getByRole("link", { name: "View the erasure certificate" }).click();
    await harness.app.getByRole("heading", { name: "Erasure certificate" }).waitFor();
    await expect.poll(() => harness.app.getByText(/^[0-9a-f]{64}$/).count()).toBe(1);

    await harness.clearContact();
    const cleared = await harness.log();
    expect(cleared.some((entry) => entry.type === "appLifecycle" && (entry.message as { stage: string }).stage === "destroy")).toBe(true);
    expect(
      cleared.some((entry) => entry.type === "appLifecycleHandlerCompleted" && (entry.message as { stage: string }).stage === "destroy"),
    ).toBe(true);
  });

  it("when an agent opens a request for review, then approving is refused in the UI and by the API", async () => {
    const harness = await HarnessPage.open(context(), server().harnessUrl, server().appUrl, "agent.alice");
    await harness.startContact();
    const agent = new AgentView(harness.app);
    await agent.raiseErasure();
    const requestId = await agent.requestId();

    const otherAgent = await context().newPage();
    await otherAgent.goto(`${server().appUrl}/?demoUser=agent.bob#/review/${requestId}`);
    await otherAgent.getByText("Reviewing requests needs the supervisor role.").waitFor();
    expect(await otherAgent.getByRole("button", { name: "Approve", exact: true }).count()).toBe(0);

    const token = await demoToken("agent.bob");
    const response = await fetch(`${server().appUrl}/api/requests/${requestId}/approve`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(response.status).toBe(403);
    await agent.waitForStatus("pending_approval");
  });

  it("when a supervisor raised the request, then their own approve button is disabled with the reason", async () => {
    const harness = await HarnessPage.open(context(), server().harnessUrl, server().appUrl, "supervisor.sue");
    await harness.startContact();
    const view = new AgentView(harness.app);
    await view.raiseErasure();
    const requestId = await view.requestId();

    const supervisor = await SupervisorView.open(context(), server().appUrl, "supervisor.sue");
    await supervisor.openRequest(requestId);

    await expect.poll(() => supervisor.approveButton.getAttribute("aria-disabled")).toBe("true");
    await supervisor.page.getByText(/four-eyes rule/).waitFor();
  });

  it("when a supervisor rejects with a reason, then the agent sees the rejection and may raise again", async () => {
    const harness = await HarnessPage.open(context(), server().harnessUrl, server().appUrl, "agent.bob");
    await harness.startContact();
    const agent = new AgentView(harness.app);
    await agent.raiseErasure({ method: "Call-back to the registered number" });
    const requestId = await agent.requestId();

    const supervisor = await SupervisorView.open(context(), server().appUrl, "supervisor.sam");
    await supervisor.openRequest(requestId);
    await supervisor.reject("Identity not verified");

    await agent.waitForStatus("rejected", 5_000);
    await harness.app.getByText(/Identity not verified — by supervisor.sam/).waitFor();
    await agent.waitForForm();
  });
});

async function demoToken(username: string): Promise<string> {
  const response = await fetch(`${server().appUrl}/demo/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username }),
  });
  return ((await response.json()) as { token: string }).token;
}
