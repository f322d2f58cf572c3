/** Who is signed in, as far as the browser knows; the backend re-derives identity from the token. */
export interface SignedIn {
  token: string;
  /** Display hint only (demo username or the IdP's preferred_username). */
  username?: string;
}

/**
 * Holds the access token in memory only (never localStorage or sessionStorage, so a page reload or a
 * script on another tab cannot lift it) and tells subscribers when it changes.
 */
export function createTokenHolder() {
  let current: SignedIn | undefined;
  const listeners = new Set<() => void>();
  return {
    get: () => current,
    token: () => current?.token,
    set(next: SignedIn | undefined) {
      current = next;
      for (const listener of listeners) listener();
    },
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type TokenHolder = ReturnType<typeof createTokenHolder>;

/** Seconds since the epoch at which a JWT expires, read without verification (scheduling only). */
export function tokenExpiry(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as { exp?: unknown };
    return typeof json.exp === "number" ? json.exp : undefined;
  } catch {
    return undefined;
  }
}
