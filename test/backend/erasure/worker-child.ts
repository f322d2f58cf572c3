/**
 * A worker process for crash tests: `node --import tsx worker-child.ts <databaseUrl> <emulatorUrl> <leaseMs>`
 * (crash.test.ts runs an esbuild bundle of it for a faster start).
 * Prints "ready" once the worker loop runs; the parent kills it (SIGKILL) or pauses it (SIGSTOP) at will.
 */
import pino from "pino";
import { createAwsClients } from "../../../backend/aws/clients.ts";
import { parseConfig } from "../../../backend/config.ts";
import { startWorker } from "../../../backend/erasure/worker.ts";
import { openDatabase } from "../../../backend/store/database.ts";
import { DOMAIN, INSTANCE_ID } from "./harness.ts";

const [databaseUrl = "", emulatorUrl = "", leaseMs = "1000"] = process.argv.slice(2);
const config = parseConfig({
  DATABASE_URL: databaseUrl,
  AWS_ENDPOINT_URL_CONNECT: emulatorUrl,
  AWS_ENDPOINT_URL_CUSTOMER_PROFILES: emulatorUrl,
  AWS_ENDPOINT_URL_S3: emulatorUrl,
  CONNECT_INSTANCE_ID: INSTANCE_ID,
  CUSTOMER_PROFILES_DOMAIN: DOMAIN,
  AUDIT_HMAC_KEY: "executor-test-key",
  AWS_MAX_ATTEMPTS: "1",
  SETTLE_SECONDS: "0",
  WORKER_POLL_MS: "20",
  LEASE_MS: leaseMs,
});
const store = openDatabase(databaseUrl);
startWorker(
  { config, db: store.db, clients: createAwsClients(config, emulatorUrl), logger: pino({ level: "warn" }, pino.destination(2)) },
  { backoffBaseMs: 50, backoffCapMs: 500, concurrency: 4 },
);
process.stdout.write("ready\n");
