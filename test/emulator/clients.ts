/** SDK clients pointed at a test emulator, configured as aws-facts §12 prescribes (no retries). */
import { ConnectClient } from "@aws-sdk/client-connect";
import { CustomerProfilesClient } from "@aws-sdk/client-customer-profiles";
import { S3Client } from "@aws-sdk/client-s3";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../backend/emulator/server.ts";

export interface TestRig {
  emulator: RunningEmulator;
  connect: ConnectClient;
  profiles: CustomerProfilesClient;
  s3: S3Client;
  close(): Promise<void>;
}

/** Starts an emulator on port 0 and builds the three real SDK clients against it. */
export async function startRig(options: EmulatorOptions = {}): Promise<TestRig> {
  const emulator = await startEmulator({ port: 0, ...options });
  const common = {
    region: "eu-west-2",
    endpoint: emulator.url,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  };
  const connect = new ConnectClient(common);
  const profiles = new CustomerProfilesClient(common);
  const s3 = new S3Client({ ...common, forcePathStyle: true });
  return {
    emulator,
    connect,
    profiles,
    s3,
    async close() {
      connect.destroy();
      profiles.destroy();
      s3.destroy();
      await emulator.close();
    },
  };
}

/** Calls the control API with JSON. */
export async function control<T = unknown>(emulator: RunningEmulator, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${emulator.url}${path}`, {
    method,
    ...(body !== undefined ? { headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}
