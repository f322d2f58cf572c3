/**
 * The erasure worker loop: one dispatcher claims due steps while fewer than `concurrency` run, and sleeps
 * `config.workerPollMs` when nothing is due (a finished step wakes it at once: the next step of that request is due).
 * Expired leases (a worker that died or stalled) are swept back to `retry` at most every quarter lease. Runs inside `serve`/`demo` and alone as `main.ts worker`; any number of workers may share
 * one PostgreSQL (claims skip locked rows, writes are fenced, the AWS budget is shared through `rate_buckets`).
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { AwsClients } from "../aws/clients.ts";
import type { Config } from "../config.ts";
import { dialectOf } from "../store/database.ts";
import type { Database } from "../store/schema.ts";
import { claimNextStep, sweepExpiredLeases } from "../store/step-lease-repository.ts";
import { releaseLease, runStep, type ExecutorDeps } from "./executor.ts";
import type { StepLease } from "../store/step-lease-repository.ts";
import type { CallStats } from "./guarded-runner.ts";
import { createDatabaseRateLimiter, createMemoryRateLimiter, type RateLimiter } from "./rate-limiter.ts";
import { defaultRequestPort } from "./request-port-default.ts";
import type { RequestPort } from "./request-port.ts";
import { createStorageConfigCache } from "./storage-config-cache.ts";

export interface WorkerDeps {
  config: Config;
  db: Kysely<Database>;
  clients: AwsClients;
  logger: Logger;
  clock?: () => Date;
}

export interface WorkerOptions {
  /** Steps run at once by this worker (default 8): enough to keep every operation's budget busy. */
  concurrency?: number;
  /** Backoff of a failed attempt: base and cap in ms (default 1 s and 5 min). */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Storage configuration cache lifetime in ms (default 5 min). */
  storageConfigTtlMs?: number;
  /** Overrides: a shared limiter (tests, benchmarks), the request port, a crash-test hook, call statistics. */
  limiter?: RateLimiter;
  requests?: RequestPort;
  hook?: ExecutorDeps["hook"];
  stats?: CallStats;
  /** Identifies this worker in lease rows (default host:pid:random). */
  owner?: string;
}

export interface RunningWorker {
  /** Stops claiming, lets running steps finish, resolves when idle. */
  stop(): Promise<void>;
}

/** Starts the worker loop; see the module comment. */
export function startWorker(deps: WorkerDeps, options: WorkerOptions = {}): RunningWorker {
  const clock = deps.clock ?? (() => new Date());
  const dialect = dialectOf(deps.config.databaseUrl);
  const scale = Number(deps.config.quotaScale);
  const limiter =
    options.limiter ?? (dialect === "postgres" ? createDatabaseRateLimiter(deps.db, scale) : createMemoryRateLimiter(scale));
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const logger = deps.logger.child({ component: "erasure-worker", owner });
  const executor: ExecutorDeps = {
    db: deps.db,
    config: deps.config,
    clients: deps.clients,
    logger,
    clock,
    limiter,
    storageConfigs: createStorageConfigCache(options.storageConfigTtlMs ?? 300_000),
    requests: options.requests ?? defaultRequestPort,
    backoff: { baseMs: options.backoffBaseMs ?? 1000, capMs: options.backoffCapMs ?? 300_000 },
    ...(options.hook ? { hook: options.hook } : {}),
    ...(options.stats ? { stats: options.stats } : {}),
  };
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const sweepEveryMs = Math.max(deps.config.workerPollMs, Math.floor(deps.config.leaseMs / 4));
  let stopping = false;
  let wake: (() => void) | undefined;
  const running = new Set<Promise<void>>();

  /** Sleeps up to `ms`; a finished step (which may make the next step due) or stop() ends the sleep early. */
  const idle = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  /** Runs a step and then the request's following steps leased with each success, until none is due. */
  async function runChain(first: StepLease): Promise<void> {
    let lease: StepLease | undefined = first;
    while (lease) {
      const { next }: { next?: StepLease } = await runStep(executor, lease);
      if (next && stopping) {
        await releaseLease(executor, next).catch(() => undefined);
        return;
      }
      lease = next;
    }
  }

  // One dispatcher claims for every slot, so an idle worker costs one claim query per poll interval, not one per slot.
  async function dispatch(): Promise<void> {
    let lastSweep = 0;
    while (!stopping) {
      try {
        if (running.size >= concurrency) {
          await idle(deps.config.workerPollMs);
          continue;
        }
        const lease = await claimNextStep(deps.db, dialect, { owner, now: clock(), leaseMs: deps.config.leaseMs });
        if (lease) {
          const run: Promise<void> = runChain(lease).then(() => {
            running.delete(run);
            wake?.();
          });
          running.add(run);
          continue;
        }
        if (Date.now() - lastSweep >= sweepEveryMs) {
          lastSweep = Date.now();
          const swept = await sweepExpiredLeases(deps.db, clock());
          if (swept > 0) {
            logger.warn({ swept }, "expired step leases returned to the queue");
            continue;
          }
        }
      } catch (err) {
        logger.error({ code: err instanceof Error ? err.name : "unknown" }, "worker poll failed");
      }
      await idle(deps.config.workerPollMs);
    }
    await Promise.all(running);
  }

  logger.info({ concurrency, dialect }, "erasure worker started");
  const dispatcher = dispatch();
  return {
    async stop() {
      stopping = true;
      wake?.();
      await dispatcher;
      logger.info("erasure worker stopped");
    },
  };
}
