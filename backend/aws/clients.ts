/**
 * One SDK v3 client per service, built from Config. Endpoints come from config explicitly so the SDK's own
 * environment lookup (AWS_ENDPOINT_URL_*) is never the only source of truth; S3 uses path-style whenever an
 * endpoint override is set (emulator, MinIO, any S3-compatible server).
 */
import { ConnectClient } from "@aws-sdk/client-connect";
import { CustomerProfilesClient } from "@aws-sdk/client-customer-profiles";
import { S3Client } from "@aws-sdk/client-s3";
import type { Config } from "../config.ts";

export interface AwsClients {
  connect: ConnectClient;
  profiles: CustomerProfilesClient;
  s3: S3Client;
}

/** Credentials used against a loopback emulator; real deployments use the default provider chain (a role). */
const EMULATOR_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };

/**
 * Builds the three clients with small SDK retry counts and a per-call timeout (the job layer owns retries).
 * Services whose endpoint is `emulatorUrl` (the embedded emulator) get dummy credentials; every other
 * service uses the SDK's default credential chain (role, or AWS_ACCESS_KEY_ID for an S3-compatible server).
 */
export function createAwsClients(
  config: Pick<Config, "awsRegion" | "endpointConnect" | "endpointProfiles" | "endpointS3" | "awsMaxAttempts" | "awsTimeoutMs">,
  emulatorUrl?: string,
): AwsClients {
  const common = {
    region: config.awsRegion,
    maxAttempts: config.awsMaxAttempts,
    requestHandler: { requestTimeout: config.awsTimeoutMs, connectionTimeout: Math.min(config.awsTimeoutMs, 5000) },
  };
  const credentialsFor = (endpoint: string) =>
    emulatorUrl && endpoint === emulatorUrl ? { credentials: EMULATOR_CREDENTIALS } : {};
  return {
    connect: new ConnectClient({
      ...common,
      ...(config.endpointConnect ? { endpoint: config.endpointConnect } : {}),
      ...credentialsFor(config.endpointConnect),
    }),
    profiles: new CustomerProfilesClient({
      ...common,
      ...(config.endpointProfiles ? { endpoint: config.endpointProfiles } : {}),
      ...credentialsFor(config.endpointProfiles),
    }),
    s3: new S3Client({
      ...common,
      ...(config.endpointS3 ? { endpoint: config.endpointS3, forcePathStyle: true } : {}),
      ...credentialsFor(config.endpointS3),
    }),
  };
}
