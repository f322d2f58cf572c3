/**
 * A worker process for crash tests: `node --import tsx worker-child.ts <databaseUrl> <emulatorUrl> <leaseMs>`
 * (crash.test.ts runs an esbuild bundle of it for a faster start).
 * Prints "ready" once the worker loop runs; the parent kills it (SIGKILL) or pauses it (SIGSTOP) at will.
 */
import pino from "pino";
import { createAwsClients } from "../../../backend/aws/clients.ts";
import { startWorker } from "../../../backend/erasure/worker.ts";
import { openDatabase } from "../../../backend/store/database.ts";
import { executorTestConfig } from "./harness.ts";

const [databaseUrl = "", emulatorUrl = "", leaseMs = "1000"] = process.argv.slice(2);
const config = executorTestConfig(databaseUrl, emulatorUrl, { LEASE_MS: leaseMs });
const store = openDatabase(databaseUrl);
startWorker(
  { config, db: store.db, clients: createAwsClients(config, emulatorUrl), logger: pino({ level: "warn" }, pino.destination(2)) },
  { backoffBaseMs: 50, backoffCapMs: 500, concurrency: 4 },
);
process.stdout.write("ready\n");
