/**
 * Browser configuration, read once from `import.meta.env` (build time). No secrets belong here.
 *
 * Sign-in mode: `VITE_AUTH_MODE` = `auto` (default) | `demo` | `oidc`. `auto` probes the backend's demo issuer
 * with an empty `POST /demo/token`: a demo backend answers 400 (validation), a production backend 404, so the
 * demo user picker appears only where demo sign-in can work; otherwise OIDC is used and must be configured.
 */
export interface BrowserEnv {
  /** Origin of the API; empty means the origin that served the app. */
  apiBaseUrl: string;
  authMode: "auto" | "demo" | "oidc";
  oidc?: { authority: string; clientId: string; scope: string };
}

type RawEnv = Record<string, string | boolean | undefined>;

/** Validates the VITE_* settings and throws one error naming every bad key, so a broken build fails loudly. */
export function parseEnv(raw: RawEnv): BrowserEnv {
  const problems: string[] = [];
  const text = (key: string): string | undefined => {
    const value = raw[key];
    return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
  };
  const apiBaseUrl = (text("VITE_API_BASE_URL") ?? "").replace(/\/+$/, "");
  if (apiBaseUrl && !/^https?:\/\//.test(apiBaseUrl)) problems.push("VITE_API_BASE_URL must be an http(s) URL");
  const authMode = text("VITE_AUTH_MODE") ?? "auto";
  if (authMode !== "auto" && authMode !== "demo" && authMode !== "oidc") {
    problems.push("VITE_AUTH_MODE must be auto, demo or oidc");
  }
  const authority = text("VITE_OIDC_AUTHORITY");
  const clientId = text("VITE_OIDC_CLIENT_ID");
  if (authMode === "oidc" && (!authority || !clientId)) {
    problems.push("VITE_OIDC_AUTHORITY and VITE_OIDC_CLIENT_ID are required when VITE_AUTH_MODE=oidc");
  }
  if (authority && !/^https:\/\//.test(authority)) problems.push("VITE_OIDC_AUTHORITY must be an https URL");
  if (problems.length > 0) throw new Error(`Invalid browser configuration: ${problems.join("; ")}`);
  return {
    apiBaseUrl,
    authMode: authMode as BrowserEnv["authMode"],
    oidc:
      authority && clientId
        ? { authority, clientId, scope: text("VITE_OIDC_SCOPE") ?? "openid profile" }
        : undefined,
  };
}

export const env: BrowserEnv = parseEnv(import.meta.env as RawEnv);
