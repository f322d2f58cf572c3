import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectLegalHoldCommand,
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  NoSuchBucket,
  NoSuchKey,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3ServiceException,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Readable } from "node:stream";
import { control, startRig, type TestRig } from "./clients.ts";
import { ScenarioBuilder } from "../../backend/emulator/scenario.ts";

const FUTURE = "2099-01-01T00:00:00.000Z";

function scenario() {
  const b = new ScenarioBuilder({ id: "i-1", alias: "s3test" })
    .bucket("plain")
    .bucket("versioned", { versioning: "Enabled" })
    .bucket("suspended", { versioning: "Suspended" })
    .bucket("locked", { objectLock: true, replicatedTo: "arn:aws:s3:::replica-bucket" });
  b.object("locked", "gov.wav", "g", undefined, { retention: { Mode: "GOVERNANCE", RetainUntilDate: FUTURE } });
  b.object("locked", "comp.wav", "c", undefined, { retention: { Mode: "COMPLIANCE", RetainUntilDate: FUTURE } });
  b.object("locked", "held.wav", "h", undefined, { legalHold: "ON" });
  b.object("locked", "expired.wav", "e", undefined, { retention: { Mode: "COMPLIANCE", RetainUntilDate: "2020-01-01T00:00:00.000Z" } });
  return b.build();
}

async function allVersions(s3: S3Client, bucket: string, prefix?: string, maxKeys?: number) {
  const versions: { Key: string; VersionId: string; marker: boolean; latest: boolean }[] = [];
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  let pages = 0;
  for (;;) {
    const out = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, MaxKeys: maxKeys, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }));
    pages++;
    for (const v of out.Versions ?? []) versions.push({ Key: v.Key!, VersionId: v.VersionId!, marker: false, latest: v.IsLatest! });
    for (const m of out.DeleteMarkers ?? []) versions.push({ Key: m.Key!, VersionId: m.VersionId!, marker: true, latest: m.IsLatest! });
    if (!out.IsTruncated) break;
    keyMarker = out.NextKeyMarker;
    versionIdMarker = out.NextVersionIdMarker;
  }
  return { versions, pages };
}

describe("emulator: S3 over the real SDK", () => {
  let rig: TestRig;
  beforeAll(async () => {
    rig = await startRig({ scenario: scenario() });
  });
  afterAll(() => rig.close());
  beforeEach(() => rig.emulator.reset());

  it("keys with ':', '+', spaces and unicode round-trip through Put, Get, Head, List and Delete", async () => {
    const keys = ["connect/x/2026/11/20/c1_20261120T23:57_UTC.wav", "a+b c.json", "odd %2B&<>.txt", "ünï/çødé.txt", "dots/../and/./slashes//x?y#z"];
    for (const Key of keys) await rig.s3.send(new PutObjectCommand({ Bucket: "plain", Key, Body: `body:${Key}`, ContentType: "text/plain" }));
    for (const Key of keys) {
      const got = await rig.s3.send(new GetObjectCommand({ Bucket: "plain", Key }));
      expect(await got.Body?.transformToString()).toBe(`body:${Key}`);
      expect(got.ContentType).toBe("text/plain");
      const head = await rig.s3.send(new HeadObjectCommand({ Bucket: "plain", Key }));
      expect(head.ContentLength).toBe(Buffer.byteLength(`body:${Key}`));
    }
    const listed = await rig.s3.send(new ListObjectsV2Command({ Bucket: "plain" }));
    expect(listed.Contents?.map((c) => c.Key).sort()).toEqual([...keys].sort());
    expect(listed.KeyCount).toBe(5);
    for (const Key of keys) await rig.s3.send(new DeleteObjectCommand({ Bucket: "plain", Key }));
    const after = await rig.s3.send(new ListObjectsV2Command({ Bucket: "plain" }));
    expect(after.Contents ?? []).toEqual([]);
    expect(rig.emulator.state.s3.buckets.get("plain")?.objects.size).toBe(0);
  });

  it("accepts a streamed (aws-chunked) upload with a CRC32 checksum and no Content-MD5", async () => {
    const body = Readable.from([Buffer.from("chunk-one|"), Buffer.from("chunk-two")]);
    await rig.s3.send(new PutObjectCommand({ Bucket: "plain", Key: "stream.bin", Body: body, ContentLength: 19, ChecksumAlgorithm: "CRC32" }));
    const got = await rig.s3.send(new GetObjectCommand({ Bucket: "plain", Key: "stream.bin" }));
    expect(await got.Body?.transformToString()).toBe("chunk-one|chunk-two");
  });

  it("large (Expect: 100-continue) and empty bodies round-trip byte for byte", async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 7, 0xab);
    big.write("FAKE-start", 0);
    await rig.s3.send(new PutObjectCommand({ Bucket: "versioned", Key: "big.bin", Body: big }));
    const got = await rig.s3.send(new GetObjectCommand({ Bucket: "versioned", Key: "big.bin" }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(big)).toBe(true);
    await rig.s3.send(new PutObjectCommand({ Bucket: "versioned", Key: "empty", Body: "", ContentLength: 0 }));
    const head = await rig.s3.send(new HeadObjectCommand({ Bucket: "versioned", Key: "empty" }));
    expect(head.ContentLength).toBe(0);
    expect(head.ETag).toBe('"d41d8cd98f00b204e9800998ecf8427e"');
  });

  it("GetObject of a missing key is NoSuchKey, a missing bucket NoSuchBucket, HEAD 404 has no body", async () => {
    await expect(rig.s3.send(new GetObjectCommand({ Bucket: "plain", Key: "missing" }))).rejects.toBeInstanceOf(NoSuchKey);
    await expect(rig.s3.send(new ListObjectsV2Command({ Bucket: "nope" }))).rejects.toBeInstanceOf(NoSuchBucket);
    const head = await rig.s3.send(new HeadObjectCommand({ Bucket: "plain", Key: "missing" })).catch((e: S3ServiceException) => e);
    expect((head as S3ServiceException).name).toBe("NotFound");
    expect((head as S3ServiceException).$metadata.httpStatusCode).toBe(404);
    const hb = await rig.s3.send(new HeadBucketCommand({ Bucket: "nope" })).catch((e: S3ServiceException) => e);
    expect((hb as S3ServiceException).name).toBe("NotFound");
    const ok = await rig.s3.send(new HeadBucketCommand({ Bucket: "versioned" }));
    expect(ok.BucketRegion).toBe("eu-west-2");
  });

  it("versioning: Get/PutBucketVersioning for never-versioned, Enabled and Suspended buckets", async () => {
    expect((await rig.s3.send(new GetBucketVersioningCommand({ Bucket: "plain" }))).Status).toBeUndefined();
    expect((await rig.s3.send(new GetBucketVersioningCommand({ Bucket: "versioned" }))).Status).toBe("Enabled");
    await rig.s3.send(new PutBucketVersioningCommand({ Bucket: "plain", VersioningConfiguration: { Status: "Enabled" } }));
    expect((await rig.s3.send(new GetBucketVersioningCommand({ Bucket: "plain" }))).Status).toBe("Enabled");
    const err = await rig.s3
      .send(new PutBucketVersioningCommand({ Bucket: "locked", VersioningConfiguration: { Status: "Suspended" } }))
      .catch((e: S3ServiceException) => e);
    expect((err as S3ServiceException).name).toBe("InvalidBucketState");
  });

  it("a versioned delete without versionId adds a marker, even for a missing key", async () => {
    const put = await rig.s3.send(new PutObjectCommand({ Bucket: "versioned", Key: "k", Body: "v1" }));
    expect(put.VersionId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const del = await rig.s3.send(new DeleteObjectCommand({ Bucket: "versioned", Key: "k" }));
    expect(del.DeleteMarker).toBe(true);
    expect(del.VersionId).toBeDefined();
    const missing = await rig.s3.send(new DeleteObjectCommand({ Bucket: "versioned", Key: "never-existed" }));
    expect(missing.DeleteMarker).toBe(true);
    const err = await rig.s3.send(new GetObjectCommand({ Bucket: "versioned", Key: "k" })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoSuchKey);
    const old = await rig.s3.send(new GetObjectCommand({ Bucket: "versioned", Key: "k", VersionId: put.VersionId }));
    expect(await old.Body?.transformToString()).toBe("v1");
    const { versions } = await allVersions(rig.s3, "versioned");
    expect(versions.filter((v) => v.marker).map((v) => v.Key).sort()).toEqual(["k", "never-existed"]);
  });

  it("suspended bucket: delete replaces the null version with a null marker", async () => {
    await rig.s3.send(new PutObjectCommand({ Bucket: "suspended", Key: "n", Body: "x" }));
    const del = await rig.s3.send(new DeleteObjectCommand({ Bucket: "suspended", Key: "n" }));
    expect([del.DeleteMarker, del.VersionId]).toEqual([true, "null"]);
    const { versions } = await allVersions(rig.s3, "suspended");
    expect(versions).toEqual([{ Key: "n", VersionId: "null", marker: true, latest: true }]);
  });

  it("deleting every version and marker by VersionId leaves nothing in ListObjectVersions (paged)", async () => {
    for (let i = 0; i < 3; i++) {
      for (let v = 0; v < 3; v++) await rig.s3.send(new PutObjectCommand({ Bucket: "versioned", Key: `rec/${i}.wav`, Body: `v${v}` }));
      await rig.s3.send(new DeleteObjectCommand({ Bucket: "versioned", Key: `rec/${i}.wav` }));
    }
    await rig.s3.send(new PutObjectCommand({ Bucket: "versioned", Key: "other/keep.wav", Body: "keep" }));
    const { versions, pages } = await allVersions(rig.s3, "versioned", "rec/", 5);
    expect(versions).toHaveLength(12);
    expect(pages).toBe(3);
    expect(versions.filter((v) => v.latest && v.marker)).toHaveLength(3);
    const half = versions.slice(0, 6);
    for (const v of half) await rig.s3.send(new DeleteObjectCommand({ Bucket: "versioned", Key: v.Key, VersionId: v.VersionId }));
    const rest = versions.slice(6);
    const out = await rig.s3.send(
      new DeleteObjectsCommand({ Bucket: "versioned", Delete: { Objects: rest.map((v) => ({ Key: v.Key, VersionId: v.VersionId })) } }),
    );
    expect(out.Errors ?? []).toEqual([]);
    expect(out.Deleted).toHaveLength(6);
    expect(out.Deleted?.filter((d) => d.DeleteMarker).every((d) => d.DeleteMarkerVersionId === d.VersionId)).toBe(true);
    expect((await allVersions(rig.s3, "versioned", "rec/")).versions).toEqual([]);
    expect((await allVersions(rig.s3, "versioned")).versions.map((v) => v.Key)).toEqual(["other/keep.wav"]);
    const deletes = rig.emulator.journal().filter((e) => e.operation === "DeleteObjects");
    expect(deletes).toHaveLength(1);
    expect((deletes[0]!.ids.deleted as unknown[]).length).toBe(6);
  });

  it("ListObjectsV2 pages with continuation tokens and groups common prefixes", async () => {
    for (let i = 0; i < 7; i++) await rig.s3.send(new PutObjectCommand({ Bucket: "plain", Key: `p/${i}.txt`, Body: "x" }));
    await rig.s3.send(new PutObjectCommand({ Bucket: "plain", Key: "p/sub/a.txt", Body: "x" }));
    await rig.s3.send(new PutObjectCommand({ Bucket: "plain", Key: "p/sub/b.txt", Body: "x" }));
    const keys: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await rig.s3.send(new ListObjectsV2Command({ Bucket: "plain", Prefix: "p/", MaxKeys: 3, ContinuationToken: token }));
      keys.push(...(out.Contents ?? []).map((c) => c.Key!));
      token = out.NextContinuationToken;
      pages++;
    } while (token);
    expect(keys).toHaveLength(9);
    expect(pages).toBe(3);
    const grouped = await rig.s3.send(new ListObjectsV2Command({ Bucket: "plain", Prefix: "p/", Delimiter: "/" }));
    expect(grouped.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["p/sub/"]);
    expect(grouped.Contents).toHaveLength(7);
  });

  it("Object Lock: retention and legal hold refuse version deletes; governance yields only to the bypass header", async () => {
    const { versions } = await allVersions(rig.s3, "locked");
    const byKey = Object.fromEntries(versions.map((v) => [v.Key, v.VersionId]));
    const denied = await rig.s3.send(new DeleteObjectCommand({ Bucket: "locked", Key: "comp.wav", VersionId: byKey["comp.wav"] })).catch((e: S3ServiceException) => e);
    expect((denied as S3ServiceException).name).toBe("AccessDenied");
    expect((denied as S3ServiceException).$metadata.httpStatusCode).toBe(403);

    const out = await rig.s3.send(
      new DeleteObjectsCommand({
        Bucket: "locked",
        Delete: { Objects: ["gov.wav", "comp.wav", "held.wav", "expired.wav"].map((Key) => ({ Key, VersionId: byKey[Key] })) },
      }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.Errors?.map((e) => [e.Key, e.Code]).sort()).toEqual([
      ["comp.wav", "AccessDenied"],
      ["gov.wav", "AccessDenied"],
      ["held.wav", "AccessDenied"],
    ]);
    expect(out.Deleted?.map((d) => d.Key)).toEqual(["expired.wav"]);

    const bypassed = await rig.s3.send(
      new DeleteObjectsCommand({
        Bucket: "locked",
        BypassGovernanceRetention: true,
        Delete: { Objects: ["gov.wav", "comp.wav"].map((Key) => ({ Key, VersionId: byKey[Key] })) },
      }),
    );
    expect(bypassed.Deleted?.map((d) => d.Key)).toEqual(["gov.wav"]);
    expect(bypassed.Errors?.map((e) => e.Key)).toEqual(["comp.wav"]);

    const retention = await rig.s3.send(new GetObjectRetentionCommand({ Bucket: "locked", Key: "comp.wav", VersionId: byKey["comp.wav"] }));
    expect(retention.Retention?.Mode).toBe("COMPLIANCE");
    expect(retention.Retention?.RetainUntilDate?.toISOString()).toBe(FUTURE);
    const hold = await rig.s3.send(new GetObjectLegalHoldCommand({ Bucket: "locked", Key: "held.wav" }));
    expect(hold.LegalHold?.Status).toBe("ON");
    const cfg = await rig.s3.send(new GetObjectLockConfigurationCommand({ Bucket: "locked" }));
    expect(cfg.ObjectLockConfiguration?.ObjectLockEnabled).toBe("Enabled");
    const none = await rig.s3.send(new GetObjectLockConfigurationCommand({ Bucket: "versioned" })).catch((e: S3ServiceException) => e);
    expect((none as S3ServiceException).name).toBe("ObjectLockConfigurationNotFoundError");
    expect(rig.emulator.state.s3.buckets.get("locked")?.ReplicatedTo).toBe("arn:aws:s3:::replica-bucket");
  });

  it("retention expires when the emulator clock passes RetainUntilDate", async () => {
    const { versions } = await allVersions(rig.s3, "locked", "comp.wav");
    const del = () => rig.s3.send(new DeleteObjectCommand({ Bucket: "locked", Key: "comp.wav", VersionId: versions[0]!.VersionId }));
    await expect(del()).rejects.toMatchObject({ name: "AccessDenied" });
    const moved = await control<{ now: string }>(rig.emulator, "POST", "/_emulator/clock", { advanceMs: Date.parse(FUTURE) - Date.now() + 60_000 });
    expect(Date.parse(moved.body.now)).toBeGreaterThan(Date.parse(FUTURE));
    await del();
    await control(rig.emulator, "POST", "/_emulator/clock", { advanceMs: -(Date.parse(moved.body.now) - Date.now()) });
    expect((await allVersions(rig.s3, "locked", "comp.wav")).versions).toEqual([]);
  });

  it("GetBucketReplication reports the replicatedTo destination, or ReplicationConfigurationNotFoundError", async () => {
    const out = await rig.s3.send(new GetBucketReplicationCommand({ Bucket: "locked" }));
    expect(out.ReplicationConfiguration?.Rules?.map((r) => [r.Status, r.Destination?.Bucket, r.DeleteMarkerReplication?.Status])).toEqual([
      ["Enabled", "arn:aws:s3:::replica-bucket", "Disabled"],
    ]);
    const none = await rig.s3.send(new GetBucketReplicationCommand({ Bucket: "versioned" })).catch((e: S3ServiceException) => e);
    expect((none as S3ServiceException).name).toBe("ReplicationConfigurationNotFoundError");
    expect((none as S3ServiceException).$metadata.httpStatusCode).toBe(404);
  });
});
