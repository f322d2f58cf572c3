/** Channel of the contact, as the workspace reports it (`contact/getChannelType`). */
export interface ContactChannel {
  type: string;
  subtype: string;
}

/** Where the contact is in the agent's lifecycle; a UI hint only, the backend decides from DescribeContact. */
export type ContactPhase = "connected" | "after_contact_work" | "cleared";

/** What the rest of the app knows about the agent workspace it runs in (or that it runs standalone). */
export type WorkspaceSession =
  | { mode: "connecting" }
  | { mode: "standalone" }
  | {
      mode: "embedded";
      instanceId: string;
      region: string;
      contactId?: string;
      initialContactId?: string;
      channel?: ContactChannel;
      phase?: ContactPhase;
      agent?: { arn: string; name: string };
    };

export type EmbeddedSession = Extract<WorkspaceSession, { mode: "embedded" }>;

/** A tiny observable holding the current session, read by React through `useSyncExternalStore`. */
export interface SessionStore {
  get(): WorkspaceSession;
  subscribe(listener: () => void): () => void;
}

/** Creates a session store that the workspace adapter (or a test) updates. */
export function createSessionStore(initial: WorkspaceSession = { mode: "connecting" }) {
  let current = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => current,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next: WorkspaceSession) {
      current = next;
      for (const listener of listeners) listener();
    },
    /** Merges fields into an embedded session; ignored once the app is standalone. */
    patch(fields: Partial<Omit<EmbeddedSession, "mode">>) {
      if (current.mode !== "embedded") return;
      current = { ...current, ...fields };
      for (const listener of listeners) listener();
    },
  };
}
