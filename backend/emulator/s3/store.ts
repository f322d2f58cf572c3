/**
 * S3 state and the versioning rules (aws-facts §8): unversioned, Enabled and Suspended buckets, delete markers,
 * Object Lock retention and legal holds. Handlers and the artifact writer both go through these functions so
 * a recording written by a simulated contact behaves exactly like one uploaded through PutObject.
 */
import { createHash, randomBytes } from "node:crypto";

export type VersioningStatus = "Unversioned" | "Enabled" | "Suspended";
export type LockMode = "GOVERNANCE" | "COMPLIANCE";

export interface ObjectVersionRecord {
  Key: string;
  /** "null" for the null version of an unversioned or suspended bucket. */
  VersionId: string;
  IsDeleteMarker: boolean;
  LastModified: string;
  ETag: string;
  Size: number;
  ContentType?: string;
  Body: Buffer;
  Retention?: { Mode: LockMode; RetainUntilDate: string };
  LegalHold?: "ON" | "OFF";
}

export interface BucketRecord {
  Name: string;
  CreationDate: string;
  Versioning: VersioningStatus;
  ObjectLock?: { DefaultRetention?: { Mode: LockMode; Days?: number; Years?: number } };
  /** Destination of a replication rule: version-specific deletes do not reach it, so the product reports residue. */
  ReplicatedTo?: string;
  /** Versions per key, newest first. */
  objects: Map<string, ObjectVersionRecord[]>;
}

export interface S3State {
  buckets: Map<string, BucketRecord>;
}

/** An S3 state with no buckets. */
export function emptyS3State(): S3State {
  return { buckets: new Map() };
}

/** A fresh version id shaped like S3's (32 URL-safe characters). */
export function newVersionId(): string {
  return randomBytes(24).toString("base64url");
}

/** The quoted MD5 ETag S3 reports for a single-part upload. */
export function etagOf(body: Buffer): string {
  return `"${createHash("md5").update(body).digest("hex")}"`;
}

const sortedCache = new WeakMap<Map<string, ObjectVersionRecord[]>, string[]>();

/**
 * Keys in S3 listing order (UTF-8 binary order), cached per bucket until a key appears or disappears so list
 * calls on large buckets stay cheap. A size mismatch (state edited directly) also rebuilds the cache.
 */
export function sortedKeys(bucket: BucketRecord): string[] {
  let keys = sortedCache.get(bucket.objects);
  if (!keys || keys.length !== bucket.objects.size) {
    keys = [...bucket.objects.keys()].sort(compareKeys);
    sortedCache.set(bucket.objects, keys);
  }
  return keys;
}

function keysChanged(bucket: BucketRecord): void {
  sortedCache.delete(bucket.objects);
}

/** Index of the first key not before `target` in a sorted key list. */
export function lowerBound(keys: readonly string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(keys[mid]!, target) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * S3 orders keys by their UTF-8 bytes, i.e. by code point; UTF-16 code-unit order differs only where surrogates
 * (astral characters) meet U+E000..U+FFFF, which the remapping below corrects without allocating.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800) x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
    if (y >= 0xd800) y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    return x - y;
  }
  return a.length - b.length;
}

export interface PutOptions {
  contentType?: string;
  retention?: { Mode: LockMode; RetainUntilDate: string };
  legalHold?: "ON" | "OFF";
}

/** Stores a new object version per the bucket's versioning state and returns it. */
export function putObjectVersion(bucket: BucketRecord, key: string, body: Buffer, now: Date, opts: PutOptions = {}): ObjectVersionRecord {
  const versions = bucket.objects.get(key) ?? [];
  const versionId = bucket.Versioning === "Enabled" ? newVersionId() : "null";
  const record: ObjectVersionRecord = {
    Key: key,
    VersionId: versionId,
    IsDeleteMarker: false,
    LastModified: now.toISOString(),
    ETag: etagOf(body),
    Size: body.length,
    Body: body,
    ...(opts.contentType ? { ContentType: opts.contentType } : {}),
  };
  const retention = opts.retention ?? defaultRetention(bucket, now);
  if (retention) record.Retention = retention;
  if (opts.legalHold) record.LegalHold = opts.legalHold;
  const kept = versionId === "null" ? versions.filter((v) => v.VersionId !== "null") : versions;
  if (versions.length === 0) keysChanged(bucket);
  bucket.objects.set(key, [record, ...kept]);
  return record;
}

function defaultRetention(bucket: BucketRecord, now: Date): ObjectVersionRecord["Retention"] | undefined {
  const rule = bucket.ObjectLock?.DefaultRetention;
  if (!rule) return undefined;
  const until = new Date(now);
  if (rule.Years) until.setUTCFullYear(until.getUTCFullYear() + rule.Years);
  if (rule.Days) until.setUTCDate(until.getUTCDate() + rule.Days);
  return { Mode: rule.Mode, RetainUntilDate: until.toISOString() };
}

/** Why a version may not be deleted right now, or undefined when it may. */
export function lockRefusal(version: ObjectVersionRecord, now: Date, bypassGovernance: boolean): string | undefined {
  if (version.LegalHold === "ON") return "Object is under legal hold";
  const r = version.Retention;
  if (!r || new Date(r.RetainUntilDate).getTime() <= now.getTime()) return undefined;
  if (r.Mode === "GOVERNANCE" && bypassGovernance) return undefined;
  return `Object is WORM protected (${r.Mode}) until ${r.RetainUntilDate}`;
}

export type DeleteOutcome =
  | { kind: "deleted"; versionId?: string; deleteMarker: boolean; deleteMarkerVersionId?: string }
  | { kind: "refused"; message: string };

/**
 * Deletes a key or one version of it. Without a version id an Enabled bucket gains a delete marker (even for a
 * missing key), a Suspended one replaces its null version with a null marker, an unversioned one drops the
 * object. With a version id exactly that version goes, unless Object Lock protects it.
 */
export function deleteObject(bucket: BucketRecord, key: string, versionId: string | undefined, now: Date, bypassGovernance: boolean): DeleteOutcome {
  const versions = bucket.objects.get(key) ?? [];
  if (versionId !== undefined) {
    const target = versions.find((v) => v.VersionId === versionId);
    if (!target) return { kind: "deleted", versionId, deleteMarker: false };
    if (!target.IsDeleteMarker) {
      const refusal = lockRefusal(target, now, bypassGovernance);
      if (refusal) return { kind: "refused", message: refusal };
    }
    setVersions(bucket, key, versions.filter((v) => v !== target));
    return target.IsDeleteMarker
      ? { kind: "deleted", versionId, deleteMarker: true, deleteMarkerVersionId: versionId }
      : { kind: "deleted", versionId, deleteMarker: false };
  }
  if (bucket.Versioning === "Unversioned") {
    setVersions(bucket, key, []);
    return { kind: "deleted", deleteMarker: false };
  }
  const markerId = bucket.Versioning === "Enabled" ? newVersionId() : "null";
  const marker: ObjectVersionRecord = {
    Key: key,
    VersionId: markerId,
    IsDeleteMarker: true,
    LastModified: now.toISOString(),
    ETag: "",
    Size: 0,
    Body: Buffer.alloc(0),
  };
  const kept = markerId === "null" ? versions.filter((v) => v.VersionId !== "null") : versions;
  if (versions.length === 0) keysChanged(bucket);
  bucket.objects.set(key, [marker, ...kept]);
  return { kind: "deleted", deleteMarker: true, deleteMarkerVersionId: markerId };
}

function setVersions(bucket: BucketRecord, key: string, versions: ObjectVersionRecord[]): void {
  if (versions.length === 0) {
    if (bucket.objects.delete(key)) keysChanged(bucket);
  } else bucket.objects.set(key, versions);
}

/** The version a plain GET sees: the newest one (possibly a delete marker). */
export function latestVersion(bucket: BucketRecord, key: string): ObjectVersionRecord | undefined {
  return bucket.objects.get(key)?.[0];
}
