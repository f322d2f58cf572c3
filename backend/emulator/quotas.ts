/**
 * Token-bucket quotas per operation with the documented defaults (aws-facts §10). Connect and Customer
 * Profiles quotas are per account and Region (one bucket per operation); S3 partitions per bucket, with reads
 * and writes counted separately. `scale` multiplies rate and burst so tests can run at realistic ratios
 * without waiting whole seconds.
 */

export interface QuotaSettings {
  enabled: boolean;
  scale: number;
}

export interface Limit {
  rate: number;
  burst: number;
}

const CONNECT_DEFAULT: Limit = { rate: 2, burst: 5 };
const CONNECT: Record<string, Limit> = {
  GetContactAttributes: { rate: 10, burst: 15 },
  UpdateContactAttributes: { rate: 10, burst: 15 },
  DescribeContact: { rate: 10, burst: 15 },
  StopContact: { rate: 10, burst: 15 },
  UpdateContact: { rate: 10, burst: 15 },
  ListContactReferences: { rate: 10, burst: 15 },
  BatchPutContact: { rate: 10, burst: 15 },
  SearchContacts: { rate: 0.5, burst: 1 },
  TagContact: { rate: 20, burst: 25 },
  UntagContact: { rate: 20, burst: 25 },
};

const PROFILES_DEFAULT: Limit = { rate: 100, burst: 100 };
const PROFILES: Record<string, Limit> = {
  GetProfileObjectType: { rate: 10, burst: 10 },
  ListDomains: { rate: 5, burst: 5 },
  ListProfileObjectTypes: { rate: 5, burst: 5 },
};

const S3_READ: Limit = { rate: 5500, burst: 5500 };
const S3_WRITE: Limit = { rate: 3500, burst: 3500 };
const S3_WRITES = new Set(["PutObject", "DeleteObject", "DeleteObjects", "PutBucketVersioning", "CreateBucket", "PutObjectRetention", "PutObjectLegalHold"]);

/** The unscaled default limit of an operation. */
function defaultLimit(service: string, op: string): Limit {
  if (service === "connect") return CONNECT[op] ?? CONNECT_DEFAULT;
  if (service === "profile") return PROFILES[op] ?? PROFILES_DEFAULT;
  return S3_WRITES.has(op) ? S3_WRITE : S3_READ;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
  limit: Limit;
}

/** Token buckets of one emulator, created lazily per operation (and S3 bucket) on first use. */
export class Quotas {
  private settings: QuotaSettings;
  private buckets = new Map<string, Bucket>();
  private readonly nowMs: () => number;

  constructor(settings: QuotaSettings, nowMs: () => number) {
    this.settings = { ...settings };
    this.nowMs = nowMs;
  }

  /** Changes enablement or scale; buckets restart full so a new scale takes effect at once. */
  configure(settings: QuotaSettings): void {
    this.settings = { ...settings };
    this.buckets.clear();
  }

  current(): QuotaSettings {
    return { ...this.settings };
  }

  /** The effective (scaled) limit of an operation. */
  limitFor(service: string, op: string): Limit {
    const base = defaultLimit(service, op);
    return { rate: base.rate * this.settings.scale, burst: Math.max(1, base.burst * this.settings.scale) };
  }

  /** Takes `cost` tokens; false means the caller must answer with the service's throttling error. */
  take(service: string, op: string, partition: string | undefined, cost = 1): boolean {
    if (!this.settings.enabled) return true;
    const name = service === "s3" ? `s3:${S3_WRITES.has(op) ? "write" : "read"}:${partition ?? ""}` : `${service}:${op}`;
    const now = this.nowMs();
    let bucket = this.buckets.get(name);
    if (!bucket) {
      const limit = this.limitFor(service, op);
      bucket = { tokens: limit.burst, updatedMs: now, limit };
      this.buckets.set(name, bucket);
    }
    bucket.tokens = Math.min(bucket.limit.burst, bucket.tokens + ((now - bucket.updatedMs) / 1000) * bucket.limit.rate);
    bucket.updatedMs = now;
    const needed = Math.min(cost, bucket.limit.burst);
    if (bucket.tokens < needed) return false;
    bucket.tokens -= needed;
    return true;
  }

  /** Refills every bucket (used by reset). */
  refill(): void {
    this.buckets.clear();
  }
}
