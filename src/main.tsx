import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { workspaceSession } from "./workspace/workspace.ts";
import { App } from "./app/app.tsx";
import { env } from "./app/env.ts";
import { createTokenHolder } from "./auth/token-holder.ts";
import { oidcCallbackKind } from "./auth/oidc-callback.ts";
import "./app/app.css";

const appUrl = `${window.location.origin}${window.location.pathname}`;
const oidc = env.oidc ? { ...env.oidc, appUrl } : undefined;
const callback = oidcCallbackKind(window.location.search);
const root = document.getElementById("root");

if (callback && oidc) {
  // This page load is the IdP redirecting the sign-in popup or renew frame back: hand over, do not start.
  void import("./auth/oidc-sign-in.ts").then((oidcModule) => oidcModule.completeOidcCallback(oidc, callback));
} else if (root) {
  createRoot(root).render(
    <StrictMode>
      <App
        workspace={workspaceSession}
        tokens={createTokenHolder()}
        auth={{
          apiBaseUrl: env.apiBaseUrl,
          mode: env.authMode,
          oidc,
          preferredDemoUser: new URLSearchParams(window.location.search).get("demoUser"),
        }}
      />
    </StrictMode>,
  );
}
