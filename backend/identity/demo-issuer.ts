/**
 * The offline demo's identity provider: an ES256 key pair generated at start, a local key set, and tokens
 * for the four demo users only. Its tokens are verified by the same `TokenVerifier` as production tokens;
 * production mode never builds one (see `buildApp`).
 */
import { generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import { SignJWT, type JSONWebKeySet, type JWTPayload } from "jose";
import type { Config } from "../config.ts";
import { DEMO_USERS } from "../contract/schemas.ts";
import { AppError } from "../errors.ts";

export const DEMO_AUDIENCE = "connect-erasure-demo";
const TOKEN_LIFETIME_S = 3600;

export interface DemoIssuer {
  issuer: string;
  audience: string;
  jwks: JSONWebKeySet;
  /** Signs arbitrary claims with the demo key (tests use this to forge expired or wrong-audience tokens). */
  sign(claims: JWTPayload, options?: { header?: Record<string, unknown>; key?: KeyObject }): Promise<string>;
  /**
   * Mints an access token for a demo user.
   * @throws AppError `BadRequest` for any username outside `DEMO_USERS`.
   */
  mint(username: string, now: Date): Promise<string>;
}

/** Creates the demo issuer for `config` (issuer `http://localhost:<port>/demo`). */
export function createDemoIssuer(config: Pick<Config, "port" | "roleClaim" | "agentGroups" | "supervisorGroups">): DemoIssuer {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const kid = `demo-${randomUUID()}`;
  const jwks: JSONWebKeySet = { keys: [{ ...publicKey.export({ format: "jwk" }), kid, alg: "ES256", use: "sig" }] };
  const issuer = `http://localhost:${config.port}/demo`;

  const sign: DemoIssuer["sign"] = (claims, options = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: "ES256", typ: "JWT", kid, ...options.header })
      .sign(options.key ?? privateKey);

  return {
    issuer,
    audience: DEMO_AUDIENCE,
    jwks,
    sign,
    async mint(username, now) {
      if (!(DEMO_USERS as readonly string[]).includes(username)) {
        throw new AppError("BadRequest", `Unknown demo user; use one of ${DEMO_USERS.join(", ")}`);
      }
      const group = username.startsWith("supervisor.") ? config.supervisorGroups[0] : config.agentGroups[0];
      const iat = Math.floor(now.getTime() / 1000);
      return sign({
        iss: issuer,
        aud: DEMO_AUDIENCE,
        sub: `demo|${username}`,
        preferred_username: username,
        [config.roleClaim]: group ? [group] : [],
        iat,
        nbf: iat,
        exp: iat + TOKEN_LIFETIME_S,
        jti: randomUUID(),
      });
    },
  };
}
