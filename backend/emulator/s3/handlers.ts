/**
 * S3 operations over restXml, path-style.
 *
 * Emulated: CreateBucket, HeadBucket, GetBucketVersioning, PutBucketVersioning, GetObjectLockConfiguration,
 * ListObjectsV2, ListObjectVersions, PutObject, GetObject, HeadObject, DeleteObject, DeleteObjects,
 * GetObjectRetention, PutObjectRetention, GetObjectLegalHold, PutObjectLegalHold, GetBucketReplication.
 *
 * LIMITATIONS
 * - No multipart upload, ranges, conditional requests, user metadata, tagging, ACLs or storage classes.
 * - Checksums sent by the SDK are accepted but not verified and not echoed; no checksums are returned.
 * - Quotas partition per bucket, not per key prefix; a DeleteObjects key costs one write token.
 * - Replication is a flag on the bucket (reported in state); no replica bucket is simulated.
 * - Deleting a version id that does not exist answers 204 (S3 does the same for well-formed ids).
 */
import type { CallContext, Reply } from "../router.ts";
import { ServiceError } from "../wire.ts";
import {
  compareKeys,
  deleteObject,
  latestVersion,
  lockRefusal,
  lowerBound,
  putObjectVersion,
  sortedKeys,
  type BucketRecord,
  type LockMode,
  type ObjectVersionRecord,
} from "./store.ts";
import * as e from "./errors.ts";
import { elements, text, xmlDocument, type XmlNode } from "./xml.ts";

/** A request already split into bucket, key and sub-resources by `routes.ts`. */
export interface S3Request {
  method: string;
  bucket: string;
  key: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  requestId: string;
}

function header(req: S3Request, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function baseHeaders(req: S3Request): Record<string, string> {
  return { "x-amz-request-id": req.requestId, "x-amz-id-2": req.requestId };
}

function xmlReply(req: S3Request, root: string, body: XmlNode, status = 200): Reply {
  return { status, headers: { ...baseHeaders(req), "content-type": "application/xml" }, body: xmlDocument(root, body) };
}

function emptyReply(req: S3Request, status: number, headers: Record<string, string> = {}): Reply {
  return { status, headers: { ...baseHeaders(req), ...headers }, body: "" };
}

function bucketOf(ctx: CallContext, req: S3Request): BucketRecord {
  const bucket = ctx.state.s3.buckets.get(req.bucket);
  if (!bucket) throw e.noSuchBucket(req.bucket);
  return bucket;
}

function bypass(req: S3Request): boolean {
  return header(req, "x-amz-bypass-governance-retention")?.toLowerCase() === "true";
}

function versionIdParam(req: S3Request): string | undefined {
  const v = req.query.get("versionId");
  return v === null || v === "" ? undefined : v;
}

/** CreateBucket: `x-amz-bucket-object-lock-enabled: true` also enables versioning, as S3 does. */
export function createBucket(req: S3Request, ctx: CallContext): Reply {
  if (ctx.state.s3.buckets.has(req.bucket)) throw e.bucketAlreadyOwnedByYou();
  const lock = header(req, "x-amz-bucket-object-lock-enabled")?.toLowerCase() === "true";
  ctx.state.s3.buckets.set(req.bucket, {
    Name: req.bucket,
    CreationDate: ctx.now().toISOString(),
    Versioning: lock ? "Enabled" : "Unversioned",
    ...(lock ? { ObjectLock: {} } : {}),
    objects: new Map(),
  });
  ctx.note({ bucket: req.bucket, objectLock: lock });
  return emptyReply(req, 200, { location: `/${req.bucket}` });
}

/** HeadBucket: 200 with the bucket's Region; errors carry no body (404 surfaces as `NotFound`). */
export function headBucket(req: S3Request, ctx: CallContext): Reply {
  bucketOf(ctx, req);
  return emptyReply(req, 200, { "x-amz-bucket-region": ctx.state.region });
}

/** GetBucketVersioning: no Status for a bucket that was never versioned. */
export function getBucketVersioning(req: S3Request, ctx: CallContext): Reply {
  const bucket = bucketOf(ctx, req);
  return xmlReply(req, "VersioningConfiguration", bucket.Versioning === "Unversioned" ? {} : { Status: bucket.Versioning });
}

/** PutBucketVersioning: Enabled or Suspended; an Object Lock bucket cannot be suspended. */
export function putBucketVersioning(req: S3Request, ctx: CallContext): Reply {
  const bucket = bucketOf(ctx, req);
  const status = text(req.body.toString("utf8"), "Status");
  if (status !== "Enabled" && status !== "Suspended") throw e.malformedXml();
  if (status === "Suspended" && bucket.ObjectLock) throw e.invalidBucketState("An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.");
  bucket.Versioning = status;
  ctx.note({ bucket: bucket.Name, status });
  return emptyReply(req, 200);
}

/** GetObjectLockConfiguration: 404 ObjectLockConfigurationNotFoundError when the bucket has none. */
export function getObjectLockConfiguration(req: S3Request, ctx: CallContext): Reply {
  const bucket = bucketOf(ctx, req);
  if (!bucket.ObjectLock) throw e.noSuchObjectLockConfiguration();
  const rule = bucket.ObjectLock.DefaultRetention;
  return xmlReply(req, "ObjectLockConfiguration", {
    ObjectLockEnabled: "Enabled",
    ...(rule ? { Rule: { DefaultRetention: { Mode: rule.Mode, Days: rule.Days, Years: rule.Years } } } : {}),
  });
}

/**
 * GetBucketReplication: one rule to the bucket's `ReplicatedTo` destination (delete markers not replicated,
 * the common setup); 404 ReplicationConfigurationNotFoundError when the bucket is not replicated.
 */
export function getBucketReplication(req: S3Request, ctx: CallContext): Reply {
  const bucket = bucketOf(ctx, req);
  if (!bucket.ReplicatedTo) throw e.noReplicationConfiguration();
  const destination = bucket.ReplicatedTo.startsWith("arn:") ? bucket.ReplicatedTo : `arn:aws:s3:::${bucket.ReplicatedTo}`;
  return xmlReply(req, "ReplicationConfiguration", {
    Role: `arn:aws:iam::${ctx.state.accountId}:role/s3-replication`,
    Rule: [
      {
        ID: "replicate-all",
        Priority: 1,
        Status: "Enabled",
        Filter: { Prefix: "" },
        DeleteMarkerReplication: { Status: "Disabled" },
        Destination: { Bucket: destination },
      },
    ],
  });
}

function maxKeys(req: S3Request): number {
  const raw = req.query.get("max-keys");
  if (raw === null || raw === "") return 1000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw e.invalidArgument("Provided max-keys not an integer or within integer range");
  return Math.min(n, 1000);
}

function encodeKeyFor(req: S3Request): (key: string) => string {
  return req.query.get("encoding-type") === "url" ? (k) => encodeURIComponent(k).replace(/%2F/g, "/") : (k) => k;
}

/** Groups `key` under a common prefix when a delimiter follows the listing prefix. */
function commonPrefixOf(key: string, prefix: string, delimiter: string): string | undefined {
  if (!delimiter) return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? undefined : key.slice(0, at + delimiter.length);
}

/** ListObjectsV2: current (non-marker) objects in UTF-8 key order, with continuation tokens and prefixes. */
export function listObjectsV2(req: S3Request, ctx: CallContext): Reply {
  const bucket = bucketOf(ctx, req);
  const prefix = req.query.get("prefix") ?? "";
  const delimiter = req.query.get("delimiter") ?? "";
  const limit = maxKeys(req);
  const token = req.query.get("continuation-token");
  let after = req.query.get("start-after") ?? "";
  if (token) {
    try {
      after = Buffer.from(token, "base64url").toString("utf8");
    } catch {
      throw e.invalidArgument("The continuation token provided is incorrect");
    }
  }
  const enc = encodeKeyFor(req);
  const contents: XmlNode[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  let last = "";
  const keys = sortedKeys(bucket);
  for (let i = lowerBound(keys, after && compareKeys(after, prefix) > 0 ? after : prefix); i < keys.length; i++) {
    const key = keys[i]!;
    if (!key.startsWith(prefix)) break;
    if (after && compareKeys(key, after) <= 0) continue;
    if (after && delimiter && after.endsWith(delimiter) && key.startsWith(after)) continue;
    const latest = latestVersion(bucket, key);
    if (!latest || latest.IsDeleteMarker) continue;
    const cp = commonPrefixOf(key, prefix, delimiter);
    if (cp !== undefined && prefixes[prefixes.length - 1] === cp) continue;
    if (contents.length + prefixes.length >= limit) {
      truncated = true;
      break;
    }
    if (cp !== undefined) {
      prefixes.push(cp);
      last = cp;
    } else {
      contents.push({ Key: enc(key), LastModified: latest.LastModified, ETag: latest.ETag, Size: latest.Size, StorageClass: "STANDARD" });
      last = key;
    }
  }
  return xmlReply(req, "ListBucketResult", {
    Name: bucket.Name,
    Prefix: enc(prefix),
    ...(delimiter ? { Delimiter: enc(delimiter) } : {}),
    MaxKeys: limit,
    KeyCount: contents.length + prefixes.length,
    IsTruncated: truncated,
    ...(req.query.get("encoding-type") === "url" ? { EncodingType: "url" } : {}),
    ...(token ? { ContinuationToken: token } : {}),
    ...(truncated ? { NextContinuationToken: Buffer.from(last, "utf8").toString("base64url") } : {}),
    ...(req.query.get("start-after") ? { StartAfter: enc(req.query.get("start-after")!) } : {}),
    Contents: contents,
    CommonPrefixes: prefixes.map((p) => ({ Prefix: enc(p) })),
  });
}

/** ListObjectVersions: every version and delete marker, newest first per key, paged by key/version markers. */
export function listObjectVersions(req: S3Request, ctx: CallContext): Reply {
  const bucket = bucketOf(ctx, req);
  const prefix = req.query.get("prefix") ?? "";
  const delimiter = req.query.get("delimiter") ?? "";
  const limit = maxKeys(req);
  const keyMarker = req.query.get("key-marker") ?? "";
  const versionIdMarker = req.query.get("version-id-marker") ?? "";
  const enc = encodeKeyFor(req);
  const versions: XmlNode[] = [];
  const markers: XmlNode[] = [];
  const prefixes: string[] = [];
  let count = 0;
  let truncated = false;
  let nextKey = "";
  let nextVersion = "";
  const keys = sortedKeys(bucket);
  outer: for (let k = lowerBound(keys, keyMarker && compareKeys(keyMarker, prefix) > 0 ? keyMarker : prefix); k < keys.length; k++) {
    const key = keys[k]!;
    if (!key.startsWith(prefix)) break;
    const cmp = keyMarker ? compareKeys(key, keyMarker) : 1;
    if (cmp < 0 || (cmp === 0 && !versionIdMarker)) continue;
    const cp = commonPrefixOf(key, prefix, delimiter);
    if (cp !== undefined) {
      if (prefixes[prefixes.length - 1] === cp || (keyMarker.startsWith(cp) && keyMarker !== key)) continue;
      if (count >= limit) {
        truncated = true;
        break;
      }
      prefixes.push(cp);
      count++;
      nextKey = cp;
      nextVersion = "";
      continue;
    }
    const list = bucket.objects.get(key) ?? [];
    let start = 0;
    if (cmp === 0) {
      const at = list.findIndex((v) => v.VersionId === versionIdMarker);
      start = at < 0 ? list.length : at + 1;
    }
    for (let i = start; i < list.length; i++) {
      if (count >= limit) {
        truncated = true;
        break outer;
      }
      const v = list[i]!;
      const common = { Key: enc(key), VersionId: v.VersionId, IsLatest: i === 0, LastModified: v.LastModified };
      if (v.IsDeleteMarker) markers.push(common);
      else versions.push({ ...common, ETag: v.ETag, Size: v.Size, StorageClass: "STANDARD" });
      count++;
      nextKey = key;
      nextVersion = v.VersionId;
    }
  }
  return xmlReply(req, "ListVersionsResult", {
    Name: bucket.Name,
    Prefix: enc(prefix),
    KeyMarker: enc(keyMarker),
    VersionIdMarker: versionIdMarker,
    ...(delimiter ? { Delimiter: enc(delimiter) } : {}),
    MaxKeys: limit,
    IsTruncated: truncated,
    ...(req.query.get("encoding-type") === "url" ? { EncodingType: "url" } : {}),
    ...(truncated ? { NextKeyMarker: enc(nextKey), ...(nextVersion ? { NextVersionIdMarker: nextVersion } : {}) } : {}),
    Version: versions,
    DeleteMarker: markers,
    CommonPrefixes: prefixes.map((p) => ({ Prefix: enc(p) })),
  });
}

/** Decodes an `aws-chunked` body (optionally signed chunks and trailing checksum headers) to its payload. */
function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let pos = 0;
  while (pos < body.length) {
    const eol = body.indexOf("\r\n", pos);
    if (eol < 0) throw e.invalidRequest("Malformed aws-chunked body");
    const size = parseInt(body.subarray(pos, eol).toString("latin1").split(";")[0]!, 16);
    if (!Number.isFinite(size)) throw e.invalidRequest("Malformed aws-chunked body");
    pos = eol + 2;
    if (size === 0) break;
    parts.push(body.subarray(pos, pos + size));
    pos += size + 2;
  }
  return Buffer.concat(parts);
}

function payloadOf(req: S3Request): Buffer {
  const encoding = header(req, "content-encoding") ?? "";
  return encoding.split(",").some((s) => s.trim() === "aws-chunked") ? decodeAwsChunked(req.body) : req.body;
}

function lockHeaders(v: ObjectVersionRecord): Record<string, string> {
  return {
    ...(v.Retention ? { "x-amz-object-lock-mode": v.Retention.Mode, "x-amz-object-lock-retain-until-date": v.Retention.RetainUntilDate } : {}),
    ...(v.LegalHold ? { "x-amz-object-lock-legal-hold": v.LegalHold } : {}),
  };
}

function versionHeader(bucket: BucketRecord, versionId: string): Record<string, string> {
  return bucket.Versioning === "Unversioned" ? {} : { "x-amz-version-id": versionId };
}

/** PutObject: a new version (Enabled) or a replaced null version; accepts SDK checksums and aws-chunked bodies. */
export function putObject(req: S3Request, ctx: CallContext): Reply {
  const bucket = bucketOf(ctx, req);
  const mode = header(req, "x-amz-object-lock-mode");
  const until = header(req, "x-amz-object-lock-retain-until-date");
  const hold = header(req, "x-amz-object-lock-legal-hold");
  if ((mode || until || hold) && !bucket.ObjectLock) throw e.invalidRequest("Bucket is missing Object Lock Configuration");
  if ((mode && !until) || (!mode && until)) throw e.invalidArgument("x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied");
  if (mode && mode !== "GOVERNANCE" && mode !== "COMPLIANCE") throw e.invalidArgument("Unknown wormMode directive.");
  const record = putObjectVersion(bucket, req.key, payloadOf(req), ctx.now(), {
    ...(header(req, "content-type") ? { contentType: header(req, "content-type")! } : {}),
    ...(mode && until ? { retention: { Mode: mode as LockMode, RetainUntilDate: new Date(until).toISOString() } } : {}),
    ...(hold === "ON" || hold === "OFF" ? { legalHold: hold } : {}),
  });
  ctx.note({ bucket: bucket.Name, key: req.key, versionId: record.VersionId });
  return emptyReply(req, 200, { etag: record.ETag, ...versionHeader(bucket, record.VersionId) });
}

/** The version a GET/HEAD addresses, or the S3 error for a missing key, version or a delete marker. */
function readableVersion(req: S3Request, bucket: BucketRecord): ObjectVersionRecord {
  const versionId = versionIdParam(req);
  if (versionId !== undefined) {
    const v = bucket.objects.get(req.key)?.find((x) => x.VersionId === versionId);
    if (!v) throw e.noSuchVersion(req.key, versionId);
    if (v.IsDeleteMarker) {
      const err = e.methodNotAllowed();
      return throwWithHeaders(err, { "x-amz-delete-marker": "true", "x-amz-version-id": v.VersionId, "last-modified": new Date(v.LastModified).toUTCString() });
    }
    return v;
  }
  const latest = latestVersion(bucket, req.key);
  if (!latest) throw e.noSuchKey(req.key);
  if (latest.IsDeleteMarker) return throwWithHeaders(e.noSuchKey(req.key), { "x-amz-delete-marker": "true", "x-amz-version-id": latest.VersionId });
  return latest;
}

function throwWithHeaders(err: ServiceError, headers: Record<string, string>): never {
  throw new ServiceError(err.code, err.status, err.message, err.extra, headers);
}

function objectHeaders(bucket: BucketRecord, v: ObjectVersionRecord): Record<string, string> {
  return {
    "content-type": v.ContentType ?? "binary/octet-stream",
    "content-length": String(v.Size),
    etag: v.ETag,
    "last-modified": new Date(v.LastModified).toUTCString(),
    "accept-ranges": "bytes",
    ...versionHeader(bucket, v.VersionId),
    ...lockHeaders(v),
  };
}

/** GetObject: the body of the latest or the given version. */
export function getObject(req: S3Request, ctx: CallContext): Reply {
  const bucket = bucketOf(ctx, req);
  const v = readableVersion(req, bucket);
  return { status: 200, headers: { ...baseHeaders(req), ...objectHeaders(bucket, v) }, body: v.Body };
}

/** HeadObject: GetObject's headers without the body. */
export function headObject(req: S3Request, ctx: CallContext): Reply {
  const bucket = bucketOf(ctx, req);
  const v = readableVersion(req, bucket);
  return { status: 200, headers: { ...baseHeaders(req), ...objectHeaders(bucket, v) }, body: "" };
}

/** DeleteObject: 204 with delete-marker headers, or 403 AccessDenied for a locked version. */
export function deleteObjectOp(req: S3Request, ctx: CallContext): Reply {
  const bucket = bucketOf(ctx, req);
  const versionId = versionIdParam(req);
  const outcome = deleteObject(bucket, req.key, versionId, ctx.now(), bypass(req));
  if (outcome.kind === "refused") {
    ctx.note({ bucket: bucket.Name, key: req.key, versionId, refused: true });
    throw e.accessDenied();
  }
  ctx.note({ bucket: bucket.Name, key: req.key, versionId, deleteMarker: outcome.deleteMarker, deleteMarkerVersionId: outcome.deleteMarkerVersionId });
  const headers: Record<string, string> = {};
  if (outcome.deleteMarker) headers["x-amz-delete-marker"] = "true";
  const reported = versionId ?? outcome.deleteMarkerVersionId;
  if (reported !== undefined && bucket.Versioning !== "Unversioned") headers["x-amz-version-id"] = reported;
  return emptyReply(req, 204, headers);
}

/** Parses a `<Delete>` document into the keys it names; rejects more than 1,000 keys as S3 does. */
export function parseDeleteRequest(body: Buffer): { objects: { key: string; versionId?: string }[]; quiet: boolean } {
  const xml = body.toString("utf8");
  const objects = elements(xml, "Object").map((inner) => {
    const key = text(inner, "Key");
    if (key === undefined) throw e.malformedXml();
    const versionId = text(inner, "VersionId");
    return versionId ? { key, versionId } : { key };
  });
  if (objects.length === 0 || objects.length > 1000) throw e.malformedXml();
  return { objects, quiet: text(xml, "Quiet") === "true" };
}

/** DeleteObjects: always 200; a locked version is a per-key AccessDenied error inside the result. */
export function deleteObjects(req: S3Request, ctx: CallContext, parsed: ReturnType<typeof parseDeleteRequest>): Reply {
  const bucket = bucketOf(ctx, req);
  const now = ctx.now();
  const deleted: XmlNode[] = [];
  const errors: XmlNode[] = [];
  const journalDeleted: unknown[] = [];
  const journalRefused: unknown[] = [];
  for (const o of parsed.objects) {
    const outcome = deleteObject(bucket, o.key, o.versionId, now, bypass(req));
    if (outcome.kind === "refused") {
      errors.push({ Key: o.key, VersionId: o.versionId, Code: "AccessDenied", Message: "Access Denied" });
      journalRefused.push({ key: o.key, versionId: o.versionId });
      continue;
    }
    journalDeleted.push({ key: o.key, versionId: o.versionId, deleteMarkerVersionId: outcome.deleteMarkerVersionId });
    if (parsed.quiet) continue;
    deleted.push({
      Key: o.key,
      VersionId: o.versionId,
      ...(outcome.deleteMarker ? { DeleteMarker: true, DeleteMarkerVersionId: outcome.deleteMarkerVersionId } : {}),
    });
  }
  ctx.note({ bucket: bucket.Name, deleted: journalDeleted, refused: journalRefused });
  return xmlReply(req, "DeleteResult", { Deleted: deleted, Error: errors });
}

function existingVersion(req: S3Request, bucket: BucketRecord): ObjectVersionRecord {
  const versionId = versionIdParam(req);
  const list = bucket.objects.get(req.key) ?? [];
  const v = versionId === undefined ? list[0] : list.find((x) => x.VersionId === versionId);
  if (!v) throw versionId === undefined ? e.noSuchKey(req.key) : e.noSuchVersion(req.key, versionId);
  if (v.IsDeleteMarker) throw e.methodNotAllowed();
  return v;
}

/** GetObjectRetention: mode and retain-until date of one version. */
export function getObjectRetention(req: S3Request, ctx: CallContext): Reply {
  const bucket = bucketOf(ctx, req);
  if (!bucket.ObjectLock) throw e.invalidRequest("Bucket is missing Object Lock Configuration");
  const v = existingVersion(req, bucket);
  if (!v.Retention) throw e.noObjectLockOnObject();
  return xmlReply(req, "Retention", { Mode: v.Retention.Mode, RetainUntilDate: v.Retention.RetainUntilDate });
}

/** PutObjectRetention: COMPLIANCE can only be extended; shortening GOVERNANCE needs the bypass header. */
export function putObjectRetention(req: S3Request, ctx: CallContext): Reply {
  const bucket = bucketOf(ctx, req);
  if (!bucket.ObjectLock) throw e.invalidRequest("Bucket is missing Object Lock Configuration");
  const v = existingVersion(req, bucket);
  const xml = req.body.toString("utf8");
  const mode = text(xml, "Mode");
  const until = text(xml, "RetainUntilDate");
  if ((mode !== "GOVERNANCE" && mode !== "COMPLIANCE") || !until || Number.isNaN(Date.parse(until))) throw e.malformedXml();
  const next = { Mode: mode as LockMode, RetainUntilDate: new Date(until).toISOString() };
  if (v.Retention && lockRefusal({ ...v, LegalHold: "OFF" }, ctx.now(), bypass(req))) {
    const weakening = next.Mode !== v.Retention.Mode || next.RetainUntilDate < v.Retention.RetainUntilDate;
    if (weakening) throw e.accessDenied();
  }
  v.Retention = next;
  ctx.note({ bucket: bucket.Name, key: req.key, versionId: v.VersionId, mode: next.Mode });
  return emptyReply(req, 200);
}

/** GetObjectLegalHold: ON or OFF for one version. */
export function getObjectLegalHold(req: S3Request, ctx: CallContext): Reply {
  const bucket = bucketOf(ctx, req);
  if (!bucket.ObjectLock) throw e.invalidRequest("Bucket is missing Object Lock Configuration");
  const v = existingVersion(req, bucket);
  if (!v.LegalHold) throw e.noObjectLockOnObject();
  return xmlReply(req, "LegalHold", { Status: v.LegalHold });
}

/** PutObjectLegalHold: sets or clears the hold of one version. */
export function putObjectLegalHold(req: S3Request, ctx: CallContext): Reply {
  const bucket = bucketOf(ctx, req);
  if (!bucket.ObjectLock) throw e.invalidRequest("Bucket is missing Object Lock Configuration");
  const v = existingVersion(req, bucket);
  const status = text(req.body.toString("utf8"), "Status");
  if (status !== "ON" && status !== "OFF") throw e.malformedXml();
  v.LegalHold = status;
  ctx.note({ bucket: bucket.Name, key: req.key, versionId: v.VersionId, legalHold: status });
  return emptyReply(req, 200);
}
