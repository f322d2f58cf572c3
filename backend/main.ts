/**
 * Process entry point and composition root: `serve | worker | migrate | demo | doctor`. It parses the configuration
 * once, opens the store, builds `deps`, and owns listening, signals and shutdown. `demo` additionally starts
 * the local AWS emulator with the demo scenario and the agent-workspace harness, and points the SDK clients
 * at the emulator; it is the only backend module besides tests that imports `emulator/`.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Logger } from "pino";
import { buildApp, type AppDeps } from "./app.ts";
import { createAwsClients } from "./aws/clients.ts";
import { loadConfig, parseConfig, type Config } from "./config.ts";
import { startHarnessServer } from "./demo/harness-server.ts";
import { formatDoctorTable } from "./doctor/doctor-table.ts";
import { hasBlocker, runDoctor } from "./doctor/doctor.ts";
import { demoScenario } from "./emulator/demo-scenario.ts";
import { startEmulator } from "./emulator/server.ts";
import { createCallStats } from "./erasure/guarded-runner.ts";
import { startWorker } from "./erasure/worker.ts";
import { AppError } from "./errors.ts";
import { createLogger } from "./http/logger.ts";
import { migrateToLatest, openDatabase, type OpenDatabase } from "./store/database.ts";

const COMMANDS = ["serve", "worker", "migrate", "demo", "doctor"] as const;
type Command = (typeof COMMANDS)[number];

/** Things to stop on shutdown, in order (server first so no new work arrives, store last). */
type Closer = { name: string; close: () => Promise<void> };

const DEMO_HMAC_FILE = "./data/hmac.key";

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function parseOrExit(build: () => Config): Config {
  try {
    return build();
  } catch (err) {
    if (err instanceof AppError && err.code === "ConfigInvalid") fail(err.message, 2);
    throw err;
  }
}

/** Demo only: a per-data-directory HMAC key, generated once and kept readable by the owner only. */
function demoHmacKey(): string {
  const file = resolve(DEMO_HMAC_FILE);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dirname(file), { recursive: true });
  const key = randomBytes(32).toString("hex");
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}

function installShutdown(logger: Logger, closers: Closer[]): void {
  let stopping = false;
  const shutdown = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, "shutting down");
    for (const c of closers) {
      try {
        await c.close();
      } catch (err) {
        logger.error({ part: c.name, errName: err instanceof Error ? err.name : "unknown" }, "shutdown step failed");
      }
    }
    process.exit(exitCode);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM", 0));
  process.once("SIGINT", () => void shutdown("SIGINT", 0));
  process.on("unhandledRejection", (err) => {
    logger.error({ errName: err instanceof Error ? err.name : "unknown", stack: err instanceof Error ? err.stack : undefined }, "unhandled rejection");
    void shutdown("unhandledRejection", 1);
  });
  process.on("uncaughtException", (err) => {
    logger.error({ errName: err.name, stack: err.stack }, "uncaught exception");
    void shutdown("uncaughtException", 1);
  });
}

async function openStore(config: Config, logger: Logger, migrate: boolean): Promise<OpenDatabase> {
  const store = openDatabase(config.databaseUrl, {
    onPoolError: (err) => logger.warn({ errName: err.name }, "idle database connection failed"),
  });
  if (migrate) {
    const result = await migrateToLatest(store.db);
    const applied = (result.results ?? []).filter((r) => r.status === "Success").length;
    logger.info({ applied, dialect: store.dialect }, "migrations up to date");
  }
  return store;
}

/** The dependencies every process shares; `serve` adds the front end and the worker's call statistics. */
function processDeps(config: Config, store: OpenDatabase, logger: Logger, hmacKey: string, emulatorUrl?: string): AppDeps {
  return { config, db: store.db, clients: createAwsClients(config, emulatorUrl), logger, clock: () => new Date(), hmacKey };
}

async function serve(config: Config, options: { emulatorUrl?: string; hmacKey: string }): Promise<{ url: string; closers: Closer[]; logger: Logger }> {
  const logger = createLogger(config);
  const store = await openStore(config, logger, true);
  const awsCallStats = config.workerEnabled ? createCallStats() : undefined;
  const deps: AppDeps = {
    ...processDeps(config, store, logger, options.hmacKey, options.emulatorUrl),
    distDir: "dist",
    ...(awsCallStats ? { awsCallStats } : {}),
  };
  const app = buildApp(deps);
  const closers: Closer[] = [{ name: "http", close: () => app.close() }];
  if (awsCallStats) {
    const worker = startWorker(deps, { stats: awsCallStats });
    closers.push({ name: "worker", close: () => worker.stop() });
  }
  closers.push({ name: "store", close: () => store.close() });
  installShutdown(logger, closers);
  const url = await app.listen({ host: config.host, port: config.port });
  logger.info({ url, mode: config.mode, dialect: store.dialect, worker: config.workerEnabled }, "listening");
  return { url, closers, logger };
}

async function runWorker(config: Config): Promise<void> {
  const logger = createLogger(config);
  const store = await openStore(config, logger, false);
  const worker = startWorker(processDeps(config, store, logger, config.auditHmacKey));
  installShutdown(logger, [
    { name: "worker", close: () => worker.stop() },
    { name: "store", close: () => store.close() },
  ]);
  logger.info({ dialect: store.dialect }, "worker started");
}

async function runDemo(): Promise<void> {
  const base = parseOrExit(loadConfig);
  if (base.mode !== "demo") fail("`demo` runs only with ERASURE_MODE=demo (it starts an emulator and demo sign-in)", 2);
  const scenario = demoScenario();
  const emulator = await startEmulator({ port: 0, scenario });
  const harnessOrigins = [`http://localhost:${base.harnessPort}`, `http://127.0.0.1:${base.harnessPort}`];
  const config = parseOrExit(() =>
    parseConfig({
      ...process.env,
      AWS_ENDPOINT_URL_CONNECT: emulator.url,
      AWS_ENDPOINT_URL_CUSTOMER_PROFILES: emulator.url,
      // An S3-compatible server named by AWS_ENDPOINT_URL_S3 replaces the emulator's S3 (its own credentials).
      AWS_ENDPOINT_URL_S3: base.endpointS3 || emulator.url,
      CONNECT_INSTANCE_ID: scenario.instanceId,
      CUSTOMER_PROFILES_DOMAIN: "demo-domain",
      SETTLE_SECONDS: process.env.SETTLE_SECONDS ?? "5",
      FRAME_ANCESTORS: [...base.frameAncestors, ...harnessOrigins].join(","),
    }),
  );
  const hmacKey = config.auditHmacKey || demoHmacKey();
  const { url, closers, logger } = await serve(config, { emulatorUrl: emulator.url, hmacKey });
  // The demo's origins are the localhost names FRAME_ANCESTORS and the demo issuer use.
  const appUrl = url.replace("127.0.0.1", "localhost");
  const harness = await startHarnessServer({ port: config.harnessPort, appUrl, emulatorUrl: emulator.url, distDir: resolve("dist") });
  // Stop the harness and emulator after the API and worker, before the store closes.
  closers.splice(closers.length - 1, 0, { name: "harness", close: () => harness.close() }, { name: "emulator", close: () => emulator.close() });
  const harnessUrl = harness.url.replace("127.0.0.1", "localhost");
  logger.info({ harness: harnessUrl, app: appUrl, emulator: emulator.url }, "demo ready");
  process.stdout.write(
    [
      "",
      `Open ${harnessUrl} to use Connect Erasure inside the local agent-workspace harness.`,
      `  app and API:   ${appUrl}  (OpenAPI: ${appUrl}/openapi.json)`,
      `  AWS emulator:  ${emulator.url}${config.endpointS3 === emulator.url ? "" : `  (S3: ${config.endpointS3})`}`,
      `  data:          ${config.databaseUrl}`,
      "  demo users:    agent.alice, agent.bob, supervisor.sam, supervisor.sue",
      "",
    ].join("\n") + "\n",
  );
}

async function main(argv: readonly string[]): Promise<void> {
  const command = argv[0] as Command | undefined;
  if (!command || !(COMMANDS as readonly string[]).includes(command)) {
    fail(`usage: main.ts <${COMMANDS.join(" | ")}>`, 2);
  }
  switch (command) {
    case "demo":
      return runDemo();
    case "migrate": {
      const config = parseOrExit(loadConfig);
      const logger = createLogger(config);
      const store = await openStore(config, logger, true);
      await store.close();
      return;
    }
    case "worker":
      return runWorker(parseOrExit(loadConfig));
    case "doctor": {
      // Read-only checks against the configured account; exit 1 on a blocker so scripts and CI can gate on it.
      const config = parseOrExit(loadConfig);
      const checks = await runDoctor(config, createAwsClients(config));
      process.stdout.write(`${formatDoctorTable(checks)}\n`);
      process.exit(hasBlocker(checks) ? 1 : 0);
    }
    case "serve": {
      // Production configs cannot parse without AUDIT_HMAC_KEY, so the file key is a demo-only fallback.
      const config = parseOrExit(loadConfig);
      await serve(config, { hmacKey: config.auditHmacKey || demoHmacKey() });
      return;
    }
  }
}

await main(process.argv.slice(2));
