import { lazy, Suspense, useMemo } from "react";
import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import Link from "@cloudscape-design/components/link";
import SpaceBetween from "@cloudscape-design/components/space-between";
import Spinner from "@cloudscape-design/components/spinner";
import type { Me } from "../../backend/contract/schemas.ts";
import { ApiProvider, useApiClient } from "../api/api-context.tsx";
import { createApiClient } from "../api/client.ts";
import { getMe } from "../api/get-me.ts";
import { AuthProvider, useAuth, type AuthSettings } from "../auth/auth-provider.tsx";
import type { TokenHolder } from "../auth/token-holder.ts";
import { ErrorBoundary } from "../components/error-boundary.tsx";
import { errorMessage, useLoad } from "../components/use-load.ts";
import { StatusCard } from "../features/status/status-card.tsx";
import { useWorkspace, WorkspaceProvider } from "../workspace/workspace-context.tsx";
import type { SessionStore } from "../workspace/session.ts";
import { ContactPage } from "./contact-page.tsx";
import { MyRequests } from "./my-requests.tsx";
import { useRoute, type Route } from "./router.ts";

// Supervisor views and the certificate are separate chunks: agents on a contact never download them.
const ReviewRoutes = lazy(() => import("../features/review/review-routes.tsx").then((m) => ({ default: m.ReviewRoutes })));
const CertificateView = lazy(() =>
  import("../features/status/certificate-view.tsx").then((m) => ({ default: m.CertificateView })),
);

export interface AppProps {
  workspace: SessionStore;
  tokens: TokenHolder;
  auth: AuthSettings;
}

/** The whole app: workspace session, sign-in, then the routed views for the signed-in role. */
export function App({ workspace, tokens, auth }: AppProps) {
  return (
    <WorkspaceProvider store={workspace}>
      <main className="ce-main">
        <AuthProvider settings={auth} holder={tokens}>
          <SignedInApp tokens={tokens} apiBaseUrl={auth.apiBaseUrl} />
        </AuthProvider>
      </main>
    </WorkspaceProvider>
  );
}

function SignedInApp({ tokens, apiBaseUrl }: { tokens: TokenHolder; apiBaseUrl: string }) {
  const client = useMemo(
    () => createApiClient({ baseUrl: apiBaseUrl, getToken: tokens.token, onUnauthorized: () => tokens.set(undefined) }),
    [apiBaseUrl, tokens],
  );
  return (
    <ApiProvider client={client}>
      <Shell />
    </ApiProvider>
  );
}

function Shell() {
  const client = useApiClient();
  const { signedIn, signOut } = useAuth();
  const me = useLoad(signedIn.token, (signal) => getMe(client, signal));
  const workspace = useWorkspace();
  const route = useRoute();
  if (me.error !== undefined) {
    return (
      <Alert type="error" header="Your identity could not be confirmed" action={<Button onClick={signOut}>Sign out</Button>}>
        {errorMessage(me.error)}
      </Alert>
    );
  }
  if (!me.data) return <Spinner size="large" />;
  const hasContact = workspace.mode === "embedded" && workspace.contactId !== undefined;
  return (
    <SpaceBetween size="m">
      <header className="ce-header">
        <nav aria-label="Main">
          <SpaceBetween direction="horizontal" size="m" alignItems="center">
            <Box variant="strong">Connect Erasure</Box>
            {hasContact && <Link href="#/">Current contact</Link>}
            {!hasContact && me.data.role === "agent" && <Link href="#/">Your requests</Link>}
            {me.data.role === "supervisor" && <Link href="#/review">Review queue</Link>}
          </SpaceBetween>
        </nav>
        <SpaceBetween direction="horizontal" size="s" alignItems="center">
          <span data-testid="signed-in-user">
            {me.data.username} ({me.data.role})
          </span>
          <Button variant="normal" onClick={signOut}>
            Sign out
          </Button>
        </SpaceBetween>
      </header>
      <ErrorBoundary key={routeKey(route)}>
        <Suspense fallback={<Spinner size="large" />}>
          <RouteView route={route} me={me.data} />
        </Suspense>
      </ErrorBoundary>
    </SpaceBetween>
  );
}

function routeKey(route: Route): string {
  return "id" in route ? `${route.name}/${route.id ?? ""}` : route.name;
}

function RouteView({ route, me }: { route: Route; me: Me }) {
  const workspace = useWorkspace();
  switch (route.name) {
    case "home":
      if (workspace.mode === "connecting") {
        return (
          <Box>
            <Spinner /> Connecting to the agent workspace…
          </Box>
        );
      }
      if (workspace.mode === "embedded" && workspace.contactId) {
        return <ContactPage session={{ ...workspace, contactId: workspace.contactId }} username={me.username} />;
      }
      return me.role === "supervisor" ? <ReviewRoutes username={me.username} /> : <MyRequests />;
    case "request":
      return <StatusCard requestId={route.id} username={me.username} />;
    case "review":
      return me.role === "supervisor" ? (
        <ReviewRoutes requestId={route.id} username={me.username} />
      ) : (
        <Alert type="warning" header="Supervisors only">
          Reviewing requests needs the supervisor role.
        </Alert>
      );
    case "certificate":
      return <CertificateView requestId={route.id} />;
    case "not-found":
      return <Alert type="warning" header="Page not found">There is nothing at this address. <Link href="#/">Go to the start page</Link>.</Alert>;
  }
}
