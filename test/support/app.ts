/**
 * Test app builder: `buildApp` on a fresh test database, real SDK clients pointed at an emulator over HTTP,
 * a captured log stream, and tokens minted by the demo issuer (valid ones for the demo users, and a
 * catalogue of forged ones for S2).
 */
import { createHash, generateKeyPairSync, randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { SignJWT, type JWTPayload } from "jose";
import type { Kysely } from "kysely";
import { buildApp, type AppDeps } from "../../backend/app.ts";
import { createAwsClients } from "../../backend/aws/clients.ts";
import { parseConfig, type Config } from "../../backend/config.ts";
import { createLogger } from "../../backend/http/logger.ts";
import { createDemoIssuer, type DemoIssuer } from "../../backend/identity/demo-issuer.ts";
import { DEMO_USER_IDS } from "../../backend/emulator/demo-scenario.ts";
import { ScenarioBuilder } from "../../backend/emulator/scenario.ts";
import { startEmulator, type RunningEmulator } from "../../backend/emulator/server.ts";
import type { Database } from "../../backend/store/schema.ts";

export const TEST_INSTANCE_ID = "11111111-2222-4333-8444-555555555555";

/** Connect user ids of the demo users in the test scenario (what SearchUsers must map usernames to): the demo's own. */
export const CONNECT_USER_IDS = DEMO_USER_IDS;

/** Security profiles of the test users: supervisors have the manager profile (for ROLE_SOURCE=connect). */
const AGENT_PROFILE_ID = "5ec00000-0000-4000-8000-0000000000a1";
export const MANAGER_PROFILE_ID = "5ec00000-0000-4000-8000-0000000000a2";

export interface TestEmulator extends RunningEmulator {
  /** Starts a live voice contact handled by `agentUsername` (through the control API) and returns its id. */
  newContact(agentUsername: string): Promise<string>;
  /** Ends a contact (through the control API). */
  endContact(contactId: string): Promise<void>;
}

/** Starts an emulator with one instance, the four demo users, a versioned recordings bucket and a profiles domain. */
export async function startTestEmulator(): Promise<TestEmulator> {
  const b = new ScenarioBuilder({ id: TEST_INSTANCE_ID, alias: "test-centre" })
    .bucket("test-recordings", { versioning: "Enabled" })
    .storage("CALL_RECORDINGS", "test-recordings")
    .storage("CHAT_TRANSCRIPTS", "test-recordings")
    .profilesDomain("demo-domain");
  for (const [username, id] of Object.entries(CONNECT_USER_IDS)) {
    b.user({ Id: id, Username: username, SecurityProfileIds: [username.startsWith("supervisor.") ? MANAGER_PROFILE_ID : AGENT_PROFILE_ID] });
  }
  const emulator = await startEmulator({ port: 0, scenario: b.build() });
  const control = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    const res = await fetch(`${emulator.url}/_emulator${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`emulator control ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  return Object.assign(emulator, {
    newContact: async (agentUsername: string) => String((await control("/contacts", { channel: "VOICE", agentUsername })).contactId),
    endContact: async (contactId: string) => {
      await control(`/contacts/${encodeURIComponent(contactId)}/end`, {});
    },
  });
}

export interface TestAppOptions {
  db: Kysely<Database>;
  databaseUrl: string;
  /** Emulator base URL; every AWS endpoint points at it. */
  emulatorUrl: string;
  instanceId?: string;
  /** Extra environment entries for `parseConfig`. */
  env?: Record<string, string>;
  clock?: () => Date;
  /** Extra dependencies (e.g. a verifier for production-mode tests). */
  deps?: Partial<AppDeps>;
}

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  issuer: DemoIssuer;
  /** Every log line the app wrote, raw JSON. */
  logs: string[];
  /** A valid bearer header for a demo user. */
  auth(username: string): Promise<{ authorization: string }>;
  close(): Promise<void>;
}

/** The HMAC key tests use for audit contact ids. */
export const TEST_HMAC_KEY = "test-hmac-key-0123456789abcdef";

/** Builds the app on `options.db` with SDK clients aimed at the emulator and logs captured in memory. */
export function buildTestApp(options: TestAppOptions): TestApp {
  const config = parseConfig({
    DATABASE_URL: options.databaseUrl,
    PORT: "8080",
    AWS_ENDPOINT_URL_CONNECT: options.emulatorUrl,
    AWS_ENDPOINT_URL_CUSTOMER_PROFILES: options.emulatorUrl,
    AWS_ENDPOINT_URL_S3: options.emulatorUrl,
    AWS_MAX_ATTEMPTS: "1",
    AWS_TIMEOUT_MS: "3000",
    CONNECT_INSTANCE_ID: options.instanceId ?? TEST_INSTANCE_ID,
    CUSTOMER_PROFILES_DOMAIN: "demo-domain",
    FRAME_ANCESTORS: "https://example.my.connect.aws,http://localhost:8081",
    CORS_ORIGINS: "https://app.example.com",
    LOG_LEVEL: "info",
    WORKER_ENABLED: "false",
    ...options.env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(...chunk.toString("utf8").split("\n").filter((l) => l.length > 0));
      done();
    },
  });
  const clock = options.clock ?? (() => new Date());
  const issuer = options.deps?.demoIssuer ?? (config.mode === "demo" ? createDemoIssuer(config) : undefined);
  const app = buildApp({
    config,
    db: options.db,
    clients: createAwsClients(config, options.emulatorUrl),
    logger: createLogger(config, sink),
    clock,
    hmacKey: TEST_HMAC_KEY,
    distDir: "/nonexistent-dist",
    ...options.deps,
    ...(issuer ? { demoIssuer: issuer } : {}),
  });
  return {
    app,
    config,
    issuer: issuer ?? createDemoIssuer(config),
    logs,
    auth: async (username) => ({ authorization: `Bearer ${await (issuer ?? createDemoIssuer(config)).mint(username, clock())}` }),
    close: () => app.close(),
  };
}

export interface ForgedToken {
  kind: string;
  /** The full Authorization header value (some kinds forge the header itself). */
  authorization: string | undefined;
  /** Substring the 401 message must contain. */
  message: string;
}

function b64(value: unknown): string {
  return Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
}

/** Valid claims for `username` at `now`, which each forged kind then breaks in one way. */
function validClaims(issuer: DemoIssuer, username: string, now: Date, groups: string[] = ["erasure-agents"]): JWTPayload {
  const iat = Math.floor(now.getTime() / 1000);
  return { iss: issuer.issuer, aud: issuer.audience, sub: `demo|${username}`, preferred_username: username, groups, iat, nbf: iat, exp: iat + 600, jti: randomUUID() };
}

/**
 * At least 40 crafted tokens, each of which must be refused with 401 and the given message. They are
 * signed (where a signature is involved) by the real demo key unless the kind is about the key itself.
 */
export async function forgeTokens(issuer: DemoIssuer, now: Date, username = "agent.alice"): Promise<ForgedToken[]> {
  const t = Math.floor(now.getTime() / 1000);
  const claims = validClaims(issuer, username, now);
  const good = await issuer.sign(claims);
  const [h, p, s] = good.split(".") as [string, string, string];
  const kid = (issuer.jwks.keys[0]?.kid ?? "") as string;
  const other = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const publicJwk = issuer.jwks.keys[0] ?? {};
  const hsSecret = new TextEncoder().encode(JSON.stringify(publicJwk));
  const withClaims = (patch: JWTPayload, drop: string[] = []) => {
    const c: JWTPayload = { ...claims, ...patch };
    for (const k of drop) delete c[k];
    return issuer.sign(c);
  };
  const bearer = (token: string) => `Bearer ${token}`;
  const tok = async (kind: string, token: string | Promise<string>, message: string): Promise<ForgedToken> => ({ kind, authorization: bearer(await token), message });

  const list: Promise<ForgedToken>[] = [
    Promise.resolve({ kind: "missing header", authorization: undefined, message: "Missing bearer token" }),
    Promise.resolve({ kind: "empty header", authorization: "", message: "Missing bearer token" }),
    Promise.resolve({ kind: "basic scheme", authorization: `Basic ${b64("agent.alice:pw")}`, message: "Malformed Authorization header" }),
    Promise.resolve({ kind: "bearer without token", authorization: "Bearer ", message: "Malformed Authorization header" }),
    Promise.resolve({ kind: "two tokens", authorization: `Bearer ${good} ${good}`, message: "Malformed Authorization header" }),
    tok("alg none, no signature", `${b64({ alg: "none", typ: "JWT" })}.${p}.`, "algorithm is not accepted"),
    tok("alg None capitalised", `${b64({ alg: "None", typ: "JWT" })}.${p}.`, "algorithm is not accepted"),
    tok("alg none with original signature", `${b64({ alg: "none" })}.${p}.${s}`, "algorithm is not accepted"),
    tok("HS256 signed with the public key", new SignJWT(claims).setProtectedHeader({ alg: "HS256", kid }).sign(hsSecret), "algorithm is not accepted"),
    tok("HS512 signed with the public key", new SignJWT(claims).setProtectedHeader({ alg: "HS512", kid }).sign(new Uint8Array(64)), "algorithm is not accepted"),
    tok("RS256 from an attacker key", new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid }).sign(rsa), "algorithm is not accepted"),
    tok("ES384 header on an ES256 key", `${b64({ alg: "ES384", kid })}.${p}.${s}`, "algorithm is not accepted"),
    tok("other key, same kid", issuer.sign(claims, { key: other }), "signature is invalid"),
    tok("other key, unknown kid", issuer.sign(claims, { key: other, header: { kid: "attacker" } }), "unknown key"),
    tok("garbled kid", issuer.sign(claims, { header: { kid: "\u0000../../etc/passwd" } }), "unknown key"),
    tok("very long kid", issuer.sign(claims, { header: { kid: "k".repeat(4000) } }), "unknown key"),
    tok("embedded jwk header", issuer.sign(claims, { key: other, header: { jwk: { kty: "EC", crv: "P-256", x: "AA", y: "AA" } } }), "key material"),
    tok("jku header", issuer.sign(claims, { header: { jku: "http://127.0.0.1:1/jwks.json" } }), "key material"),
    tok("x5u header", issuer.sign(claims, { header: { x5u: "http://127.0.0.1:1/cert.pem" } }), "key material"),
    tok("x5c header", issuer.sign(claims, { header: { x5c: ["MIIB"] } }), "key material"),
    tok("payload tampered after signing", `${h}.${b64({ ...claims, groups: ["erasure-supervisors"] })}.${s}`, "signature is invalid"),
    tok("signature stripped", `${h}.${p}.`, "signature is invalid"),
    tok("signature of another token", `${h}.${p}.${(await issuer.sign({ ...claims, jti: "x" })).split(".")[2]}`, "signature is invalid"),
    tok("truncated token", good.slice(0, good.length - 20), "signature is invalid"),
    tok("two parts only", `${h}.${p}`, "Malformed token"),
    tok("four parts", `${good}.xyz`, "Malformed token"),
    tok("non-base64url characters", `${h}.${p}.${s}!`, "Malformed token"),
    tok("header not JSON", `${b64("not json")}.${p}.${s}`, "Malformed token"),
    tok("header non-UTF-8", `${Buffer.from([0xff, 0xfe, 0xfd]).toString("base64url")}.${p}.${s}`, "Malformed token"),
    tok("payload not JSON", issuer.sign({}, {}).then((x) => `${x.split(".")[0]}.${b64("nope")}.${x.split(".")[2]}`), "signature is invalid"),
    tok("64 KB token", `${h}.${"A".repeat(65536)}.${s}`, "too large"),
    tok("expired an hour ago", withClaims({ exp: t - 3600, nbf: t - 7200, iat: t - 7200 }), "expired"),
    tok("expired beyond the 60 s tolerance", withClaims({ exp: t - 61 }), "expired"),
    tok("not yet valid (nbf in an hour)", withClaims({ nbf: t + 3600 }), "not yet valid"),
    tok("nbf beyond the 60 s tolerance", withClaims({ nbf: t + 120 }), "not yet valid"),
    tok("no exp claim", withClaims({}, ["exp"]), "no exp claim"),
    tok("exp as a string", withClaims({ exp: String(t + 600) as unknown as number }), "exp"),
    tok("wrong issuer", withClaims({ iss: "https://evil.example/demo" }), "issuer is not accepted"),
    tok("issuer with trailing slash", withClaims({ iss: `${issuer.issuer}/` }), "issuer is not accepted"),
    tok("no issuer", withClaims({}, ["iss"]), "iss"),
    tok("wrong audience", withClaims({ aud: "some-other-app" }), "audience is not accepted"),
    tok("audience list without ours", withClaims({ aud: ["a", "b"] }), "audience is not accepted"),
    tok("no audience", withClaims({}, ["aud"]), "aud"),
    tok("no subject", withClaims({}, ["sub"]), "no sub claim"),
    tok("ID token used as access token", withClaims({ token_use: "id" }), "not an access token"),
    tok("no username claim", withClaims({}, ["preferred_username"]), "no username claim"),
  ];
  return Promise.all(list);
}

/** A digest of every row of every table, to prove a refused request changed nothing. */
export async function databaseDigest(db: Kysely<Database>): Promise<string> {
  const hash = createHash("sha256");
  const tables = [
    ["erasure_requests", "id"],
    ["erasure_steps", "id"],
    ["request_contacts", "contact_id"],
    ["audit_log", "seq"],
  ] as const;
  for (const [table, key] of tables) {
    const rows = await db.selectFrom(table).selectAll().orderBy(key).execute();
    hash.update(`${table}:${JSON.stringify(rows)}\n`);
  }
  return hash.digest("hex");
}

/** A valid raise body for `contactId`. */
export function raiseBody(contactId: string, note?: string): Record<string, unknown> {
  return {
    contactId,
    scope: { contactChain: true, customerHistory: false },
    verification: { method: "knowledge_based", confirmedByCustomer: true },
    ...(note !== undefined ? { note } : {}),
  };
}
