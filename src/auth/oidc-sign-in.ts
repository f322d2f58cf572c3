import { OIDC_CALLBACK_PARAM as CALLBACK_PARAM } from "./oidc-callback.ts";
import { InMemoryWebStorage, UserManager, WebStorageStateStore, type User } from "oidc-client-ts";

export interface OidcSettings {
  authority: string;
  clientId: string;
  scope: string;
  /** The app's own origin + path; the IdP redirects the popup (and the silent-renew frame) back here. */
  appUrl: string;
}


function createUserManager(settings: OidcSettings): UserManager {
  // Both stores in memory: the token must never reach localStorage or sessionStorage.
  const memory = new InMemoryWebStorage();
  return new UserManager({
    authority: settings.authority,
    client_id: settings.clientId,
    scope: settings.scope,
    response_type: "code",
    redirect_uri: `${settings.appUrl}?${CALLBACK_PARAM}=popup`,
    popup_redirect_uri: `${settings.appUrl}?${CALLBACK_PARAM}=popup`,
    silent_redirect_uri: `${settings.appUrl}?${CALLBACK_PARAM}=silent`,
    userStore: new WebStorageStateStore({ store: memory }),
    stateStore: new WebStorageStateStore({ store: memory }),
    automaticSilentRenew: true,
  });
}

/**
 * OIDC authorization code + PKCE in a popup (identity providers refuse to be framed inside the workspace),
 * renewed silently before expiry; `onToken` receives every new access token, `undefined` when renewal fails.
 */
export function createOidcSignIn(settings: OidcSettings, onToken: (user: { token: string; username?: string } | undefined) => void) {
  const manager = createUserManager(settings);
  const publish = (user: User | null) =>
    onToken(user ? { token: user.access_token, username: user.profile.preferred_username ?? user.profile.sub } : undefined);
  manager.events.addUserLoaded(publish);
  manager.events.addSilentRenewError(() => publish(null));
  manager.events.addUserSignedOut(() => publish(null));
  return {
    /** Opens the IdP in a popup; call from a click handler so the browser allows the popup. */
    async signIn(): Promise<void> {
      publish(await manager.signinPopup());
    },
    async signOut(): Promise<void> {
      await manager.removeUser();
      publish(null);
    },
  };
}

export type OidcSignIn = ReturnType<typeof createOidcSignIn>;

/** Hands the IdP's answer to the window that started the sign-in (popup opener or renew frame's parent). */
export async function completeOidcCallback(settings: OidcSettings, kind: "popup" | "silent"): Promise<void> {
  const manager = createUserManager(settings);
  if (kind === "popup") await manager.signinPopupCallback();
  else await manager.signinSilentCallback();
}
