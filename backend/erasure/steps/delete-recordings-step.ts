/**
 * Step 5: delete every S3 version and delete marker of the contacts' recordings, transcripts, screen recordings
 * and Contact Lens files (redacted and original), by VersionId, so nothing survives in a versioned bucket.
 * A version S3 refuses (AccessDenied) is examined: Object Lock retention becomes residue `object_lock` with its
 * RetainUntilDate, a legal hold `legal_hold`, anything else `access_denied`. A bucket with replication becomes
 * `replica_bucket` (version deletes do not replicate). Verified by listing again: nothing may remain except the
 * declared residue.
 */
import type { S3Gateway, ObjectVersionRef } from "../../aws/s3-gateway.ts";
import type { ResidueItem } from "../../contract/schemas.ts";
import { AppError } from "../../errors.ts";
import { scanTargets, type ScanTarget } from "../artifact-locations.ts";
import { verificationFailed, type Step } from "../step-context.ts";

export interface FoundVersion extends ObjectVersionRef {
  bucket: string;
}

/** Lists every target and keeps the versions that belong to one of `contactIds`. */
export async function findContactVersions(s3: S3Gateway, targets: readonly ScanTarget[], contactIds: readonly string[]): Promise<FoundVersion[]> {
  const found = new Map<string, FoundVersion>();
  for (const target of targets) {
    for (const ref of await s3.listVersions(target.bucket, target.prefix)) {
      if (!target.exact && !contactIds.some((id) => ref.key.includes(id))) continue;
      found.set(`${target.bucket}\u0000${ref.key}\u0000${ref.versionId}`, { ...ref, bucket: target.bucket });
    }
  }
  return [...found.values()];
}

function versionLocation(v: { bucket: string; key: string; versionId: string }): string {
  return `s3://${v.bucket}/${v.key}?versionId=${v.versionId}`;
}

/** Classifies one refused version by reading its retention and legal hold. */
async function residueFor(s3: S3Gateway, v: { bucket: string; key: string; versionId: string }, now: Date): Promise<ResidueItem> {
  const location = versionLocation(v);
  const until = await s3.getRetentionUntil(v.bucket, v.key, v.versionId);
  if (until && until.getTime() > now.getTime()) {
    return { kind: "object_lock", reason: `S3 Object Lock retention: cannot be erased until ${until.toISOString()}`, until: until.toISOString(), location };
  }
  if (await s3.getLegalHoldOn(v.bucket, v.key, v.versionId)) {
    return { kind: "legal_hold", reason: "S3 legal hold: cannot be erased until the hold is removed", location };
  }
  return { kind: "access_denied", reason: "S3 refused the deletion (AccessDenied): check the erasure role's permissions", location };
}

/** Deletes, classifies refusals, checks replication, and verifies by listing again. */
export const deleteRecordingsStep: Step = async (ctx) => {
  const s3 = ctx.gateways.s3;
  const now = ctx.now();
  const contactIds = ctx.scope.contacts.map((c) => c.id);
  const targets = await scanTargets(ctx.gateways.connect, ctx.storageConfigs, ctx.request.instanceId, ctx.scope.contacts, now);
  const found = await findContactVersions(s3, targets, contactIds);
  const residue: ResidueItem[] = [];
  const blocked = new Set<string>();
  let retryableFailures = 0;
  let replicationUnknown = 0;
  const byBucket = new Map<string, FoundVersion[]>();
  for (const v of found) {
    const list = byBucket.get(v.bucket);
    if (list) list.push(v);
    else byBucket.set(v.bucket, [v]);
  }
  for (const [bucket, versions] of byBucket) {
    for (const failure of await s3.deleteVersions(bucket, versions)) {
      const v = { bucket, key: failure.key, versionId: failure.versionId };
      if (failure.code === "AccessDenied") {
        residue.push(await residueFor(s3, v, now));
        blocked.add(versionLocation(v));
      } else {
        retryableFailures++;
      }
    }
    const replicated = await s3.isReplicated(bucket);
    if (replicated === undefined) replicationUnknown++;
    if (replicated) {
      residue.push({
        kind: "replica_bucket",
        reason: "bucket replicates elsewhere; version deletions do not replicate, so the replica keeps copies",
        location: `s3://${bucket}`,
      });
    }
  }
  if (retryableFailures > 0) {
    throw new AppError("AwsUnavailable", `delete-recordings: ${retryableFailures} versions not deleted`, { retryable: true });
  }
  const left = (await findContactVersions(s3, targets, contactIds)).filter((v) => !blocked.has(versionLocation(v)));
  if (left.length > 0) throw verificationFailed("delete-recordings", "object versions", left.length);
  return {
    kind: "done",
    counts: {
      prefixesScanned: targets.length,
      versionsDeleted: found.filter((v) => !v.deleteMarker && !blocked.has(versionLocation(v))).length,
      deleteMarkersDeleted: found.filter((v) => v.deleteMarker).length,
      versionsBlocked: blocked.size,
      buckets: byBucket.size,
      bucketsReplicationUnknown: replicationUnknown,
    },
    result: { residue },
  };
};
