/**
 * Default AWS request quotas per operation (aws-facts.md §10), the budget the shared rate limiter enforces.
 * Quotas are per account and Region, so every worker of one deployment shares them.
 */

export interface Quota {
  /** Sustained requests per second. */
  rate: number;
  /** Requests that may be sent at once after a quiet period. */
  burst: number;
}

const CONNECT_DEFAULT: Quota = { rate: 2, burst: 5 };
const PROFILES_DEFAULT: Quota = { rate: 100, burst: 100 };

/** Operations with a documented quota different from their service default. */
const QUOTAS: Readonly<Record<string, Quota>> = {
  DescribeContact: { rate: 10, burst: 15 },
  GetContactAttributes: { rate: 10, burst: 15 },
  UpdateContactAttributes: { rate: 10, burst: 15 },
  UpdateContact: { rate: 10, burst: 15 },
  ListContactReferences: { rate: 10, burst: 15 },
  ListAssociatedContacts: CONNECT_DEFAULT,
  ListInstanceStorageConfigs: CONNECT_DEFAULT,
  DeleteContactData: CONNECT_DEFAULT,
  SearchProfiles: PROFILES_DEFAULT,
  ListProfileObjects: PROFILES_DEFAULT,
  DeleteProfile: PROFILES_DEFAULT,
  // S3: per prefix partition; the account-wide figure is far higher than anything one erasure needs.
  ListObjectVersions: { rate: 5500, burst: 5500 },
  GetObjectRetention: { rate: 5500, burst: 5500 },
  GetObjectLegalHold: { rate: 5500, burst: 5500 },
  GetBucketReplication: { rate: 5500, burst: 5500 },
  DeleteObjects: { rate: 3500, burst: 3500 },
};

/** The quota of `operation` scaled by `scale` (config QUOTA_SCALE); unknown Connect operations get 2 / 5. */
export function quotaFor(operation: string, scale: number): Quota {
  const base = QUOTAS[operation] ?? CONNECT_DEFAULT;
  return { rate: base.rate * scale, burst: Math.max(1, Math.floor(base.burst * scale)) };
}
