/**
 * The shared per-operation rate limiter: a GCRA (virtual token bucket) per AWS operation, sized from `quotas.ts`.
 * `acquire` reserves the next free slot and waits until it comes, so callers queue instead of bouncing off 429s.
 * On PostgreSQL the bucket state is one row per operation in `rate_buckets`, advanced by a single atomic upsert,
 * so M workers together stay under the account quota; on SQLite (one process) the state lives in memory.
 */
import { sql, type Kysely } from "kysely";
import type { Database } from "../store/schema.ts";
import { quotaFor } from "./quotas.ts";

export interface RateLimiter {
  /** Resolves when one call of `operation` may be sent. */
  acquire(operation: string, signal?: AbortSignal): Promise<void>;
}

/**
 * Slack kept below the quota's burst: requests leave at exact 1/rate spacing, and network jitter can bunch two
 * of them; one token of burst left unused absorbs that without a throttle.
 */
const BURST_MARGIN = 1;

interface Gcra {
  /** ms between two calls. */
  intervalMs: number;
  /** ms of burst tolerance: (burst − 1) × interval. */
  toleranceMs: number;
}

function gcraFor(operation: string, scale: number): Gcra {
  const q = quotaFor(operation, scale);
  const intervalMs = 1000 / q.rate;
  const burst = Math.max(1, q.burst - BURST_MARGIN);
  return { intervalMs, toleranceMs: (burst - 1) * intervalMs };
}

/** Memoizes `gcraFor` per operation, since `acquire` runs on every AWS call. */
function gcraTable(scale: number): (operation: string) => Gcra {
  const table = new Map<string, Gcra>();
  return (operation) => {
    let g = table.get(operation);
    if (!g) {
      g = gcraFor(operation, scale);
      table.set(operation, g);
    }
    return g;
  };
}

/** Computes how long to wait given the new theoretical arrival time returned by the reservation. */
function waitMs(newTatMs: number, g: Gcra, nowMs: number): number {
  return Math.max(0, newTatMs - g.intervalMs - g.toleranceMs - nowMs);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error("aborted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** In-process limiter (one process per account: SQLite deployments, tests, preview). */
export function createMemoryRateLimiter(scale: number, clock: () => number = Date.now): RateLimiter {
  const tat = new Map<string, number>();
  const gcraOf = gcraTable(scale);
  return {
    async acquire(operation, signal) {
      const g = gcraOf(operation);
      const now = clock();
      const next = Math.max(tat.get(operation) ?? now, now) + g.intervalMs;
      tat.set(operation, next);
      await sleep(waitMs(next, g, now), signal);
    },
  };
}

/**
 * Database-shared limiter: `tat_ms = max(tat_ms, now) + interval` in one upsert, atomic under concurrency on
 * PostgreSQL (row lock) and SQLite (single writer). Any number of processes sharing the database share the budget.
 */
export function createDatabaseRateLimiter(db: Kysely<Database>, scale: number, clock: () => number = Date.now): RateLimiter {
  const gcraOf = gcraTable(scale);
  return {
    async acquire(operation, signal) {
      const g = gcraOf(operation);
      const now = clock();
      const { rows } = await sql<{ tat_ms: number | string }>`
        insert into rate_buckets (operation, tat_ms) values (${operation}, ${now + g.intervalMs})
        on conflict (operation) do update
          set tat_ms = (case when rate_buckets.tat_ms > ${now} then rate_buckets.tat_ms else ${now} end) + ${g.intervalMs}
        returning tat_ms`.execute(db);
      const next = Number(rows[0]?.tat_ms ?? now);
      await sleep(waitMs(next, g, now), signal);
    },
  };
}
