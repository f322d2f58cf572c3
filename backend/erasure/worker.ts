/**
 * The erasure worker loop: a few concurrent slots, each claiming the next due step, running it, and claiming again;
 * idle slots sleep `config.workerPollMs`. Expired leases (a worker that died or stalled) are swept back to `retry`
 * on every idle poll. Runs inside `serve`/`demo` and alone as `main.ts worker`; any number of workers may share
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
import { runStep, type ExecutorDeps } from "./executor.ts";
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
  let stopping = false;
  const wakers = new Set<() => void>();

  const idle = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakers.add(done);
    });

  async function slot(index: number): Promise<void> {
    while (!stopping) {
      try {
        const lease = await claimNextStep(deps.db, dialect, { owner, now: clock(), leaseMs: deps.config.leaseMs });
        if (lease) {
          await runStep(executor, lease);
          continue;
        }
        if (index === 0) {
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
  }

  logger.info({ concurrency: options.concurrency ?? 8, dialect }, "erasure worker started");
  const slots = Array.from({ length: Math.max(1, options.concurrency ?? 8) }, (_, i) => slot(i));
  return {
    async stop() {
      stopping = true;
      for (const wake of [...wakers]) wake();
      await Promise.all(slots);
      logger.info("erasure worker stopped");
    },
  };
}
