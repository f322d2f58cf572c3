import { describe, expect, it } from "vitest";
import { parseEnv } from "./env.ts";

describe("parseEnv", () => {
  it("defaults to same-origin API and automatic sign-in detection", () => {
    expect(parseEnv({})).toEqual({ apiBaseUrl: "", authMode: "auto", oidc: undefined });
  });

  it("when several settings are wrong, then one error names each of them", () => {
    expect(() => parseEnv({ VITE_AUTH_MODE: "oidc", VITE_API_BASE_URL: "ftp://x" })).toThrow(
      /VITE_API_BASE_URL.*VITE_OIDC_AUTHORITY and VITE_OIDC_CLIENT_ID/,
    );
  });

  it("reads the OIDC issuer and client for production builds", () => {
    expect(parseEnv({ VITE_AUTH_MODE: "oidc", VITE_OIDC_AUTHORITY: "https://idp.example", VITE_OIDC_CLIENT_ID: "app" }).oidc).toEqual({
      authority: "https://idp.example",
      clientId: "app",
      scope: "openid profile",
    });
  });
});
