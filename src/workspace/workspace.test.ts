import { afterEach, describe, expect, it, vi } from "vitest";

const CONTACT_ID = "11111111-2222-4333-8444-555555555555";

// The SDK allows one provider per page, so each scenario of the adapter lives in its own test file.
afterEach(() => {
  vi.restoreAllMocks();
});

/** Stands in for the workspace: captures the port the SDK hands to its parent window. */
function fakeParent() {
  let resolvePort!: (port: MessagePort) => void;
  const port = new Promise<MessagePort>((resolve) => (resolvePort = resolve));
  const parent = {
    postMessage: (message: { type?: string }, _target: string, transfer?: MessagePort[]) => {
      if (message.type === "connect-app-host-init" && transfer?.[0]) resolvePort(transfer[0]);
    },
  };
  vi.spyOn(window, "parent", "get").mockReturnValue(parent as unknown as Window);
  return port;
}

describe("workspace adapter", () => {
  it("when the host acknowledges and creates the app on a contact, then the session is embedded with that contact, agent and channel", async () => {
    const portReady = fakeParent();
    const { workspaceSession } = await import("./workspace.ts");
    const port = await portReady;
    const received: Array<{ type: string; command?: string; requestId?: string; namespace?: string; stage?: string }> = [];
    port.onmessage = (event: MessageEvent) => {
      const message = event.data as (typeof received)[number];
      received.push(message);
      if (message.type !== "request") return;
      const data =
        message.command === "agent/getARN"
          ? { ARN: "arn:aws:connect:eu-west-2:111122223333:instance/i-1/agent/u-1" }
          : message.command === "agent/getName"
            ? { name: "Alice" }
            : message.command === "contact/getChannelType"
              ? { type: "voice", subtype: "connect:Telephony" }
              : { initialContactId: CONTACT_ID };
      port.postMessage({ type: "response", namespace: message.namespace, requestId: message.requestId, isError: false, data });
    };

    port.postMessage({ type: "acknowledge", connectionId: "c-1", status: { initialized: true, startTime: new Date() }, healthCheckInterval: 0 });
    port.postMessage({
      type: "appLifecycle",
      stage: "create",
      instanceId: "app-instance-1",
      config: { _type: "iframe", arn: "arn", namespace: "ns", id: "id", name: "n", description: "", accessUrl: "http://x", permissions: [] },
      scope: { type: "contact", contactId: CONTACT_ID },
      launchedBy: { type: "internal", name: "test" },
      region: "eu-west-2",
    });

    await vi.waitFor(() => {
      const session = workspaceSession.get();
      expect(session).toMatchObject({
        mode: "embedded",
        contactId: CONTACT_ID,
        region: "eu-west-2",
        phase: "connected",
        channel: { type: "voice", subtype: "connect:Telephony" },
        agent: { name: "Alice" },
      });
    });
    expect(received.some((m) => m.type === "appLifecycleHandlerCompleted" && m.stage === "create")).toBe(true);
    expect(received.filter((m) => m.type === "subscribe")).toHaveLength(3);

    port.postMessage({ type: "publish", topic: { namespace: "aws.connect.contact", key: "contact/acw", parameter: CONTACT_ID }, data: { contactId: CONTACT_ID } });
    await vi.waitFor(() => expect(workspaceSession.get()).toMatchObject({ phase: "after_contact_work" }));
    port.close();
  });
});
