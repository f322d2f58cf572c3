import { AmazonConnectApp } from "@amazon-connect/app";
import { AgentClient, ContactClient } from "@amazon-connect/contact";
import { createSessionStore } from "./session.ts";

/** ms the SDK waits for the host's acknowledge before reporting `workspaceConnectTimeout` (SDK default 5000). */
const CONNECTION_TIMEOUT_MS = 5000;

/** The one session store the app reads; only this module writes it. */
export const workspaceSession = createSessionStore();

function settleStandalone(): void {
  if (workspaceSession.get().mode === "connecting") workspaceSession.set({ mode: "standalone" });
}

// Initialised once at module load (never in a React effect: StrictMode would run it twice and the second
// `init` on the same core throws attemptInitializeMultipleProviders).
export const { provider } = AmazonConnectApp.init({
  workspace: { connectionTimeout: CONNECTION_TIMEOUT_MS },
  onCreate: async ({ context }) => {
    // The scope is only available here (onStart gets none); resolve at once so the host sees
    // appLifecycleHandlerCompleted promptly, and fetch the rest in the background.
    const contactId = context.scope?.type === "contact" ? context.scope.contactId : undefined;
    workspaceSession.set({
      mode: "embedded",
      instanceId: context.instanceId,
      region: context.region,
      contactId,
      phase: contactId ? "connected" : undefined,
    });
    void loadDetails(contactId);
  },
  onDestroy: async () => {
    unsubscribeContactEvents();
  },
});

provider.onError((error) => {
  if (error.key === "workspaceConnectTimeout") settleStandalone();
});

const contactClient = new ContactClient(provider);
const agentClient = new AgentClient(provider);

// A top-level window has no host that could ever acknowledge: skip the connection wait.
if (window.parent === window) settleStandalone();

async function loadDetails(contactId: string | undefined): Promise<void> {
  const [arn, name] = await Promise.all([
    agentClient.getARN().catch(() => ""),
    agentClient.getName().catch(() => ""),
  ]);
  workspaceSession.patch({ agent: { arn, name } });
  if (!contactId) return;
  subscribeContactEvents(contactId);
  const [channel, initialContactId] = await Promise.all([
    contactClient.getChannelType(contactId).catch(() => undefined),
    contactClient.getInitialContactId(contactId).catch(() => undefined),
  ]);
  workspaceSession.patch({ channel, initialContactId });
}

// Stable handler references so onDestroy can remove exactly these subscriptions.
const onConnected = async () => workspaceSession.patch({ phase: "connected" });
const onAfterContactWork = async () => workspaceSession.patch({ phase: "after_contact_work" });
const onCleared = async () => workspaceSession.patch({ phase: "cleared" });
let subscribedContactId: string | undefined;

function subscribeContactEvents(contactId: string): void {
  subscribedContactId = contactId;
  contactClient.onConnected(onConnected, contactId);
  contactClient.onStartingAcw(onAfterContactWork, contactId);
  contactClient.onCleared(onCleared, contactId);
}

function unsubscribeContactEvents(): void {
  const contactId = subscribedContactId;
  if (!contactId) return;
  contactClient.offConnected(onConnected, contactId);
  contactClient.offStartingAcw(onAfterContactWork, contactId);
  contactClient.offCleared(onCleared, contactId);
  subscribedContactId = undefined;
}
