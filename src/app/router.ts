import { useSyncExternalStore } from "react";

/** A parsed hash route; hash routing needs no server fallback and survives the workspace iframe. */
export type Route =
  | { name: "home" }
  | { name: "request"; id: string }
  | { name: "review"; id?: string }
  | { name: "certificate"; id: string }
  | { name: "not-found" };

/** Parses `#/...` into a route. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  const [first, id, ...rest] = parts;
  if (rest.length > 0) return { name: "not-found" };
  if (first === undefined) return { name: "home" };
  if (first === "review") return { name: "review", id };
  if (first === "requests" && id) return { name: "request", id };
  if (first === "certificates" && id) return { name: "certificate", id };
  return { name: "not-found" };
}

function subscribe(listener: () => void): () => void {
  window.addEventListener("hashchange", listener);
  return () => window.removeEventListener("hashchange", listener);
}

/** The current hash route, updated on navigation. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
