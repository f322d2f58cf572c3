/**
 * Unit test of delete-recordings' classification with in-memory gateways (the emulator has no replication API
 * and no per-key AccessDenied without a lock): each refused version becomes the right residue kind, a replicated
 * bucket becomes `replica_bucket`, and anything left that is not declared fails verification (retryable).
 */
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { ConnectGateway } from "../../../backend/aws/connect-gateway.ts";
import type { ObjectVersionRef, S3Gateway } from "../../../backend/aws/s3-gateway.ts";
import { parseConfig } from "../../../backend/config.ts";
import type { ErasureRequest } from "../../../backend/domain/request.ts";
import type { RequestPort } from "../../../backend/erasure/request-port.ts";
import type { StepContext } from "../../../backend/erasure/step-context.ts";
import { createStorageConfigCache } from "../../../backend/erasure/storage-config-cache.ts";
import { deleteRecordingsStep } from "../../../backend/erasure/steps/delete-recordings-step.ts";

const CONTACT = "0c0c0c0c-0000-4000-8000-000000000001";
const DAY = "connect/x/CallRecordings/2026/11/20/";

interface Stored extends ObjectVersionRef {
  bucket: string;
  refuse?: "lock" | "hold" | "denied";
  /** Deleting it fails without a refusal code the step understands (e.g. InternalError). */
  sticky?: boolean;
}

function fakeS3(objects: Stored[], replicated: Set<string>): S3Gateway {
  return {
    async listVersions(bucket, prefix) {
      return objects.filter((o) => o.bucket === bucket && o.key.startsWith(prefix)).map(({ key, versionId, deleteMarker }) => ({ key, versionId, deleteMarker }));
    },
    async deleteVersions(bucket, refs) {
      const failures = [];
      for (const ref of refs) {
        const i = objects.findIndex((o) => o.bucket === bucket && o.key === ref.key && o.versionId === ref.versionId);
        const o = objects[i];
        if (!o) continue;
        if (o.refuse) failures.push({ key: o.key, versionId: o.versionId, code: "AccessDenied" });
        else if (o.sticky) failures.push({ key: o.key, versionId: o.versionId, code: "InternalError" });
        else objects.splice(i, 1);
      }
      return failures;
    },
    async getRetentionUntil(bucket, key) {
      return objects.find((o) => o.bucket === bucket && o.key === key)?.refuse === "lock" ? new Date("2030-01-01T00:00:00Z") : undefined;
    },
    async getLegalHoldOn(bucket, key) {
      return objects.find((o) => o.bucket === bucket && o.key === key)?.refuse === "hold";
    },
    async isReplicated(bucket) {
      return replicated.has(bucket);
    },
  };
}

function context(s3: S3Gateway): StepContext {
  const connect = {
    listStorageConfigs: async (type: string) =>
      type === "CALL_RECORDINGS" ? [{ StorageType: "S3", S3Config: { BucketName: "rec", BucketPrefix: "connect/x/CallRecordings" } }] : [],
  } as unknown as ConnectGateway;
  return {
    request: { id: "r", instanceId: "i" } as ErasureRequest,
    scope: { contacts: [{ id: CONTACT, initialContactId: CONTACT, channel: "VOICE", initiatedAt: "2026-11-20T10:00:00Z", disconnectedAt: "2026-11-20T10:05:00Z", recordingLocations: [], hasCustomerEndpoint: false }] },
    earlierResults: new Map(),
    gateways: { connect, profiles: undefined, s3 },
    storageConfigs: createStorageConfigCache(60_000),
    requests: {} as RequestPort,
    config: parseConfig({}),
    now: () => new Date("2026-12-01T00:00:00Z"),
    logger: pino({ level: "silent" }),
    signal: new AbortController().signal,
  };
}

describe("delete-recordings classification", () => {
  it("turns refusals into object_lock, legal_hold, access_denied and flags a replicated bucket", async () => {
    const objects: Stored[] = [
      { bucket: "rec", key: `${DAY}${CONTACT}_a.wav`, versionId: "v1", deleteMarker: false },
      { bucket: "rec", key: `${DAY}${CONTACT}_a.wav`, versionId: "m1", deleteMarker: true },
      { bucket: "rec", key: `${DAY}${CONTACT}_lock.wav`, versionId: "v2", deleteMarker: false, refuse: "lock" },
      { bucket: "rec", key: `${DAY}${CONTACT}_hold.wav`, versionId: "v3", deleteMarker: false, refuse: "hold" },
      { bucket: "rec", key: `${DAY}${CONTACT}_denied.wav`, versionId: "v4", deleteMarker: false, refuse: "denied" },
      { bucket: "rec", key: `${DAY}someone-else.wav`, versionId: "v5", deleteMarker: false },
    ];
    const outcome = await deleteRecordingsStep(context(fakeS3(objects, new Set(["rec"]))));
    expect(outcome.kind).toBe("done");
    if (outcome.kind !== "done") return;
    const kinds = (outcome.result.residue ?? []).map((r) => r.kind).sort();
    expect(kinds).toEqual(["access_denied", "legal_hold", "object_lock", "replica_bucket"]);
    expect(outcome.result.residue?.find((r) => r.kind === "object_lock")?.until).toBe("2030-01-01T00:00:00.000Z");
    expect(outcome.counts).toMatchObject({ versionsDeleted: 1, deleteMarkersDeleted: 1, versionsBlocked: 3 });
    expect(objects.map((o) => o.versionId).sort()).toEqual(["v2", "v3", "v4", "v5"]);
  });

  it("fails verification (retryably) when a version it could not classify is left", async () => {
    const objects: Stored[] = [{ bucket: "rec", key: `${DAY}${CONTACT}_a.wav`, versionId: "v1", deleteMarker: false, sticky: true }];
    await expect(deleteRecordingsStep(context(fakeS3(objects, new Set())))).rejects.toMatchObject({ retryable: true });
  });
});
