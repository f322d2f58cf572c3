import { createContext, useContext, useSyncExternalStore, type ReactNode } from "react";
import type { SessionStore, WorkspaceSession } from "./session.ts";

const WorkspaceContext = createContext<SessionStore | null>(null);

export interface WorkspaceProviderProps {
  store: SessionStore;
  children: ReactNode;
}

/** Gives the app the workspace session; `main.tsx` passes the SDK-backed store, tests pass a fixed one. */
export function WorkspaceProvider({ store, children }: WorkspaceProviderProps) {
  return <WorkspaceContext.Provider value={store}>{children}</WorkspaceContext.Provider>;
}

/** The current workspace session; re-renders when the contact or agent details change. */
export function useWorkspace(): WorkspaceSession {
  const store = useContext(WorkspaceContext);
  if (!store) throw new Error("useWorkspace needs a WorkspaceProvider");
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}
