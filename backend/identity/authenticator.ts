/**
 * Turns an `Authorization` header into an `Actor`: verify the bearer token, resolve the role (group claim,
 * or Connect security profiles), and map the username to a Connect user id with an exact SearchUsers.
 * Lookups are cached for at most 60 s so that role and user changes apply quickly (ASVS 8.3.2).
 */
import type { Config } from "../config.ts";
import type { AwsClients } from "../aws/clients.ts";
import { describeUserProfiles, findUserByUsername } from "../aws/connect-users.ts";
import type { Actor } from "../domain/request.ts";
import { AppError } from "../errors.ts";
import type { TokenVerifier, VerifiedToken } from "./token-verifier.ts";

export const IDENTITY_CACHE_MS = 60_000;
const MAX_CACHE_ENTRIES = 10_000;

/** The caller of one request and how long their token stays valid. */
export interface Authenticated {
  actor: Actor;
  expiresAt: Date;
}

export interface Authenticator {
  /**
   * Resolves the caller of one request.
   * @throws AppError `Unauthenticated` (401) for a missing or invalid token, `Forbidden` (403) for a valid
   * token that grants no erasure role.
   */
  authenticate(authorization: string | undefined, now: Date): Promise<Authenticated>;
}

interface ConnectIdentity {
  userId?: string;
  securityProfileIds: readonly string[];
}

type RoleConfig = Pick<Config, "roleSource" | "supervisorGroups" | "agentGroups" | "supervisorSecurityProfiles">;

/** Chooses the role from the token's groups or the Connect security profiles; supervisor wins over agent. */
export function resolveRole(config: RoleConfig, token: VerifiedToken, connect: ConnectIdentity): Actor["role"] | undefined {
  if (config.roleSource === "connect") {
    if (!connect.userId) return undefined;
    return connect.securityProfileIds.some((p) => config.supervisorSecurityProfiles.includes(p)) ? "supervisor" : "agent";
  }
  if (token.groups.some((g) => config.supervisorGroups.includes(g))) return "supervisor";
  if (token.groups.some((g) => config.agentGroups.includes(g))) return "agent";
  return undefined;
}

/** Extracts the token from `Bearer <token>`. @throws AppError `Unauthenticated`. */
export function bearerToken(authorization: string | undefined): string {
  if (authorization === undefined || authorization.trim() === "") {
    throw new AppError("Unauthenticated", "Missing bearer token: send Authorization: Bearer <access token>");
  }
  const match = /^Bearer +([^\s]+)\s*$/i.exec(authorization);
  if (!match?.[1]) throw new AppError("Unauthenticated", "Malformed Authorization header: expected Bearer <access token>");
  return match[1];
}

/** Builds the authenticator used by the HTTP auth hook. */
export function createAuthenticator(deps: { config: Config; clients: AwsClients; verifier: TokenVerifier }): Authenticator {
  const { config, clients, verifier } = deps;
  const cache = new Map<string, { at: number; value: Promise<ConnectIdentity> }>();

  const lookup = (username: string, now: Date): Promise<ConnectIdentity> => {
    const hit = cache.get(username);
    if (hit && now.getTime() - hit.at < IDENTITY_CACHE_MS && now.getTime() >= hit.at) return hit.value;
    const value = (async (): Promise<ConnectIdentity> => {
      const user = await findUserByUsername(clients.connect, config.connectInstanceId, username);
      if (!user) return { securityProfileIds: [] };
      const securityProfileIds =
        config.roleSource === "connect" ? await describeUserProfiles(clients.connect, config.connectInstanceId, user.id) : user.securityProfileIds;
      return { userId: user.id, securityProfileIds };
    })();
    // A failed lookup must not be cached: the next request retries it.
    value.catch(() => cache.delete(username));
    if (cache.size >= MAX_CACHE_ENTRIES) cache.clear();
    cache.set(username, { at: now.getTime(), value });
    return value;
  };

  return {
    async authenticate(authorization, now) {
      const token = await verifier.verify(bearerToken(authorization), now);
      const connect = await lookup(token.username, now);
      const role = resolveRole(config, token, connect);
      if (!role) throw new AppError("Forbidden", "Your account has no erasure role (agent or supervisor)");
      const actor: Actor = {
        subject: token.subject,
        username: token.username,
        role,
        ...(connect.userId ? { connectUserId: connect.userId } : {}),
      };
      return { actor, expiresAt: token.expiresAt };
    },
  };
}
