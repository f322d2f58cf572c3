/**
 * `main.ts doctor`: checks a configuration against the account before anyone relies on it. Each check reads
 * (never changes) something the erasure depends on and says what it means: the instance answers, where Connect
 * writes artifacts, what each bucket's versioning and Object Lock mean for erasure, whether the CTR template can
 * re-create profiles, whether each needed API call is permitted, whether the IdP's keys can be fetched.
 *
 * Permission probes use random ids that cannot exist, so "not found" proves the call was allowed and nothing can
 * change; only "access denied" is a blocker. Output names buckets, prefixes and operations, never caller data.
 */
import { randomUUID } from "node:crypto";
import type { InstanceStorageConfig, InstanceStorageResourceType } from "@aws-sdk/client-connect";
import { GetProfileObjectTypeCommand } from "@aws-sdk/client-customer-profiles";
import {
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  ListObjectVersionsCommand,
} from "@aws-sdk/client-s3";
import { awsCall } from "../aws/aws-errors.ts";
import type { AwsClients } from "../aws/clients.ts";
import { createConnectGateway } from "../aws/connect-gateway.ts";
import { findUserByUsername } from "../aws/connect-users.ts";
import { createProfilesGateway } from "../aws/profiles-gateway.ts";
import type { Config } from "../config.ts";
import { AppError } from "../errors.ts";

export type DoctorStatus = "ok" | "warn" | "blocker";

/** One line of the doctor's report. */
export interface DoctorCheck {
  name: string;
  status: DoctorStatus;
  detail: string;
}

/** The settings the doctor checks against the account. */
export type DoctorConfig = Pick<Config, "mode" | "awsRegion" | "connectInstanceId" | "profilesDomain" | "oidcIssuer">;

/** Seams for tests; production uses the defaults. */
export interface DoctorOptions {
  /** HTTP client for the OIDC discovery and JWKS fetches (tests may pass their own). */
  fetch?: typeof fetch;
  /** ms per OIDC fetch. */
  httpTimeoutMs?: number;
}

/** Storage types whose S3 files the erasure deletes (Contact Lens output sits beside them under `Analysis/`). */
const ERASED_STORAGE_TYPES: readonly InstanceStorageResourceType[] = ["CALL_RECORDINGS", "CHAT_TRANSCRIPTS", "SCREEN_RECORDINGS", "EMAIL_MESSAGES"];

/** Where Contact Lens writes, relative to the bucket root (aws-facts.md §9). */
const ANALYSIS_PREFIX = "Analysis/";

/** Runs every check in order and returns them; it never throws for an AWS or network failure. */
export async function runDoctor(config: DoctorConfig, clients: AwsClients, options: DoctorOptions = {}): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const add = (name: string, status: DoctorStatus, detail: string) => checks.push({ name, status, detail });

  if (!config.connectInstanceId) {
    add("config", "blocker", "CONNECT_INSTANCE_ID is not set");
  } else {
    add("config", "ok", `instance ${config.connectInstanceId} in ${config.awsRegion}, mode ${config.mode}`);
    const buckets = await checkConnect(config.connectInstanceId, clients, add);
    for (const [bucket, prefixes] of buckets) await checkBucket(bucket, prefixes, clients, add);
  }
  await checkProfiles(config.profilesDomain, clients, add);
  await checkOidc(config, options, add);
  return checks;
}

/** True when any check is a blocker: `doctor` then exits non-zero. */
export function hasBlocker(checks: readonly DoctorCheck[]): boolean {
  return checks.some((c) => c.status === "blocker");
}

type Add = (name: string, status: DoctorStatus, detail: string) => void;

/** What a failed call means for a permission probe. */
function probeOutcome(action: string, err: unknown): { status: DoctorStatus; detail: string } {
  const e = err instanceof AppError ? err : new AppError("Internal", String(err));
  const awsError = String(e.details?.awsError ?? e.code);
  switch (e.code) {
    case "AwsAccessDenied":
      return { status: "blocker", detail: `denied (${awsError}): grant ${action} (deploy/iam-policy.json)` };
    case "AwsNotFound":
    case "AwsInvalidRequest":
    case "AwsConflict":
    case "ContactNotEnded":
      return { status: "ok", detail: `permitted (${awsError} for a random id)` };
    default:
      return { status: "warn", detail: `could not be checked: ${awsError}` };
  }
}

/** Runs one probe call (already translated to AppError); `where` names the resource when one action is probed on several. */
async function probe(add: Add, action: string, call: () => Promise<unknown>, where = ""): Promise<void> {
  const at = where ? `${where}: ` : "";
  try {
    await call();
    add(`permission ${action}`, "ok", `${at}permitted`);
  } catch (err) {
    const { status, detail } = probeOutcome(action, err);
    add(`permission ${action}`, status, at + detail);
  }
}

function awsErrorName(err: unknown): string {
  return err instanceof AppError ? String(err.details?.awsError ?? err.code) : "Unknown";
}

/**
 * Instance, storage configs and Connect permissions. Returns the S3 buckets the erasure scans, each with the
 * prefixes it lists there.
 */
async function checkConnect(instanceId: string, clients: AwsClients, add: Add): Promise<Map<string, Set<string>>> {
  const buckets = new Map<string, Set<string>>();
  const connect = createConnectGateway(clients.connect, instanceId);

  for (const [index, resourceType] of ERASED_STORAGE_TYPES.entries()) {
    let configs: InstanceStorageConfig[];
    try {
      configs = await connect.listStorageConfigs(resourceType);
    } catch (err) {
      const code = err instanceof AppError ? err.code : undefined;
      if (index === 0) {
        // The first read doubles as the instance check: if it fails, nothing else about the instance can be read.
        const detail =
          code === "AwsNotFound"
            ? `instance ${instanceId} not found in this account and Region`
            : code === "AwsAccessDenied"
              ? "denied: grant connect:ListInstanceStorageConfigs on the instance"
              : `does not answer: ${awsErrorName(err)}`;
        add("connect instance", "blocker", detail);
        return buckets;
      }
      add(`storage ${resourceType}`, code === "AwsAccessDenied" ? "blocker" : "warn", `not readable: ${awsErrorName(err)}`);
      continue;
    }
    if (index === 0) add("connect instance", "ok", `answers (ListInstanceStorageConfigs)`);
    const s3Configs = configs.filter((c) => c.StorageType === "S3" && c.S3Config?.BucketName);
    const streamed = configs.filter((c) => c.StorageType !== "S3").map((c) => c.StorageType ?? "unknown");
    if (streamed.length > 0) {
      add(`storage ${resourceType}`, "warn", `also streamed to ${streamed.join(", ")}: copies there are outside reach (Art. 19 recipient)`);
    }
    if (s3Configs.length === 0) {
      if (streamed.length === 0) add(`storage ${resourceType}`, "ok", "not stored in S3: nothing to erase there");
      continue;
    }
    for (const c of s3Configs) {
      const bucket = c.S3Config!.BucketName!;
      const prefix = withSlash(c.S3Config!.BucketPrefix ?? "");
      const prefixes = buckets.get(bucket) ?? new Set<string>([ANALYSIS_PREFIX]);
      prefixes.add(prefix);
      buckets.set(bucket, prefixes);
      if (/^connect\/[^/]+\//.test(prefix)) {
        add(`storage ${resourceType}`, "ok", `s3://${bucket}/${prefix}`);
      } else {
        add(
          `storage ${resourceType}`,
          "warn",
          `s3://${bucket}/${prefix} is outside connect/<alias>/: widen the S3 prefixes of the IAM policy to match`,
        );
      }
    }
  }

  const probeId = randomUUID();
  await probe(add, "connect:DescribeContact", () => connect.describeContact(probeId));
  await probe(add, "connect:GetContactAttributes", () => connect.getContactAttributes(probeId));
  await probe(add, "connect:ListAssociatedContacts", () => connect.listAssociatedContacts(probeId));
  // A random contact id cannot exist, so these writes can only answer "not found" or "denied": nothing changes.
  await probe(add, "connect:UpdateContactAttributes", () => connect.updateContactAttributes(probeId, { doctorProbe: "" }));
  await probe(add, "connect:UpdateContact", () => connect.updateContactText(probeId, { Description: "" }));
  await probe(add, "connect:DeleteContactData", () => connect.deleteContactData(probeId, ["CUSTOMER_ENDPOINT"]));
  await probe(add, "connect:SearchUsers", () => findUserByUsername(clients.connect, instanceId, `doctor-${probeId}`));
  return buckets;
}

function withSlash(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, "");
  return trimmed === "" || trimmed.endsWith("/") ? trimmed : `${trimmed}/`;
}

/** Versioning, Object Lock and replication of one bucket, and whether its erasure prefixes can be listed. */
async function checkBucket(bucket: string, prefixes: Set<string>, clients: AwsClients, add: Add): Promise<void> {
  const s3 = clients.s3;
  try {
    const v = await awsCall("GetBucketVersioning", () => s3.send(new GetBucketVersioningCommand({ Bucket: bucket })));
    const mfa = v.MFADelete === "Enabled" ? "; MFA delete is on, so versions cannot be deleted by a role: they stay as residue" : "";
    const meaning =
      v.Status === "Enabled"
        ? "versioned: the tool deletes every version and delete marker by VersionId"
        : v.Status === "Suspended"
          ? "versioning suspended: older versions remain; the tool deletes each by VersionId"
          : "unversioned: deletes are permanent at once (no older versions to clean up)";
    add(`bucket ${bucket} versioning`, mfa ? "warn" : "ok", meaning + mfa);
  } catch (err) {
    const e = err instanceof AppError ? err : undefined;
    const detail =
      e?.code === "AwsNotFound"
        ? "bucket not found: the storage config points at a missing bucket"
        : e?.code === "AwsAccessDenied"
          ? "denied: grant s3:GetBucketVersioning on the bucket"
          : `not readable: ${awsErrorName(err)}`;
    add(`bucket ${bucket} versioning`, e?.code === "AwsThrottled" ? "warn" : "blocker", detail);
    return;
  }

  try {
    const out = await awsCall("GetObjectLockConfiguration", () => s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket })));
    const lock = out.ObjectLockConfiguration;
    if (lock?.ObjectLockEnabled !== "Enabled") {
      add(`bucket ${bucket} object lock`, "ok", "no Object Lock: every version can be deleted");
    } else {
      const rule = lock.Rule?.DefaultRetention;
      const period = rule ? `${rule.Mode} default retention ${rule.Days ? `${rule.Days} days` : `${rule.Years ?? "?"} years`}` : "no default retention";
      add(
        `bucket ${bucket} object lock`,
        "warn",
        `Object Lock enabled (${period}): locked versions and legal holds become residue until their retain-until date; ` +
          "the role is denied s3:BypassGovernanceRetention by design",
      );
    }
  } catch (err) {
    const e = err instanceof AppError ? err : undefined;
    if (e?.code === "AwsNotFound") add(`bucket ${bucket} object lock`, "ok", "no Object Lock: every version can be deleted");
    else if (e?.code === "AwsAccessDenied") add(`bucket ${bucket} object lock`, "blocker", "denied: grant s3:GetBucketObjectLockConfiguration");
    else add(`bucket ${bucket} object lock`, "warn", `could not be checked: ${awsErrorName(err)}`);
  }

  try {
    const out = await awsCall("GetBucketReplication", () => s3.send(new GetBucketReplicationCommand({ Bucket: bucket })));
    const targets = (out.ReplicationConfiguration?.Rules ?? []).map((r) => r.Destination?.Bucket ?? "?");
    if (targets.length === 0) add(`bucket ${bucket} replication`, "ok", "not replicated");
    else {
      add(
        `bucket ${bucket} replication`,
        "warn",
        `replicates to ${targets.join(", ")}: version deletes do not replicate, so the replica keeps copies (residue)`,
      );
    }
  } catch (err) {
    const e = err instanceof AppError ? err : undefined;
    const name = awsErrorName(err);
    if (e?.code === "AwsNotFound" || name === "NotImplemented") add(`bucket ${bucket} replication`, "ok", "not replicated");
    else if (e?.code === "AwsAccessDenied") add(`bucket ${bucket} replication`, "blocker", "denied: grant s3:GetReplicationConfiguration");
    else add(`bucket ${bucket} replication`, "warn", `could not be checked: ${name}`);
  }

  for (const prefix of [...prefixes].sort()) {
    // One key is enough to prove the listing is permitted; the gateway's full listing would page the whole prefix.
    await probe(
      add,
      "s3:ListBucketVersions",
      () => awsCall("ListObjectVersions", () => s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 }))),
      `s3://${bucket}/${prefix}`,
    );
  }
}

/** The Customer Profiles domain exists and is searchable, and its CTR template cannot quietly re-create profiles. */
async function checkProfiles(domain: string, clients: AwsClients, add: Add): Promise<void> {
  if (!domain) {
    add("profiles domain", "warn", "CUSTOMER_PROFILES_DOMAIN is not set: profiles are not erased (reported as residue)");
    return;
  }
  try {
    await createProfilesGateway(clients.profiles, domain).searchProfileIds("_ctrContactId", randomUUID());
    add("profiles domain", "ok", `${domain} answers; profile:SearchProfiles permitted`);
  } catch (err) {
    const e = err instanceof AppError ? err : undefined;
    const detail =
      e?.code === "AwsNotFound"
        ? `domain ${domain} not found (or not visible to this role)`
        : e?.code === "AwsAccessDenied"
          ? "denied: grant profile:SearchProfiles on the domain"
          : `does not answer: ${awsErrorName(err)}`;
    add("profiles domain", e?.code === "AwsThrottled" ? "warn" : "blocker", detail);
    return;
  }
  try {
    const type = await awsCall("GetProfileObjectType", () =>
      clients.profiles.send(new GetProfileObjectTypeCommand({ DomainName: domain, ObjectTypeName: "CTR" })),
    );
    const template = type.TemplateId ?? "(custom)";
    if (template === "CTR-AutoAssociateOnly" && type.AllowProfileCreation !== true) {
      add("profiles CTR template", "ok", "CTR-AutoAssociateOnly: contact records never create profiles");
    } else {
      add(
        "profiles CTR template",
        "warn",
        `${template}: a contact record without a match creates an inferred profile, so attribute updates during erasure ` +
          "may re-create one (the tool re-checks); consider CTR-AutoAssociateOnly",
      );
    }
  } catch (err) {
    const e = err instanceof AppError ? err : undefined;
    if (e?.code === "AwsNotFound") {
      add("profiles CTR template", "warn", "no CTR object type: contact records are not ingested, so no profile links to a contact");
    } else if (e?.code === "AwsAccessDenied") {
      add("profiles CTR template", "blocker", "denied: grant profile:GetProfileObjectType on the domain");
    } else {
      add("profiles CTR template", "warn", `could not be checked: ${awsErrorName(err)}`);
    }
  }
}

/** The issuer's discovery document names the same issuer and its JWKS has keys: otherwise no token verifies. */
async function checkOidc(config: DoctorConfig, options: DoctorOptions, add: Add): Promise<void> {
  if (!config.oidcIssuer) {
    if (config.mode === "production") add("oidc issuer", "blocker", "OIDC_ISSUER is not set");
    else add("oidc issuer", "ok", "demo mode: the embedded demo issuer signs tokens");
    return;
  }
  const http = options.fetch ?? fetch;
  const timeoutMs = options.httpTimeoutMs ?? 5000;
  const getJson = async (url: string): Promise<Record<string, unknown>> => {
    const res = await http(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: "application/json" } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const discoveryUrl = `${config.oidcIssuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
  let discovery: Record<string, unknown>;
  try {
    discovery = await getJson(discoveryUrl);
  } catch (err) {
    add("oidc issuer", "blocker", `discovery ${discoveryUrl} unreachable: ${errorText(err)}`);
    return;
  }
  if (discovery.issuer !== config.oidcIssuer) {
    add("oidc issuer", "blocker", `discovery names issuer ${String(discovery.issuer)}, not ${config.oidcIssuer}: tokens would be refused`);
    return;
  }
  const jwksUri = discovery.jwks_uri;
  if (typeof jwksUri !== "string") {
    add("oidc issuer", "blocker", "discovery document has no jwks_uri");
    return;
  }
  try {
    const jwks = await getJson(jwksUri);
    const keys = Array.isArray(jwks.keys) ? (jwks.keys as { kid?: unknown; alg?: unknown }[]) : [];
    if (keys.length === 0) add("oidc issuer", "blocker", `JWKS ${jwksUri} has no keys`);
    else add("oidc issuer", "ok", `JWKS reachable: ${keys.length} key(s) at ${jwksUri}`);
  } catch (err) {
    add("oidc issuer", "blocker", `JWKS ${jwksUri} unreachable: ${errorText(err)}`);
  }
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.name === "TimeoutError" ? "timed out" : err.message;
  return String(err);
}
