/** Query marker on the OIDC redirect URIs; `main.tsx` finishes the sign-in instead of starting the app. */
export const OIDC_CALLBACK_PARAM = "oidc";

/** Which OIDC callback this page load is, if any (read from the redirect URI marker). */
export function oidcCallbackKind(search: string): "popup" | "silent" | undefined {
  const kind = new URLSearchParams(search).get(OIDC_CALLBACK_PARAM);
  return kind === "popup" || kind === "silent" ? kind : undefined;
}
