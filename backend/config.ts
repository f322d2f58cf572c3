/**
 * The only reader of `process.env`. One table of settings, parsed once at start-up, every problem
 * reported together, the result frozen. Tests build configs with `parseConfig({ ... })` and never touch
 * `process.env`. The README configuration table is generated from `SETTINGS` (`npm run config:table`).
 */
import { AppError } from "./errors.ts";

type Kind = "string" | "int" | "bool" | "list" | "enum";

interface Setting {
  env: string;
  kind: Kind;
  description: string;
  default?: string;
  values?: readonly string[];
  min?: number;
  max?: number;
}

/** Every environment variable the product reads, with its default and meaning. */
export const SETTINGS = {
  mode: { env: "ERASURE_MODE", kind: "enum", values: ["demo", "production"], default: "demo", description: "`demo` runs the embedded AWS emulator and demo sign-in; `production` refuses both" },
  databaseUrl: { env: "DATABASE_URL", kind: "string", default: "sqlite:./data/erasure.db", description: "`sqlite:<file>` or `postgres://user@host:port/db`" },
  host: { env: "HOST", kind: "string", default: "127.0.0.1", description: "interface the HTTP server binds to (`0.0.0.0` in a container)" },
  port: { env: "PORT", kind: "int", default: "8080", min: 0, max: 65535, description: "HTTP port (API, built app, and in demo mode the API origin)" },
  harnessPort: { env: "HARNESS_PORT", kind: "int", default: "8081", min: 0, max: 65535, description: "demo mode: port of the local agent-workspace harness (a second origin that frames the app)" },
  publicUrl: { env: "PUBLIC_URL", kind: "string", default: "", description: "external base URL of the app, used in links and the OIDC redirect (default http://localhost:<PORT>)" },
  awsRegion: { env: "AWS_REGION", kind: "string", default: "eu-west-2", description: "Region of the Connect instance" },
  connectInstanceId: { env: "CONNECT_INSTANCE_ID", kind: "string", default: "", description: "Amazon Connect instance id (demo: the emulator's instance)" },
  profilesDomain: { env: "CUSTOMER_PROFILES_DOMAIN", kind: "string", default: "", description: "Customer Profiles domain linked to the instance (empty: profile step reports residue `other`)" },
  endpointConnect: { env: "AWS_ENDPOINT_URL_CONNECT", kind: "string", default: "", description: "override the Connect endpoint (emulator or VPC endpoint)" },
  endpointProfiles: { env: "AWS_ENDPOINT_URL_CUSTOMER_PROFILES", kind: "string", default: "", description: "override the Customer Profiles endpoint" },
  endpointS3: { env: "AWS_ENDPOINT_URL_S3", kind: "string", default: "", description: "override the S3 endpoint (any S3-compatible server; path-style is then used)" },
  awsMaxAttempts: { env: "AWS_MAX_ATTEMPTS", kind: "int", default: "2", min: 1, max: 10, description: "SDK attempts per call; the job layer owns longer retries" },
  awsTimeoutMs: { env: "AWS_TIMEOUT_MS", kind: "int", default: "10000", min: 100, max: 120000, description: "ms, timeout of one AWS call" },
  oidcIssuer: { env: "OIDC_ISSUER", kind: "string", default: "", description: "issuer URL of the identity provider (production); its JWKS is fetched from discovery" },
  oidcAudience: { env: "OIDC_AUDIENCE", kind: "string", default: "", description: "expected `aud` (or `client_id` for Cognito access tokens)" },
  oidcClientId: { env: "OIDC_CLIENT_ID", kind: "string", default: "", description: "public client id the browser signs in with (PKCE)" },
  oidcAlgorithms: { env: "OIDC_ALGORITHMS", kind: "list", default: "RS256,ES256", description: "accepted JWT signature algorithms (never `none` or HS*)" },
  roleClaim: { env: "ROLE_CLAIM", kind: "string", default: "groups", description: "token claim holding the user's groups (Cognito: `cognito:groups`)" },
  supervisorGroups: { env: "SUPERVISOR_GROUPS", kind: "list", default: "erasure-supervisors", description: "groups that grant the supervisor role" },
  agentGroups: { env: "AGENT_GROUPS", kind: "list", default: "erasure-agents", description: "groups that grant the agent role" },
  roleSource: { env: "ROLE_SOURCE", kind: "enum", values: ["claims", "connect"], default: "claims", description: "`claims` (group claim → role) or `connect` (security profiles via DescribeUser)" },
  supervisorSecurityProfiles: { env: "SUPERVISOR_SECURITY_PROFILES", kind: "list", default: "", description: "with ROLE_SOURCE=connect: security profile ids that grant the supervisor role" },
  frameAncestors: { env: "FRAME_ANCESTORS", kind: "list", default: "https://*.my.connect.aws,https://*.awsapps.com", description: "CSP frame-ancestors: origins allowed to frame the app (your instance's origins)" },
  corsOrigins: { env: "CORS_ORIGINS", kind: "list", default: "", description: "origins allowed to call the API cross-origin (empty: same origin only)" },
  attributeKeepList: { env: "ATTRIBUTE_KEEP_LIST", kind: "list", default: "", description: "contact attribute keys that are not personal data and are kept" },
  art19Recipients: { env: "ART19_RECIPIENTS", kind: "list", default: "", description: "systems that received contact data (CRM, stream consumers) and must be told of each erasure" },
  ctrStreams: { env: "CTR_STREAMS", kind: "list", default: "", description: "Kinesis/Firehose streams receiving contact records: reported as residue outside reach" },
  auditHmacKey: { env: "AUDIT_HMAC_KEY", kind: "string", default: "", description: "secret for keyed HMACs of contact ids in the audit log (demo: generated per data directory)" },
  workerEnabled: { env: "WORKER_ENABLED", kind: "bool", default: "true", description: "run the erasure worker inside `serve` / `demo`" },
  workerPollMs: { env: "WORKER_POLL_MS", kind: "int", default: "500", min: 10, max: 60000, description: "ms between polls for due steps when idle" },
  leaseMs: { env: "LEASE_MS", kind: "int", default: "30000", min: 100, max: 3600000, description: "ms a worker holds a step before another may take it over" },
  stepMaxAgeHours: { env: "STEP_MAX_AGE_HOURS", kind: "int", default: "72", min: 1, max: 2000, description: "hours a step keeps retrying before the request becomes `failed`" },
  settleSeconds: { env: "SETTLE_SECONDS", kind: "int", default: "300", min: 0, max: 86400, description: "seconds to wait after the last contact ends before erasing (recordings and Contact Lens land late)" },
  quotaScale: { env: "QUOTA_SCALE", kind: "string", default: "1", description: "multiplier on the built-in AWS quota table (e.g. 0.8 leaves headroom for other tools)" },
  logLevel: { env: "LOG_LEVEL", kind: "enum", values: ["fatal", "error", "warn", "info", "debug", "trace", "silent"], default: "info", description: "pino log level" },
  bodyLimitBytes: { env: "BODY_LIMIT_BYTES", kind: "int", default: "16384", min: 1024, max: 1048576, description: "largest accepted request body" },
} as const satisfies Record<string, Setting>;

type Settings = typeof SETTINGS;
type ValueOf<S extends Setting> = S["kind"] extends "int"
  ? number
  : S["kind"] extends "bool"
    ? boolean
    : S["kind"] extends "list"
      ? readonly string[]
      : S extends { values: readonly (infer V)[] }
        ? V
        : string;

/** The parsed, frozen configuration. */
export type Config = { readonly [K in keyof Settings]: ValueOf<Settings[K]> };

function parseOne(setting: Setting, raw: string): { value?: unknown; problem?: string } {
  switch (setting.kind) {
    case "int": {
      if (!/^-?\d+$/.test(raw.trim())) return { problem: `${setting.env} must be a whole number, got "${raw}"` };
      const n = Number(raw);
      if (setting.min !== undefined && n < setting.min) return { problem: `${setting.env} must be ≥ ${setting.min}` };
      if (setting.max !== undefined && n > setting.max) return { problem: `${setting.env} must be ≤ ${setting.max}` };
      return { value: n };
    }
    case "bool":
      if (["true", "1", "yes"].includes(raw.toLowerCase())) return { value: true };
      if (["false", "0", "no"].includes(raw.toLowerCase())) return { value: false };
      return { problem: `${setting.env} must be true or false, got "${raw}"` };
    case "list":
      return { value: Object.freeze(raw.split(",").map((s) => s.trim()).filter((s) => s.length > 0)) };
    case "enum":
      if (!setting.values?.includes(raw)) return { problem: `${setting.env} must be one of ${setting.values?.join(", ")}, got "${raw}"` };
      return { value: raw };
    default:
      return { value: raw };
  }
}

/**
 * Parses an environment map into a frozen Config.
 * @throws AppError `ConfigInvalid` listing every bad variable at once.
 */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(SETTINGS) as [string, Setting][]) {
    const raw = env[setting.env] ?? setting.default ?? "";
    const { value, problem } = parseOne(setting, raw);
    if (problem) problems.push(problem);
    else out[key] = value;
  }
  const config = out as Config;
  if (problems.length === 0) problems.push(...crossCheck(config, env));
  if (problems.length > 0) {
    throw new AppError("ConfigInvalid", `Invalid configuration:\n  - ${problems.join("\n  - ")}`);
  }
  return Object.freeze(config);
}

function crossCheck(config: Config, env: Readonly<Record<string, string | undefined>>): string[] {
  const problems: string[] = [];
  if (!/^(sqlite:.+|postgres(ql)?:\/\/.+)$/.test(config.databaseUrl)) {
    problems.push(`DATABASE_URL must start with sqlite: or postgres://, got "${config.databaseUrl.split("@").pop()}"`);
  }
  if (!Number.isFinite(Number(config.quotaScale)) || Number(config.quotaScale) <= 0) {
    problems.push(`QUOTA_SCALE must be a positive number, got "${config.quotaScale}"`);
  }
  if (config.frameAncestors.some((o) => o === "*" || o.includes("'unsafe"))) {
    problems.push("FRAME_ANCESTORS must list origins, not *");
  }
  if (config.oidcAlgorithms.some((a) => a.toLowerCase() === "none" || a.startsWith("HS"))) {
    problems.push("OIDC_ALGORITHMS must not contain none or HS* algorithms");
  }
  if (config.mode === "production") {
    for (const key of ["connectInstanceId", "oidcIssuer", "oidcAudience", "auditHmacKey"] as const) {
      if (!config[key]) problems.push(`${SETTINGS[key].env} is required in production mode`);
    }
    if (env.AWS_ACCESS_KEY_ID?.startsWith("AKIA")) {
      problems.push("static AWS access keys (AKIA…) are refused in production: use a role");
    }
  }
  return problems;
}

/** Reads `process.env` once; call only from `main.ts`. */
export function loadConfig(): Config {
  return parseConfig(process.env);
}
