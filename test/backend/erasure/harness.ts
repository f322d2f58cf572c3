/**
 * Test harness of the executor: a scenario on a real emulator over HTTP, a fresh migrated database, real SDK
 * clients, a captured pino log, and a worker. Every run is torn down by `close()`.
 */
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import pino, { type Logger } from "pino";
import { createAwsClients, type AwsClients } from "../../../backend/aws/clients.ts";
import { parseConfig, type Config } from "../../../backend/config.ts";
import type { ErasureRequest } from "../../../backend/domain/request.ts";
import { ScenarioBuilder } from "../../../backend/emulator/scenario.ts";
import { startEmulator, type RunningEmulator, type Scenario } from "../../../backend/emulator/server.ts";
import { startWorker, type RunningWorker, type WorkerOptions } from "../../../backend/erasure/worker.ts";
import { getRequest } from "../../../backend/requests/request-service.ts";
import { createTestDatabase, type DialectName, type TestDatabase } from "../../support/db.ts";

export const INSTANCE_ID = "e7a5e000-0000-4000-8000-000000000001";
export const DOMAIN = "erasure-test-domain";
export const BUCKET = "erasure-test-recordings";
export const AGENTS = ["agent.alice", "agent.bob", "agent.carol"];
/** Marker values standing in for caller data: none may appear in the database or the logs. */
export const MARKER_PHONE = "+447700900555";
export const MARKER_VALUE = "PII-MARKER-3f9c1d";

/** A builder with one instance, users, a versioned recordings bucket used for all artifact types, and a domain. */
export function baseScenario(options: { objectLock?: boolean; replicatedTo?: string } = {}): ScenarioBuilder {
  const b = new ScenarioBuilder({ id: INSTANCE_ID, alias: "erasuretest" })
    .bucket(BUCKET, {
      ...(options.objectLock ? { objectLock: true as const } : { versioning: "Enabled" as const }),
      ...(options.replicatedTo ? { replicatedTo: options.replicatedTo } : {}),
    })
    .storage("CALL_RECORDINGS", BUCKET)
    .storage("CHAT_TRANSCRIPTS", BUCKET)
    .storage("SCREEN_RECORDINGS", BUCKET)
    .profilesDomain(DOMAIN, "CTR");
  AGENTS.forEach((username, i) => b.user({ Id: `a0000000-0000-4000-8000-00000000000${i + 1}`, Username: username }));
  return b;
}

/**
 * The worker config of executor tests (harness and crash-test child alike): every AWS endpoint on the emulator,
 * one SDK attempt so retries are the worker's own, no settle wait and fast polling so runs finish quickly.
 */
export function executorTestConfig(databaseUrl: string, emulatorUrl: string, env: Record<string, string> = {}): Config {
  return parseConfig({
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
    LEASE_MS: "5000",
    ...env,
  });
}

export interface Harness {
  emulator: RunningEmulator;
  store: TestDatabase;
  config: Config;
  clients: AwsClients;
  logger: Logger;
  logLines: string[];
  /** Starts a worker on the harness; `clock` replaces the worker's clock (lease and backoff times). */
  startWorker(options?: WorkerOptions & { clock?: () => Date }): RunningWorker;
  waitForStatus(requestId: string, statuses: readonly string[], timeoutMs?: number): Promise<ErasureRequest>;
  close(): Promise<void>;
}

/** Starts emulator + database; the worker is started by the test (`startWorker`). */
export async function createHarness(
  dialect: DialectName,
  scenario: Scenario,
  env: Record<string, string> = {},
  emulatorOptions: { quotas?: { enabled: boolean; scale: number } } = {},
): Promise<Harness> {
  const emulator = await startEmulator({ scenario, ...emulatorOptions });
  const store = await createTestDatabase(dialect);
  const config = executorTestConfig(store.databaseUrl, emulator.url, env);
  const clients = createAwsClients(config, emulator.url);
  const logLines: string[] = [];
  const logger = pino(
    { level: "debug" },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString());
        done();
      },
    }),
  );
  const workers: RunningWorker[] = [];
  return {
    emulator,
    store,
    config,
    clients,
    logger,
    logLines,
    startWorker({ clock, ...options } = {}) {
      const worker = startWorker(
        { config, db: store.db, clients, logger, ...(clock ? { clock } : {}) },
        { backoffBaseMs: 50, backoffCapMs: 1000, owner: `test-${randomUUID().slice(0, 6)}`, ...options },
      );
      workers.push(worker);
      return worker;
    },
    async waitForStatus(requestId, statuses, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const request = await getRequest(store.db, requestId);
        if (statuses.includes(request.status)) return request;
        if (Date.now() > deadline) throw new Error(`request stayed ${request.status} (waiting for ${statuses.join("|")})`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async close() {
      await Promise.all(workers.map((w) => w.stop()));
      clients.connect.destroy();
      clients.profiles.destroy();
      clients.s3.destroy();
      await emulator.close();
      await store.destroy();
    },
  };
}

/** Every row of every table, as one JSON string (for the no-PII check). */
export async function dumpDatabase(store: TestDatabase): Promise<string> {
  const tables = ["erasure_requests", "erasure_steps", "request_contacts", "audit_log", "audit_head"] as const;
  const parts: unknown[] = [];
  for (const table of tables) parts.push(await store.db.selectFrom(table).selectAll().execute());
  return JSON.stringify(parts);
}
