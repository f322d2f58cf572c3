import { createContext, useCallback, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import { isDemoIssuerAvailable, isDemoUser, requestDemoToken, type DemoUser } from "./demo-sign-in.ts";
import type { OidcSettings, OidcSignIn } from "./oidc-sign-in.ts";
import { SignInPage, type SignInMethod } from "./sign-in-page.tsx";
import { tokenExpiry, type SignedIn, type TokenHolder } from "./token-holder.ts";

/** Renew a demo token this many seconds before it expires. */
const RENEW_MARGIN_SECONDS = 60;

export interface AuthSettings {
  apiBaseUrl: string;
  mode: "auto" | "demo" | "oidc";
  oidc?: OidcSettings;
  /** Demo user to sign in as without asking (the harness passes it in the app URL). */
  preferredDemoUser?: string | null;
}

interface AuthContextValue {
  signedIn: SignedIn;
  signOut(): void;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export interface AuthProviderProps {
  settings: AuthSettings;
  holder: TokenHolder;
  children: ReactNode;
}

/** Shows the sign-in page until a token is held, then renders the app with `useAuth()` available. */
export function AuthProvider({ settings, holder, children }: AuthProviderProps) {
  const signedIn = useSyncExternalStore(holder.subscribe, holder.get, holder.get);
  const [method, setMethod] = useState<SignInMethod | "probing">("probing");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const oidcRef = useRef<OidcSignIn | null>(null);
  const renewTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const signInDemo = useCallback(
    async (username: DemoUser) => {
      setBusy(true);
      setError(undefined);
      try {
        const token = await requestDemoToken(settings.apiBaseUrl, username);
        holder.set({ token, username });
        const exp = tokenExpiry(token);
        clearTimeout(renewTimer.current);
        if (exp) {
          const delay = Math.max(5, exp - Date.now() / 1000 - RENEW_MARGIN_SECONDS) * 1000;
          renewTimer.current = setTimeout(() => void signInDemo(username), delay);
        }
      } catch (cause) {
        setError(cause instanceof Error ? cause.message : "Sign-in failed");
      } finally {
        setBusy(false);
      }
    },
    [holder, settings.apiBaseUrl],
  );

  useEffect(() => () => clearTimeout(renewTimer.current), []);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const demo =
        settings.mode === "demo" || (settings.mode === "auto" && (await isDemoIssuerAvailable(settings.apiBaseUrl)));
      if (cancelled) return;
      if (demo) {
        setMethod("demo");
        if (isDemoUser(settings.preferredDemoUser) && !holder.get()) void signInDemo(settings.preferredDemoUser);
      } else if (settings.oidc) {
        setMethod("oidc");
      } else {
        setMethod("unavailable");
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [settings, holder, signInDemo]);

  const signInOidc = useCallback(async () => {
    if (!settings.oidc) return;
    setBusy(true);
    setError(undefined);
    try {
      if (!oidcRef.current) {
        // Loaded on demand: the demo and the initial bundle do not carry the OIDC library.
        const { createOidcSignIn } = await import("./oidc-sign-in.ts");
        oidcRef.current = createOidcSignIn(settings.oidc, (user) => holder.set(user));
      }
      await oidcRef.current.signIn();
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : "Sign-in failed");
    } finally {
      setBusy(false);
    }
  }, [holder, settings.oidc]);

  const signOut = useCallback(() => {
    clearTimeout(renewTimer.current);
    void oidcRef.current?.signOut();
    holder.set(undefined);
  }, [holder]);

  if (!signedIn) {
    return (
      <SignInPage
        method={method}
        busy={busy}
        error={error}
        onDemoSignIn={(username) => void signInDemo(username)}
        onOidcSignIn={() => void signInOidc()}
      />
    );
  }
  return <AuthContext.Provider value={{ signedIn, signOut }}>{children}</AuthContext.Provider>;
}

/** The signed-in user (display only) and sign-out; only inside `AuthProvider`. */
export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth needs an AuthProvider");
  return value;
}
