/**
 * The executor's `CallRunner`: every AWS call first takes a slot from the shared rate limiter, and a retryable
 * failure (throttling, 5xx, timeout) is retried in place a few times with jittered backoff before it surfaces to
 * the step, which then backs off as a whole. The SDK itself makes at most `config.awsMaxAttempts` attempts, so
 * the layers multiply to a small, bounded number of sends per logical call.
 */
import { awsCall } from "../aws/aws-errors.ts";
import type { CallRunner } from "../aws/call-runner.ts";
import { AppError } from "../errors.ts";
import { backoffMs } from "./backoff.ts";
import type { RateLimiter } from "./rate-limiter.ts";

export interface CallStats {
  /** Logical calls started, per operation (retries excluded). */
  calls: Map<string, number>;
  /** In-place retries after a retryable failure, per operation. */
  retries: Map<string, number>;
  /** Attempts AWS answered with throttling, per operation (the limiter should keep this near zero). */
  throttles: Map<string, number>;
}

export interface GuardedRunnerOptions {
  limiter: RateLimiter;
  /** Attempts per logical call at this layer (≥ 1). */
  attempts?: number;
  baseMs?: number;
  capMs?: number;
  signal?: AbortSignal;
  stats?: CallStats;
}

/** Creates empty call statistics. */
export function createCallStats(): CallStats {
  return { calls: new Map(), retries: new Map(), throttles: new Map() };
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Builds a runner that rate-limits and retries each call; see the module comment. */
export function createGuardedRunner(options: GuardedRunnerOptions): CallRunner {
  const attempts = Math.max(1, options.attempts ?? 4);
  const baseMs = options.baseMs ?? 100;
  const capMs = options.capMs ?? 2000;
  return async (operation, call) => {
    if (options.stats) bump(options.stats.calls, operation);
    for (let attempt = 1; ; attempt++) {
      if (options.signal?.aborted) throw new AppError("LeaseLost", "step aborted: lease lost or worker stopping");
      await options.limiter.acquire(operation, options.signal);
      try {
        return await awsCall(operation, call);
      } catch (err) {
        if (options.stats && err instanceof AppError && err.code === "AwsThrottled") bump(options.stats.throttles, operation);
        if (!(err instanceof AppError) || !err.retryable || attempt >= attempts || err.code === "ContactNotEnded") throw err;
        if (options.stats) bump(options.stats.retries, operation);
        await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt, baseMs, capMs)));
      }
    }
  };
}
