/**
 * Bearer-token verification with jose: signature first against trusted keys only, an explicit algorithm
 * allow-list, exact issuer and audience, `exp` required, `nbf` honoured, 60 s clock tolerance. Every
 * failure becomes a 401 `Unauthenticated` whose message names the problem and never echoes the token.
 */
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from "jose";
import { AppError } from "../errors.ts";

/** Claims of a verified token that identity resolution uses. */
export interface VerifiedToken {
  subject: string;
  username: string;
  groups: readonly string[];
  /** The token's `exp`; long-lived responses (event streams) end here. */
  expiresAt: Date;
}

export interface TokenVerifier {
  /** Verifies a compact JWT. @throws AppError `Unauthenticated` (401) with a clear reason. */
  verify(token: string, now: Date): Promise<VerifiedToken>;
}

export interface VerifierOptions {
  issuer: string;
  audience: string;
  algorithms: readonly string[];
  keys: JWTVerifyGetKey;
  roleClaim: string;
}

/** Tokens larger than this are refused before parsing (a real access token is a few KB). */
const MAX_TOKEN_CHARS = 8192;
const KEY_MATERIAL_HEADERS = ["jwk", "jku", "x5u", "x5c"];

function unauthenticated(message: string, cause?: unknown): AppError {
  return new AppError("Unauthenticated", message, cause === undefined ? {} : { cause });
}

function readHeader(token: string): Record<string, unknown> {
  const parts = token.split(".");
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) {
    throw unauthenticated("Malformed token: expected a compact JWS (three base64url parts)");
  }
  try {
    const header: unknown = JSON.parse(Buffer.from(parts[0] ?? "", "base64url").toString("utf8"));
    if (typeof header !== "object" || header === null || Array.isArray(header)) throw new Error("not an object");
    return header as Record<string, unknown>;
  } catch (cause) {
    throw unauthenticated("Malformed token: the header is not JSON", cause);
  }
}

function claimName(err: { claim?: string }): string {
  return err.claim ?? "unknown";
}

function translateJoseError(thrown: unknown): AppError {
  if (thrown instanceof AppError) return thrown;
  if (thrown instanceof errors.JWTExpired) return unauthenticated("Token has expired", thrown);
  if (thrown instanceof errors.JWTClaimValidationFailed) {
    const claim = claimName(thrown);
    if (thrown.reason === "missing") return unauthenticated(`Token has no ${claim} claim`, thrown);
    if (claim === "nbf") return unauthenticated("Token is not yet valid (nbf is in the future)", thrown);
    if (claim === "iss") return unauthenticated("Token issuer is not accepted", thrown);
    if (claim === "aud") return unauthenticated("Token audience is not accepted", thrown);
    if (claim === "iat") return unauthenticated("Token iat claim is invalid", thrown);
    return unauthenticated(`Token claim ${claim} is invalid`, thrown);
  }
  if (thrown instanceof errors.JOSEAlgNotAllowed) return unauthenticated("Token signature algorithm is not accepted", thrown);
  if (thrown instanceof errors.JWSSignatureVerificationFailed) return unauthenticated("Token signature is invalid", thrown);
  if (thrown instanceof errors.JWKSNoMatchingKey || thrown instanceof errors.JWKSMultipleMatchingKeys) {
    return unauthenticated("Token was signed by an unknown key", thrown);
  }
  if (thrown instanceof errors.JWKSTimeout || thrown instanceof errors.JWKSInvalid) {
    return new AppError("Internal", "Identity provider keys are unavailable", { httpStatus: 503, retryable: true, cause: thrown });
  }
  if (thrown instanceof errors.JOSENotSupported) return unauthenticated("Token uses an unsupported algorithm or key type", thrown);
  if (thrown instanceof errors.JWSInvalid || thrown instanceof errors.JWTInvalid) {
    return unauthenticated("Malformed token", thrown);
  }
  if (thrown instanceof errors.JOSEError) return unauthenticated("Token is invalid", thrown);
  return new AppError("Internal", "Identity provider keys are unavailable", { httpStatus: 503, retryable: true, cause: thrown });
}

function groupsFrom(payload: JWTPayload, roleClaim: string): string[] {
  const raw = payload[roleClaim];
  if (Array.isArray(raw)) return raw.filter((g): g is string => typeof g === "string");
  if (typeof raw === "string") return raw.split(/[\s,]+/).filter((g) => g.length > 0);
  return [];
}

function usernameFrom(payload: JWTPayload): string | undefined {
  for (const key of ["preferred_username", "username", "cognito:username"]) {
    const v = payload[key];
    if (typeof v === "string" && v.length > 0 && v.length <= 256) return v;
  }
  return undefined;
}

/**
 * Builds a verifier over one trusted key source. Used for both the production IdP and the demo issuer,
 * so demo tokens go through exactly the production checks.
 */
export function createTokenVerifier(options: VerifierOptions): TokenVerifier {
  const algorithms = options.algorithms.filter((a) => a !== "none" && !a.toUpperCase().startsWith("HS"));
  if (algorithms.length === 0) throw new AppError("ConfigInvalid", "No acceptable JWT algorithm configured");
  return {
    async verify(token, now) {
      if (token.length > MAX_TOKEN_CHARS) throw unauthenticated("Token is too large");
      const header = readHeader(token);
      if (KEY_MATERIAL_HEADERS.some((h) => h in header)) {
        throw unauthenticated("Token header carries key material or key URLs, which are not accepted");
      }
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, options.keys, {
          algorithms: [...algorithms],
          issuer: options.issuer,
          audience: options.audience,
          clockTolerance: 60,
          currentDate: now,
          requiredClaims: ["exp", "sub"],
        }));
      } catch (thrown) {
        throw translateJoseError(thrown);
      }
      if (payload.token_use !== undefined && payload.token_use !== "access") {
        throw unauthenticated("Token is not an access token");
      }
      const subject = payload.sub ?? "";
      const username = usernameFrom(payload);
      if (!username) throw unauthenticated("Token has no username claim (preferred_username, username or cognito:username)");
      return { subject, username, groups: groupsFrom(payload, options.roleClaim), expiresAt: new Date((payload.exp ?? 0) * 1000) };
    },
  };
}

/** A key source over a fixed key set (the demo issuer's, or a test's). */
export function localKeys(jwks: JSONWebKeySet): JWTVerifyGetKey {
  return createLocalJWKSet(jwks);
}

/**
 * A key source that reads `jwks_uri` from the issuer's OpenID discovery document once, then lets jose fetch
 * and cache the key set (refetching on an unknown `kid`, at most once per cooldown).
 * @throws AppError `Internal` (503) while the discovery document cannot be read.
 */
export function discoveredKeys(issuer: string, options: { cooldownMs?: number; fetchImpl?: typeof fetch } = {}): JWTVerifyGetKey {
  const fetchImpl = options.fetchImpl ?? fetch;
  let remote: Promise<JWTVerifyGetKey> | undefined;
  const load = async (): Promise<JWTVerifyGetKey> => {
    const url = `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
    const res = await fetchImpl(url, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`discovery answered ${res.status}`);
    const doc = (await res.json()) as { jwks_uri?: unknown; issuer?: unknown };
    if (typeof doc.jwks_uri !== "string" || !/^https?:\/\//.test(doc.jwks_uri)) throw new Error("discovery has no jwks_uri");
    return createRemoteJWKSet(new URL(doc.jwks_uri), { timeoutDuration: 5000, cooldownDuration: options.cooldownMs ?? 30_000 });
  };
  return async (header, token) => {
    remote ??= load().catch((cause: unknown) => {
      remote = undefined;
      throw new AppError("Internal", "Identity provider keys are unavailable", { httpStatus: 503, retryable: true, cause });
    });
    const getKey = await remote;
    return getKey(header, token);
  };
}
