/**
 * Thin S3 gateway for the erasure executor: version-aware listing, batch delete by VersionId, retention and legal
 * hold look-ups, replication check. Paging handled; every call through a `CallRunner`.
 */
import {
  DeleteObjectsCommand,
  GetBucketReplicationCommand,
  GetObjectLegalHoldCommand,
  GetObjectRetentionCommand,
  ListObjectVersionsCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { AppError } from "../errors.ts";
import { directRunner, type CallRunner } from "./call-runner.ts";

export interface ObjectVersionRef {
  key: string;
  versionId: string;
  deleteMarker: boolean;
}

export interface DeleteFailure {
  key: string;
  versionId: string;
  code: string;
}

export interface S3Gateway {
  /** Every version and delete marker under `prefix` (all pages). */
  listVersions(bucket: string, prefix: string): Promise<ObjectVersionRef[]>;
  /** Deletes the given versions (≤ 1,000 per call, batched); returns the per-key failures. */
  deleteVersions(bucket: string, refs: readonly ObjectVersionRef[]): Promise<DeleteFailure[]>;
  /** RetainUntilDate of an Object Lock retention, if any. */
  getRetentionUntil(bucket: string, key: string, versionId: string): Promise<Date | undefined>;
  getLegalHoldOn(bucket: string, key: string, versionId: string): Promise<boolean>;
  /**
   * True when the bucket has a replication configuration (replicas keep what is deleted here); `undefined` when
   * the endpoint cannot tell (an S3-compatible server without the replication API answers NotImplemented).
   */
  isReplicated(bucket: string): Promise<boolean | undefined>;
}

const MAX_PAGES = 1000;
const DELETE_BATCH = 1000;

/** Builds the S3 gateway. */
export function createS3Gateway(client: S3Client, run: CallRunner = directRunner): S3Gateway {
  return {
    async listVersions(bucket, prefix) {
      const refs: ObjectVersionRef[] = [];
      let keyMarker: string | undefined;
      let versionIdMarker: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const out = await run("ListObjectVersions", () =>
          client.send(
            new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }),
          ),
        );
        for (const v of out.Versions ?? []) {
          if (v.Key) refs.push({ key: v.Key, versionId: v.VersionId ?? "null", deleteMarker: false });
        }
        for (const m of out.DeleteMarkers ?? []) {
          if (m.Key) refs.push({ key: m.Key, versionId: m.VersionId ?? "null", deleteMarker: true });
        }
        if (!out.IsTruncated) break;
        keyMarker = out.NextKeyMarker;
        versionIdMarker = out.NextVersionIdMarker;
      }
      return refs;
    },
    async deleteVersions(bucket, refs) {
      const failures: DeleteFailure[] = [];
      for (let i = 0; i < refs.length; i += DELETE_BATCH) {
        const batch = refs.slice(i, i + DELETE_BATCH);
        const out = await run("DeleteObjects", () =>
          client.send(
            new DeleteObjectsCommand({
              Bucket: bucket,
              Delete: { Quiet: true, Objects: batch.map((r) => ({ Key: r.key, VersionId: r.versionId })) },
            }),
          ),
        );
        for (const e of out.Errors ?? []) {
          failures.push({ key: e.Key ?? "", versionId: e.VersionId ?? "null", code: e.Code ?? "Unknown" });
        }
      }
      return failures;
    },
    async getRetentionUntil(bucket, key, versionId) {
      try {
        const out = await run("GetObjectRetention", () =>
          client.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: key, VersionId: versionId })),
        );
        return out.Retention?.RetainUntilDate;
      } catch (err) {
        if (isAbsent(err)) return undefined;
        throw err;
      }
    },
    async getLegalHoldOn(bucket, key, versionId) {
      try {
        const out = await run("GetObjectLegalHold", () =>
          client.send(new GetObjectLegalHoldCommand({ Bucket: bucket, Key: key, VersionId: versionId })),
        );
        return out.LegalHold?.Status === "ON";
      } catch (err) {
        if (isAbsent(err)) return false;
        throw err;
      }
    },
    async isReplicated(bucket) {
      try {
        const out = await run("GetBucketReplication", () => client.send(new GetBucketReplicationCommand({ Bucket: bucket })));
        return (out.ReplicationConfiguration?.Rules ?? []).length > 0;
      } catch (err) {
        if (isAbsent(err)) return false;
        if (err instanceof AppError && err.details?.awsError === "NotImplemented") return undefined;
        throw err;
      }
    },
  };
}

/** "No such configuration" answers (retention, legal hold, replication) mean the feature is off for that object. */
function isAbsent(err: unknown): boolean {
  if (!(err instanceof AppError)) return false;
  const name = String(err.details?.awsError ?? "");
  return err.code === "AwsNotFound" || /NotFound|NoSuch|InvalidRequest/.test(name);
}
