/**
 * Caches the instance's S3 storage configurations. They are instance settings, not per contact, and
 * ListInstanceStorageConfigs has one of the smallest quotas (2 RPS): asking once per request would make it the
 * bottleneck of the whole executor.
 */
import type { InstanceStorageResourceType } from "@aws-sdk/client-connect";
import type { ConnectGateway } from "../aws/connect-gateway.ts";

export interface StorageLocation {
  bucket: string;
  /** Prefix without a trailing slash ("" for the bucket root). */
  prefix: string;
}

export interface StorageConfigCache {
  /** S3 locations configured for `resourceType` on the gateway's instance. */
  get(connect: ConnectGateway, instanceId: string, resourceType: InstanceStorageResourceType): Promise<StorageLocation[]>;
}

/** Creates a cache whose entries live `ttlMs`. */
export function createStorageConfigCache(ttlMs: number, clock: () => number = Date.now): StorageConfigCache {
  const entries = new Map<string, { at: number; value: Promise<StorageLocation[]> }>();
  return {
    get(connect, instanceId, resourceType) {
      const key = `${instanceId}|${resourceType}`;
      const hit = entries.get(key);
      if (hit && clock() - hit.at < ttlMs) return hit.value;
      const value = connect.listStorageConfigs(resourceType).then((configs) =>
        configs
          .filter((c) => c.StorageType === "S3" && c.S3Config?.BucketName)
          .map((c) => ({ bucket: c.S3Config?.BucketName ?? "", prefix: (c.S3Config?.BucketPrefix ?? "").replace(/^\/+|\/+$/g, "") })),
      );
      entries.set(key, { at: clock(), value });
      value.catch(() => entries.delete(key));
      return value;
    },
  };
}
