/**
 * The host side of the agent-workspace wire protocol (docs/workspace-sdk.md §6), typed here rather than
 * imported from the SDK packages, so the real SDK in the app meets an independent host.
 */

export const CONTACT_NAMESPACE = "aws.connect.contact";

export interface Topic {
  namespace: string;
  key: string;
  parameter?: string;
}

/** Messages the app sends on the port. */
export type AppMessage =
  | { type: "request"; namespace: string; command: string; requestId: string; data?: unknown }
  | { type: "subscribe"; topic: Topic; handlerId?: string }
  | { type: "unsubscribe"; topic: Topic }
  | { type: "healthCheck" }
  | { type: "log"; level: number; message: string; source?: string; data?: unknown }
  | { type: "metric"; metricName: string }
  | { type: "appLifecycleHandlerCompleted"; stage: "create" | "destroy"; appInstanceId: string }
  | { type: "closeApp"; isFatalError: boolean; message?: string }
  | { type: "appPublish"; topic: Topic; data: unknown }
  | { type: "childUpstream" };

/** The handshake the app posts to its parent window, with the port transferred alongside. */
export interface HostInitMessage {
  type: "connect-app-host-init";
  sdkVersion: string;
  providerId: string;
}

/** Contact lifecycle topics the harness can emit. */
export type ContactEventKey = "contact/connected" | "contact/acw" | "contact/cleared";

export interface HarnessAgent {
  arn: string;
  name: string;
}

export interface HarnessContact {
  contactId: string;
  initialContactId: string;
  channel: { type: string; subtype: string };
}

/** What the host tells the app about itself and what it answers to requests. */
export interface HostFixture {
  instanceId: string;
  region: string;
  agent: HarnessAgent;
  contact?: HarnessContact;
  /** Commands answered with an access-denied error (to exercise missing permissions). */
  deniedCommands?: string[];
  /** ms between the app's health checks; ≤ 0 disables them. */
  healthCheckInterval?: number;
  /** Never acknowledge: the app must fall back to standalone mode after its connection timeout. */
  neverAcknowledge?: boolean;
}

/** One entry of the message log exposed to tests. */
export interface LogEntry {
  direction: "app-to-host" | "host-to-app";
  type: string;
  at: number;
  message: unknown;
}

export function isHostInit(value: unknown): value is HostInitMessage {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { type?: unknown }).type === "connect-app-host-init"
  );
}
