import { endContact, startContact, transferContact, type EmulatorContact } from "./emulator-control.ts";
import type { ContactEventKey, HostFixture, LogEntry, Topic } from "./protocol.ts";
import { WorkspaceHost } from "./workspace-host.ts";

/** Served by the harness server next to the page. */
export interface HarnessConfig {
  appUrl: string;
  emulatorUrl: string;
  instanceId?: string;
  region?: string;
}

export type ContactPhase = "none" | "connected" | "after_contact_work" | "cleared";

export interface HarnessState {
  user: string;
  contactId?: string;
  initialContactId?: string;
  phase: ContactPhase;
  appOpen: boolean;
  connected: boolean;
}

/** Test hooks on `window.__harness`, driven by Playwright through `page.evaluate`. */
export interface HarnessHooks {
  state(): HarnessState;
  /** Every message both ways, across every app frame this page has hosted. */
  log: LogEntry[];
  subscriptions(): readonly Topic[];
  selectUser(username: string): void;
  startContact(channel?: string): Promise<string>;
  transferContact(toUsername: string): Promise<string>;
  endContact(): Promise<void>;
  clearContact(): Promise<void>;
  openApp(options?: { neverAcknowledge?: boolean; healthCheckInterval?: number }): Promise<void>;
  emitContactEvent(key: ContactEventKey): void;
  destroyApp(): Promise<void>;
  sendHostError(key: string, isFatal: boolean): void;
}

declare global {
  interface Window {
    __harness?: HarnessHooks;
  }
}

const DEFAULT_REGION = "eu-west-2";
const DEFAULT_INSTANCE = "00000000-0000-4000-8000-000000000001";

/** Wires the harness page: user picker, contact controls, the app frame and the test hooks. */
export function startHarnessPage(config: HarnessConfig, elements: {
  user: HTMLSelectElement;
  frameSlot: HTMLElement;
  status: HTMLElement;
  standalone: HTMLAnchorElement;
  buttons: Record<"start" | "transfer" | "end" | "clear" | "open" | "close", HTMLButtonElement>;
  error: HTMLElement;
}): HarnessHooks {
  const appOrigin = new URL(config.appUrl).origin;
  const region = config.region ?? DEFAULT_REGION;
  const instanceId = config.instanceId ?? DEFAULT_INSTANCE;
  const log: LogEntry[] = [];
  let host: WorkspaceHost | undefined;
  let contact: EmulatorContact | undefined;
  let phase: ContactPhase = "none";

  const fixture = (extra: Partial<HostFixture> = {}): HostFixture => ({
    instanceId,
    region,
    agent: {
      arn: `arn:aws:connect:${region}:111122223333:instance/${instanceId}/agent/${contact?.agentUserId ?? elements.user.value}`,
      name: elements.user.value,
    },
    contact: contact && phase !== "none" ? contact : undefined,
    ...extra,
  });

  const render = () => {
    const parts = [`User: ${elements.user.value}`];
    parts.push(contact ? `Contact: ${contact.contactId} (${phase.replace(/_/g, " ")})` : "No contact");
    parts.push(host ? (host.connected ? "App connected" : "App loading") : "App closed");
    elements.status.textContent = parts.join(" · ");
    elements.standalone.href = `${config.appUrl.replace(/\/$/, "")}/?demoUser=${encodeURIComponent(elements.user.value)}#/review`;
    elements.buttons.transfer.disabled = !contact || phase !== "connected";
    elements.buttons.end.disabled = !contact || phase !== "connected";
    elements.buttons.clear.disabled = !contact || phase !== "after_contact_work";
    elements.buttons.start.disabled = !!contact && phase !== "cleared";
    elements.buttons.close.disabled = !host;
  };

  const closeApp = async () => {
    const closing = host;
    host = undefined;
    await closing?.destroy();
    render();
  };

  const openApp = async (extra: Partial<HostFixture> = {}) => {
    // One app frame at a time, as a per-contact app in the workspace: the previous one is destroyed first.
    await closeApp();
    const iframe = document.createElement("iframe");
    iframe.id = "app";
    iframe.title = "Connect Erasure app";
    iframe.setAttribute("sandbox", "allow-forms allow-popups allow-same-origin allow-scripts");
    const created = new WorkspaceHost(iframe, appOrigin, fixture(extra), () => {
      render();
    });
    // Share one log across frames so a test sees the whole session.
    created.log.push = (...entries: LogEntry[]) => {
      log.push(...entries);
      return Array.prototype.push.apply(created.log as LogEntry[], entries);
    };
    host = created;
    iframe.src = `${config.appUrl.replace(/\/$/, "")}/?demoUser=${encodeURIComponent(elements.user.value)}`;
    elements.frameSlot.append(iframe);
    render();
  };

  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    elements.error.textContent = "";
    try {
      return await work();
    } catch (cause) {
      elements.error.textContent = cause instanceof Error ? cause.message : String(cause);
      throw cause;
    } finally {
      render();
    }
  };

  const hooks: HarnessHooks = {
    log,
    state: () => ({
      user: elements.user.value,
      contactId: contact?.contactId,
      initialContactId: contact?.initialContactId,
      phase,
      // The frame stays until the destroy handshake has finished (or timed out), not just until it was asked to close.
      appOpen: elements.frameSlot.querySelector("iframe") !== null,
      connected: host?.connected ?? false,
    }),
    subscriptions: () => host?.topics ?? [],
    selectUser(username) {
      elements.user.value = username;
      render();
    },
    startContact: (channel = "VOICE") =>
      guard(async () => {
        contact = await startContact(config.emulatorUrl, elements.user.value, channel);
        phase = "connected";
        await openApp();
        return contact.contactId;
      }),
    transferContact: (toUsername) =>
      guard(async () => {
        if (!contact) throw new Error("No contact to transfer");
        const next = await transferContact(config.emulatorUrl, contact, toUsername);
        // The first agent's contact goes to after-contact work and is cleared; the new contact opens for the receiver.
        host?.emitContactEvent("contact/acw");
        host?.emitContactEvent("contact/cleared");
        await closeApp();
        contact = next;
        phase = "connected";
        elements.user.value = toUsername;
        await openApp();
        return next.contactId;
      }),
    endContact: () =>
      guard(async () => {
        if (!contact) throw new Error("No contact to end");
        await endContact(config.emulatorUrl, contact);
        phase = "after_contact_work";
        host?.emitContactEvent("contact/acw");
      }),
    clearContact: () =>
      guard(async () => {
        phase = "cleared";
        host?.emitContactEvent("contact/cleared");
        // A per-contact app is destroyed when its contact is cleared.
        await closeApp();
        contact = undefined;
        phase = "none";
      }),
    openApp: (options = {}) => openApp(options),
    emitContactEvent: (key) => host?.emitContactEvent(key),
    destroyApp: () => closeApp(),
    sendHostError: (key, isFatal) => host?.sendHostError(key, isFatal),
  };

  elements.user.addEventListener("change", () => {
    if (host) void openApp();
    else render();
  });
  elements.buttons.start.addEventListener("click", () => void hooks.startContact().catch(() => undefined));
  elements.buttons.transfer.addEventListener("click", () => {
    const target = elements.user.value === "agent.alice" ? "agent.bob" : "agent.alice";
    void hooks.transferContact(target).catch(() => undefined);
  });
  elements.buttons.end.addEventListener("click", () => void hooks.endContact().catch(() => undefined));
  elements.buttons.clear.addEventListener("click", () => void hooks.clearContact().catch(() => undefined));
  elements.buttons.open.addEventListener("click", () => {
    contact = undefined;
    phase = "none";
    void openApp();
  });
  elements.buttons.close.addEventListener("click", () => void closeApp());
  render();
  return hooks;
}
