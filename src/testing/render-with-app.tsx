import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { ApiProvider } from "../api/api-context.tsx";
import { createApiClient } from "../api/client.ts";
import { createSessionStore, type WorkspaceSession } from "../workspace/session.ts";
import { WorkspaceProvider } from "../workspace/workspace-context.tsx";

/** Renders `ui` with an API client (token "test-token", same-origin) and a fixed workspace session. */
export function renderWithApp(ui: ReactElement, session: WorkspaceSession = { mode: "standalone" }) {
  const client = createApiClient({ baseUrl: "", getToken: () => "test-token" });
  return render(
    <WorkspaceProvider store={createSessionStore(session)}>
      <ApiProvider client={client}>{ui}</ApiProvider>
    </WorkspaceProvider>,
  );
}
