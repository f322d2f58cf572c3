import {
  CONTACT_NAMESPACE,
  isHostInit,
  type AppMessage,
  type ContactEventKey,
  type HostFixture,
  type LogEntry,
  type Topic,
} from "./protocol.ts";

/** How long the host waits for the app's destroy handshake before removing the frame anyway (ms). */
const DESTROY_TIMEOUT_MS = 5000;

type Answer = { ok: true; data: unknown } | { ok: false; errorKey: string; reason: string };

/**
 * Plays the agent workspace for one app frame: accepts the handshake only from the expected origin and
 * frame, drives the lifecycle, answers requests from the fixture, keeps the subscription table and
 * publishes contact events to matching subscriptions.
 */
export class WorkspaceHost {
  readonly log: LogEntry[] = [];
  private port: MessagePort | undefined;
  private readonly subscriptions: Topic[] = [];
  private readonly connectionId = crypto.randomUUID();
  private readonly appInstanceId = crypto.randomUUID();
  private healthCounter = 0;
  private destroyed = false;
  private createCompleted = false;
  private destroyWaiter: (() => void) | undefined;
  private readonly onWindowMessage = (event: MessageEvent) => this.handleInit(event);

  constructor(
    private readonly iframe: HTMLIFrameElement,
    private readonly appOrigin: string,
    private fixture: HostFixture,
    private readonly onChange: () => void = () => undefined,
  ) {
    window.addEventListener("message", this.onWindowMessage);
  }

  /** Replaces the fixture (e.g. the contact after a transfer) for the answers that follow. */
  updateFixture(fixture: HostFixture): void {
    this.fixture = fixture;
  }

  get connected(): boolean {
    return this.port !== undefined;
  }

  private record(direction: LogEntry["direction"], message: { type?: unknown }): void {
    this.log.push({ direction, type: String(message.type), at: Date.now(), message });
    this.onChange();
  }

  private handleInit(event: MessageEvent): void {
    // The SDK posts its handshake to "*": accept it only from the app's origin and from our own frame.
    if (event.origin !== this.appOrigin || event.source !== this.iframe.contentWindow) return;
    if (!isHostInit(event.data)) return;
    const port = event.ports[0];
    if (!port) return;
    this.record("app-to-host", event.data);
    if (this.fixture.neverAcknowledge) return;
    this.port?.close();
    this.port = port;
    port.onmessage = (message: MessageEvent<AppMessage>) => this.handleAppMessage(message.data);
    this.send({
      type: "acknowledge",
      connectionId: this.connectionId,
      status: { initialized: true, startTime: new Date() },
      healthCheckInterval: this.fixture.healthCheckInterval ?? 0,
    });
    this.sendCreate();
  }

  private sendCreate(): void {
    const { contact } = this.fixture;
    const scope = contact ? { type: "contact", contactId: contact.contactId } : { type: "idle" };
    const config = {
      _type: "iframe",
      arn: `arn:aws:app-integrations:${this.fixture.region}:111122223333:application/harness`,
      namespace: "connect-erasure",
      id: "harness",
      name: "Connect Erasure",
      description: "GDPR Art. 17 erasure",
      accessUrl: this.appOrigin,
      permissions: ["User.Details.View", "Contact.Details.View"],
      contactHandling: { scope: "PER_CONTACT" },
    };
    this.send({
      type: "appLifecycle",
      stage: "create",
      instanceId: this.fixture.instanceId,
      appInstanceId: this.appInstanceId,
      config,
      appConfig: config,
      scope,
      contactScope: contact ? { type: "contact", contactId: contact.contactId } : undefined,
      launchedBy: { type: "internal", name: "harness" },
      region: this.fixture.region,
    });
  }

  private send(message: Record<string, unknown> & { type: string }): void {
    if (!this.port || this.destroyed) return;
    this.port.postMessage(message);
    this.record("host-to-app", message);
  }

  private handleAppMessage(message: AppMessage): void {
    this.record("app-to-host", message);
    switch (message.type) {
      case "appLifecycleHandlerCompleted":
        if (message.stage === "create") {
          this.createCompleted = true;
          this.send({ type: "appLifecycle", stage: "start", instanceId: this.fixture.instanceId, appInstanceId: this.appInstanceId });
        } else {
          this.destroyWaiter?.();
        }
        return;
      case "request":
        this.answer(message);
        return;
      case "subscribe":
        if (!this.subscriptions.some((topic) => sameTopic(topic, message.topic))) this.subscriptions.push(message.topic);
        return;
      case "unsubscribe": {
        const index = this.subscriptions.findIndex((topic) => sameTopic(topic, message.topic));
        if (index >= 0) this.subscriptions.splice(index, 1);
        return;
      }
      case "healthCheck":
        this.healthCounter += 1;
        this.send({ type: "healthCheckResponse", time: Date.now(), counter: this.healthCounter });
        return;
      case "closeApp":
        if (message.isFatalError) this.remove();
        return;
      default:
        return;
    }
  }

  private answer(message: Extract<AppMessage, { type: "request" }>): void {
    const result = this.lookup(message.namespace, message.command, message.data);
    const base = { type: "response", namespace: message.namespace, requestId: message.requestId };
    if (result.ok) {
      this.send({ ...base, isError: false, data: result.data });
    } else {
      this.send({
        ...base,
        isError: true,
        errorKey: result.errorKey,
        reason: result.reason,
        details: { command: message.command, requestData: message.data },
      });
    }
  }

  private lookup(namespace: string, command: string, data: unknown): Answer {
    if (this.fixture.deniedCommands?.includes(command)) {
      return { ok: false, errorKey: "permissionDenied", reason: "Missing permission" };
    }
    const { agent, contact } = this.fixture;
    const requested = (data as { contactId?: string } | undefined)?.contactId;
    const contactKnown = contact && (requested === contact.contactId || requested === "CURRENT_CONTACT");
    if (namespace === CONTACT_NAMESPACE) {
      switch (command) {
        case "agent/getARN":
          return { ok: true, data: { ARN: agent.arn } };
        case "agent/getName":
          return { ok: true, data: { name: agent.name } };
        case "contact/getInitialContactId":
          return contactKnown ? { ok: true, data: { initialContactId: contact.initialContactId } } : noResult();
        case "contact/getChannelType":
          return contactKnown ? { ok: true, data: contact.channel } : noResult();
        default:
          break;
      }
    }
    if (namespace === "aws.connect.workspace" && command === "getTheme") return { ok: true, data: {} };
    if (namespace === "aws.connect.user" && command === "getLanguage") return { ok: true, data: { language: "en_US" } };
    return { ok: false, errorKey: "handlerNotFound", reason: "No handler for command" };
  }

  /** Publishes a contact lifecycle event to every subscription for that key and contact (or any contact). */
  emitContactEvent(key: ContactEventKey): void {
    const { contact } = this.fixture;
    if (!contact) return;
    const data = {
      contactId: contact.contactId,
      initialContactId: contact.initialContactId,
      type: contact.channel.type,
      subtype: contact.channel.subtype,
    };
    for (const topic of this.subscriptions) {
      if (topic.namespace !== CONTACT_NAMESPACE || topic.key !== key) continue;
      if (topic.parameter !== undefined && topic.parameter !== contact.contactId && topic.parameter !== "CURRENT_CONTACT") continue;
      // Echo the stored topic unchanged: the SDK matches namespace, key and parameter exactly.
      this.send({ type: "publish", topic, data });
    }
  }

  /** Sends a host error (e.g. to test the app's reaction to a fatal workspace failure). */
  sendHostError(key: string, isFatal: boolean): void {
    this.send({ type: "error", message: `Host error ${key}`, key, isFatal, status: { initialized: true } });
  }

  /** Runs the destroy handshake (bounded wait), then removes the frame. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    if (this.port && this.createCompleted) {
      const completed = new Promise<void>((resolve) => {
        this.destroyWaiter = resolve;
        setTimeout(resolve, DESTROY_TIMEOUT_MS);
      });
      this.send({ type: "appLifecycle", stage: "destroy", instanceId: this.fixture.instanceId, appInstanceId: this.appInstanceId });
      await completed;
    }
    this.remove();
  }

  private remove(): void {
    this.destroyed = true;
    window.removeEventListener("message", this.onWindowMessage);
    this.port?.close();
    this.port = undefined;
    this.iframe.remove();
    this.onChange();
  }

  /** Topics the app subscribed to (for assertions). */
  get topics(): readonly Topic[] {
    return this.subscriptions;
  }
}

function sameTopic(a: Topic, b: Topic): boolean {
  return a.namespace === b.namespace && a.key === b.key && a.parameter === b.parameter;
}

function noResult(): Answer {
  return { ok: false, errorKey: "noResult", reason: "No Result Found" };
}
