/**
 * The deployment's inputs, read from CDK context (`cdk.json` or `-c key=value`) and checked once, so a bad value is
 * reported before CloudFormation sees it. Every problem is listed together, like `backend/config.ts` does.
 */

/** Everything the stack needs to know about the target instance and its surroundings. */
export interface ErasureDeployProps {
  account: string;
  region: string;
  /** Amazon Connect instance id (UUID); an instance ARN in context is reduced to its id. */
  connectInstanceId: string;
  /** Instance alias (the `<alias>` in `connect/<alias>/CallRecordings`). */
  connectInstanceAlias: string;
  /** Buckets with call recordings, chat transcripts, screen recordings and Contact Lens output. */
  recordingBuckets: string[];
  /** Customer Profiles domain linked to the instance (optional). */
  profilesDomain?: string;
  oidcIssuer: string;
  oidcAudience: string;
  oidcClientId: string;
  /** Further IdP origins the browser calls (Cognito hosted-UI domain); added to CSP connect-src and form-action. */
  idpOrigins: string[];
  /** Token claim holding the user's groups (`cognito:groups` for Cognito). */
  roleClaim: string;
  supervisorGroups: string[];
  agentGroups: string[];
  /** Origins allowed to frame the app: the instance's agent-workspace origins, never `*`. */
  frameAncestors: string[];
  /** Container image of the backend (ECR URI with tag or digest). */
  backendImage: string;
  /** DNS name of the API load balancer, covered by `apiCertificateArn` (CloudFront forwards `/api/*` to it). */
  apiDomainName: string;
  /** ACM certificate (in the stack's Region) for `apiDomainName`. */
  apiCertificateArn: string;
  /** Optional custom name for the app; its certificate must be in us-east-1. */
  appDomainName?: string;
  appCertificateArn?: string;
  /** Number of backend tasks (each runs the API and a worker; steps are leased, so N > 1 is safe). */
  desiredCount: number;
  /** Days to keep backend and database logs. */
  logRetentionDays: number;
  /** Whether the database runs in two availability zones. */
  databaseMultiAz: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const INSTANCE_ARN = /^arn:aws[a-z-]*:connect:([a-z0-9-]+):(\d{12}):instance\/([0-9a-f-]{36})$/;
const ORIGIN = /^https:\/\/(\*\.)?[a-z0-9.-]+(:\d+)?$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Retention periods CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

type Lookup = (key: string) => unknown;

function text(lookup: Lookup, key: string): string {
  const value = lookup(key);
  if (value === undefined || value === null) return "";
  return String(value).trim();
}

function list(lookup: Lookup, key: string): string[] {
  const value = lookup(key);
  if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter((v) => v.length > 0);
  return text(lookup, key)
    .split(/[\s,]+/)
    .filter((v) => v.length > 0);
}

function listOr(lookup: Lookup, key: string, fallback: string[]): string[] {
  const values = list(lookup, key);
  return values.length > 0 ? values : fallback;
}

/**
 * Reads and validates the deployment inputs from CDK context.
 * @throws Error naming every missing or malformed value.
 */
export function propsFromContext(lookup: Lookup): ErasureDeployProps {
  const problems: string[] = [];
  const required = (key: string): string => {
    const value = text(lookup, key);
    if (!value) problems.push(`context "${key}" is required`);
    return value;
  };

  let account = text(lookup, "account");
  let region = text(lookup, "region");
  let connectInstanceId = text(lookup, "connectInstanceId");
  const instanceArn = text(lookup, "connectInstanceArn");
  if (instanceArn) {
    const match = INSTANCE_ARN.exec(instanceArn);
    if (!match) problems.push(`context "connectInstanceArn" is not an instance ARN: ${instanceArn}`);
    else {
      const [, arnRegion = "", arnAccount = "", arnId = ""] = match;
      if (region && region !== arnRegion) problems.push(`region ${region} differs from the instance ARN's ${arnRegion}`);
      if (account && account !== arnAccount) problems.push(`account ${account} differs from the instance ARN's ${arnAccount}`);
      region ||= arnRegion;
      account ||= arnAccount;
      connectInstanceId ||= arnId;
    }
  }
  if (!account) problems.push('context "account" (or "connectInstanceArn") is required');
  else if (!/^\d{12}$/.test(account)) problems.push(`context "account" must be 12 digits, got ${account}`);
  if (!region) problems.push('context "region" (or "connectInstanceArn") is required');
  if (!connectInstanceId) problems.push('context "connectInstanceId" (or "connectInstanceArn") is required');
  else if (!UUID.test(connectInstanceId)) problems.push(`context "connectInstanceId" must be the instance UUID, got ${connectInstanceId}`);

  const connectInstanceAlias = required("connectInstanceAlias");
  if (connectInstanceAlias && !/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,61}$/.test(connectInstanceAlias)) {
    problems.push(`context "connectInstanceAlias" is not a Connect alias: ${connectInstanceAlias}`);
  }
  const recordingBuckets = [...new Set(list(lookup, "recordingBuckets"))];
  if (recordingBuckets.length === 0) problems.push('context "recordingBuckets" must name at least one bucket');
  for (const b of recordingBuckets) if (!BUCKET.test(b)) problems.push(`"${b}" is not an S3 bucket name`);

  const profilesDomain = text(lookup, "profilesDomain");
  if (profilesDomain && !/^[a-zA-Z0-9_-]{1,64}$/.test(profilesDomain)) {
    problems.push(`context "profilesDomain" is not a domain name: ${profilesDomain}`);
  }

  const oidcIssuer = required("oidcIssuer");
  if (oidcIssuer && !oidcIssuer.startsWith("https://")) problems.push('context "oidcIssuer" must be an https URL');
  const frameAncestors = list(lookup, "frameAncestors");
  if (frameAncestors.length === 0) problems.push('context "frameAncestors" must list the instance origins');
  for (const o of frameAncestors) {
    if (!ORIGIN.test(o)) problems.push(`frame ancestor "${o}" must be an https origin (no path, no bare *)`);
  }

  const idpOrigins = list(lookup, "idpOrigins");
  for (const o of idpOrigins) if (!ORIGIN.test(o)) problems.push(`IdP origin "${o}" must be an https origin`);

  const appDomainName = text(lookup, "appDomainName");
  const appCertificateArn = text(lookup, "appCertificateArn");
  if (Boolean(appDomainName) !== Boolean(appCertificateArn)) {
    problems.push('"appDomainName" and "appCertificateArn" go together');
  }
  if (appCertificateArn && !appCertificateArn.includes(":us-east-1:")) {
    problems.push('"appCertificateArn" must be in us-east-1 (CloudFront)');
  }

  const number = (key: string, fallback: number, min: number, max: number): number => {
    const raw = text(lookup, key);
    if (!raw) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) problems.push(`context "${key}" must be an integer in ${min}..${max}`);
    return n;
  };

  const retention = (days: number): number => {
    if (!LOG_RETENTION_DAYS.includes(days)) problems.push(`context "logRetentionDays" must be one of ${LOG_RETENTION_DAYS.join(", ")}`);
    return days;
  };

  const props: ErasureDeployProps = {
    account,
    region,
    connectInstanceId,
    connectInstanceAlias,
    recordingBuckets,
    ...(profilesDomain ? { profilesDomain } : {}),
    oidcIssuer,
    oidcAudience: required("oidcAudience"),
    oidcClientId: required("oidcClientId"),
    idpOrigins,
    roleClaim: text(lookup, "roleClaim") || "cognito:groups",
    supervisorGroups: listOr(lookup, "supervisorGroups", ["erasure-supervisors"]),
    agentGroups: listOr(lookup, "agentGroups", ["erasure-agents"]),
    frameAncestors,
    backendImage: required("backendImage"),
    apiDomainName: required("apiDomainName"),
    apiCertificateArn: required("apiCertificateArn"),
    ...(appDomainName && appCertificateArn ? { appDomainName, appCertificateArn } : {}),
    desiredCount: number("desiredCount", 2, 1, 20),
    logRetentionDays: retention(number("logRetentionDays", 90, 1, 3653)),
    databaseMultiAz: text(lookup, "databaseMultiAz") === "true",
  };
  if (problems.length > 0) throw new Error(`Invalid deployment context:\n  - ${problems.join("\n  - ")}`);
  return props;
}
