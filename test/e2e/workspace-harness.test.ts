import { describe, expect, it } from "vitest";
import { AgentView } from "./support/agent-view.page.ts";
import { useE2eSession } from "./support/e2e-session.ts";
import { HarnessPage } from "./support/harness.page.ts";

const { server, context } = useE2eSession();

describe("the app against the workspace host protocol", () => {
  it("when the host never acknowledges, then the app falls back to standalone after the SDK's connect timeout", async () => {
    const harness = await HarnessPage.open(context(), server().harnessUrl, server().appUrl, "supervisor.sam");
    await harness.page.evaluate(() => window.__harness!.openApp({ neverAcknowledge: true }));

    await harness.app.getByRole("heading", { name: /Erasure requests/ }).waitFor({ timeout: 15_000 });
    const log = await harness.log();
    expect(log.filter((entry) => entry.type === "connect-app-host-init")).toHaveLength(1);
    expect(log.some((entry) => entry.type === "acknowledge")).toBe(false);
  });

  it("when a handshake comes from another origin or window, then the host ignores it", async () => {
    const harness = await HarnessPage.open(context(), server().harnessUrl, server().appUrl, "agent.alice");
    await harness.startContact();
    const before = (await harness.log()).length;

    const acknowledged = await harness.page.evaluate(
      () =>
        new Promise<boolean>((done) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => done(true);
          window.postMessage({ type: "connect-app-host-init", sdkVersion: "1.0.12", providerId: "forged" }, "*", [channel.port2]);
          setTimeout(() => done(false), 500);
        }),
    );

    expect(acknowledged).toBe(false);
    const after = await harness.log();
    expect(after.slice(before).some((entry) => entry.type === "connect-app-host-init")).toBe(false);
  });

  it("when the host destroys the app, then the app completes the destroy handshake after dropping its subscriptions", async () => {
    const harness = await HarnessPage.open(context(), server().harnessUrl, server().appUrl, "agent.alice");
    await harness.startContact();
    await harness.app.getByTestId("contact-id").waitFor();

    await harness.page.evaluate(() => window.__harness!.destroyApp());

    const log = await harness.log();
    const destroyAt = log.findIndex((entry) => entry.type === "appLifecycle" && (entry.message as { stage: string }).stage === "destroy");
    const after = log.slice(destroyAt + 1);
    expect(destroyAt).toBeGreaterThan(0);
    expect(after.filter((entry) => entry.type === "unsubscribe")).toHaveLength(3);
    expect(after.some((entry) => entry.type === "appLifecycleHandlerCompleted" && (entry.message as { stage: string }).stage === "destroy")).toBe(true);
    expect(await harness.page.locator("#app").count()).toBe(0);
  });

  it("when the agent transfers the contact, then the receiving agent's app opens on the new contact of the same chain", async () => {
    const harness = await HarnessPage.open(context(), server().harnessUrl, server().appUrl, "agent.alice");
    const first = await harness.startContact();

    await harness.page.getByRole("button", { name: "Transfer to the other agent" }).click();
    await harness.page.waitForFunction((old) => {
      const state = window.__harness?.state();
      return state?.connected === true && state.contactId !== old;
    }, first);

    const state = await harness.state();
    expect(state.user).toBe("agent.bob");
    expect(state.initialContactId).toBe(first);
    const agent = new AgentView(harness.app);
    await expect.poll(() => agent.contactId.textContent()).toBe(state.contactId);
    await harness.app.getByText("agent.bob (agent)").waitFor();
    const responses = (await harness.log()).filter((entry) => entry.type === "response");
    expect(responses.length).toBeGreaterThan(0);
    expect(responses.every((entry) => (entry.message as { isError: boolean }).isError === false)).toBe(true);
  });
});
