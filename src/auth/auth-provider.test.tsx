import { cleanup, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { stubFetch } from "../testing/fetch-stub.ts";
import { AuthProvider, useAuth } from "./auth-provider.tsx";
import { createTokenHolder } from "./token-holder.ts";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function Who() {
  const { signedIn } = useAuth();
  return <p>signed in as {signedIn.username}</p>;
}

const demoBackend = () =>
  stubFetch([
    {
      method: "POST",
      path: "/demo/token",
      reply: ({ body }) =>
        (body as { username?: string }).username
          ? { body: { token: `header.${btoa(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 3600 }))}.sig` } }
          : { status: 400, body: { error: { code: "ValidationFailed", message: "username is required" } } },
    },
  ]);

describe("AuthProvider", () => {
  it("when the backend runs the demo issuer, then the user picker signs in and the token stays in memory", async () => {
    const { calls } = demoBackend();
    const holder = createTokenHolder();
    render(
      <AuthProvider settings={{ apiBaseUrl: "", mode: "auto" }} holder={holder}>
        <Who />
      </AuthProvider>,
    );

    await userEvent.click(await screen.findByRole("radio", { name: "supervisor.sue" }));
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByText("signed in as supervisor.sue")).toBeTruthy();
    expect(holder.token()).toMatch(/^header\./);
    expect(calls.map((call) => call.body)).toEqual([{}, { username: "supervisor.sue" }]);
    expect(window.localStorage.length + window.sessionStorage.length).toBe(0);
  });

  it("when the harness names a demo user, then it signs in without asking", async () => {
    demoBackend();
    render(
      <AuthProvider settings={{ apiBaseUrl: "", mode: "auto", preferredDemoUser: "agent.bob" }} holder={createTokenHolder()}>
        <Who />
      </AuthProvider>,
    );

    expect(await screen.findByText("signed in as agent.bob")).toBeTruthy();
  });

  it("when the backend has no demo issuer and no IdP is configured, then it says sign-in is not configured", async () => {
    stubFetch([{ method: "POST", path: "/demo/token", reply: () => ({ status: 404, body: { error: { code: "NotFound", message: "x" } } }) }]);
    render(
      <AuthProvider settings={{ apiBaseUrl: "", mode: "auto", preferredDemoUser: "agent.bob" }} holder={createTokenHolder()}>
        <Who />
      </AuthProvider>,
    );

    expect(await screen.findByText("Sign-in is not configured")).toBeTruthy();
    await waitFor(() => expect(screen.queryByText(/signed in as/)).toBeNull());
  });

  it("when an identity provider is configured in production, then it offers the organisation sign-in", async () => {
    stubFetch([{ method: "POST", path: "/demo/token", reply: () => ({ status: 404, body: {} }) }]);
    render(
      <AuthProvider
        settings={{ apiBaseUrl: "", mode: "auto", oidc: { authority: "https://idp.example", clientId: "app", scope: "openid", appUrl: "http://app.test/" } }}
        holder={createTokenHolder()}
      >
        <Who />
      </AuthProvider>,
    );

    expect(await screen.findByRole("button", { name: "Sign in with your organisation" })).toBeTruthy();
  });
});
