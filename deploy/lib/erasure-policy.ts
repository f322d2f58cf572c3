/**
 * The one source of the backend role's IAM policy (reliability.md §5). The CDK stack attaches what this builds,
 * `scripts/write-iam-policy.ts` writes it with placeholders to `deploy/iam-policy.json` for teams that deploy by
 * other means, and the tests compare both against an explicit expected list, so the three cannot drift apart.
 */

/** What the policy is scoped to. Values may be literal names, CloudFormation tokens or `${Placeholder}` strings. */
export interface ErasurePolicyProps {
  /** AWS partition, `aws` unless GovCloud or China. */
  partition?: string;
  region: string;
  account: string;
  /** Amazon Connect instance id (the UUID, not the ARN). */
  instanceId: string;
  /** Instance alias: Connect writes recordings and transcripts under `connect/<alias>/`. */
  instanceAlias: string;
  /** Buckets holding call recordings, chat transcripts, screen recordings and Contact Lens output (deduplicated). */
  recordingBuckets: readonly string[];
  /** The one Customer Profiles domain linked to the instance; omit when the instance has none. */
  profilesDomain?: string;
  /** Role mapping through security profiles (`ROLE_SOURCE=connect`); on by default as §5 lists it. */
  securityProfileRoles?: boolean;
}

/** One IAM statement as it appears in a policy document. */
export interface PolicyStatementJson {
  Sid: string;
  Effect: "Allow" | "Deny";
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string[]>>;
}

/** An IAM policy document. */
export interface PolicyDocumentJson {
  Version: "2012-10-17";
  Statement: PolicyStatementJson[];
}

/** Actions that could weaken retention; denied on everything so no later grant can re-open them. */
export const RETENTION_DENY_ACTIONS = [
  "s3:BypassGovernanceRetention",
  "s3:PutBucketVersioning",
  "s3:PutLifecycleConfiguration",
  "s3:PutObjectLegalHold",
  "s3:PutBucketPolicy",
] as const;

/** Key prefixes the role may list and delete under, relative to each recording bucket. */
function erasurePrefixes(instanceAlias: string): string[] {
  return [`connect/${instanceAlias}/`, "Analysis/"];
}

/**
 * Builds the backend role's statements from the deployment's targets.
 * Every action is named (no wildcards); every Allow is scoped to the instance, the domain or the buckets' prefixes.
 */
function buildErasurePolicyStatements(props: ErasurePolicyProps): PolicyStatementJson[] {
  const partition = props.partition ?? "aws";
  const instanceArn = `arn:${partition}:connect:${props.region}:${props.account}:instance/${props.instanceId}`;
  const buckets = [...new Set(props.recordingBuckets)];
  if (buckets.length === 0) throw new Error("recordingBuckets must name at least one bucket");
  const prefixes = erasurePrefixes(props.instanceAlias);
  const bucketArns = buckets.map((b) => `arn:${partition}:s3:::${b}`);
  const objectArns = buckets.flatMap((b) => prefixes.map((p) => `arn:${partition}:s3:::${b}/${p}*`));

  const statements: PolicyStatementJson[] = [
    {
      Sid: "ConnectContacts",
      Effect: "Allow",
      Action: [
        "connect:DescribeContact",
        "connect:ListAssociatedContacts",
        "connect:GetContactAttributes",
        "connect:UpdateContactAttributes",
        "connect:DeleteContactData",
        "connect:UpdateContact",
        "connect:ListContactReferences",
      ],
      Resource: [`${instanceArn}/contact/*`],
    },
    {
      Sid: "ConnectInstance",
      Effect: "Allow",
      Action: ["connect:ListInstanceStorageConfigs", "connect:SearchUsers"],
      Resource: [instanceArn],
    },
    {
      Sid: "ConnectUsers",
      Effect: "Allow",
      Action: ["connect:DescribeUser"],
      Resource: [`${instanceArn}/agent/*`],
    },
  ];
  if (props.securityProfileRoles ?? true) {
    statements.push({
      Sid: "ConnectSecurityProfiles",
      Effect: "Allow",
      Action: ["connect:DescribeSecurityProfile", "connect:ListSecurityProfilePermissions"],
      Resource: [`${instanceArn}/security-profile/*`],
    });
  }
  statements.push(
    {
      Sid: "S3ListArtifactPrefixes",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:ListBucketVersions"],
      Resource: bucketArns,
      Condition: { StringLike: { "s3:prefix": prefixes.map((p) => `${p}*`) } },
    },
    {
      Sid: "S3InspectBuckets",
      Effect: "Allow",
      // GetReplicationConfiguration is beyond the §5 table: the executor reads replication to report replica residue.
      Action: ["s3:GetBucketVersioning", "s3:GetBucketObjectLockConfiguration", "s3:GetReplicationConfiguration"],
      Resource: bucketArns,
    },
    {
      Sid: "S3DeleteArtifacts",
      Effect: "Allow",
      Action: ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetObjectRetention", "s3:GetObjectLegalHold"],
      Resource: objectArns,
    },
  );
  if (props.profilesDomain) {
    const domainArn = `arn:${partition}:profile:${props.region}:${props.account}:domains/${props.profilesDomain}`;
    statements.push({
      Sid: "CustomerProfilesDomain",
      Effect: "Allow",
      Action: [
        "profile:SearchProfiles",
        "profile:DeleteProfile",
        "profile:ListProfileObjects",
        "profile:DeleteProfileObject",
        "profile:DeleteProfileKey",
        "profile:GetProfileObjectType",
      ],
      Resource: [domainArn, `${domainArn}/object-types/*`],
    });
  }
  statements.push({
    Sid: "NeverWeakenRetention",
    Effect: "Deny",
    Action: [...RETENTION_DENY_ACTIONS],
    Resource: ["*"],
  });
  return statements;
}

/** Wraps the statements in a policy document. */
export function buildErasurePolicyDocument(props: ErasurePolicyProps): PolicyDocumentJson {
  return { Version: "2012-10-17", Statement: buildErasurePolicyStatements(props) };
}

/** Placeholder values used for the published `deploy/iam-policy.json`. */
export const POLICY_PLACEHOLDERS: ErasurePolicyProps = {
  region: "${Region}",
  account: "${Account}",
  instanceId: "${InstanceId}",
  instanceAlias: "${InstanceAlias}",
  recordingBuckets: ["${RecordingBucket}"],
  profilesDomain: "${ProfilesDomain}",
};

/** The exact text of `deploy/iam-policy.json` (stable formatting, trailing newline). */
export function renderPolicyJson(): string {
  return `${JSON.stringify(buildErasurePolicyDocument(POLICY_PLACEHOLDERS), null, 2)}\n`;
}
