import type { DEMO_USERS } from "../../backend/contract/schemas.ts";

export type DemoUser = (typeof DEMO_USERS)[number];

/** The demo issuer's users (mirrors the contract's DEMO_USERS without pulling TypeBox into the bundle). */
export const DEMO_USER_NAMES = [
  "agent.alice",
  "agent.bob",
  "supervisor.sam",
  "supervisor.sue",
] as const satisfies readonly DemoUser[];

/** True when the backend runs its demo issuer: an empty body is refused with 400 there and 404 in production. */
export async function isDemoIssuerAvailable(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/demo/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    return response.status === 400;
  } catch {
    return false;
  }
}

/** Gets a token for a demo user from the backend's demo issuer (demo mode only). */
export async function requestDemoToken(baseUrl: string, username: DemoUser): Promise<string> {
  const response = await fetch(`${baseUrl}/demo/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username }),
  });
  if (!response.ok) throw new Error(`Demo sign-in failed (HTTP ${response.status})`);
  const body = (await response.json()) as { token?: unknown };
  if (typeof body.token !== "string") throw new Error("Demo sign-in returned no token");
  return body.token;
}

/** Type guard for a username taken from a URL or a form. */
export function isDemoUser(value: string | null | undefined): value is DemoUser {
  return (DEMO_USER_NAMES as readonly string[]).includes(value ?? "");
}
