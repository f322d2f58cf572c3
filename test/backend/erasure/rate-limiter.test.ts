/**
 * The shared rate limiter paces calls at the configured quota: after the burst, one call per interval, also when
 * two limiter instances (two workers) draw from the same database bucket.
 */
import { describe, expect, it } from "vitest";
import { createDatabaseRateLimiter, createMemoryRateLimiter, type RateLimiter } from "../../../backend/erasure/rate-limiter.ts";
import { createCallStats, createGuardedRunner } from "../../../backend/erasure/guarded-runner.ts";
import { quotaFor } from "../../../backend/erasure/quotas.ts";
import { forEachDialect } from "../../support/db.ts";

// ListAssociatedContacts: 2 RPS / burst 5; × 5 = 10 RPS / burst 25, of which the limiter uses 24 (one kept as slack).
const SCALE = 5;
const OP = "ListAssociatedContacts";

async function timeCalls(limiters: RateLimiter[], total: number): Promise<{ elapsedMs: number; times: number[] }> {
  const start = Date.now();
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: total }, async (_, i) => {
      await (limiters[i % limiters.length] as RateLimiter).acquire(OP);
      times.push(Date.now() - start);
    }),
  );
  return { elapsedMs: Date.now() - start, times: times.sort((a, b) => a - b) };
}

/** Largest number of calls inside any sliding 1 s window. */
function maxPerSecond(times: number[]): number {
  let best = 0;
  for (let i = 0; i < times.length; i++) {
    let j = i;
    while (j < times.length && (times[j] as number) - (times[i] as number) < 1000) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

describe("quota table", () => {
  it("scales rate and burst", () => {
    expect(quotaFor("DescribeContact", 1)).toEqual({ rate: 10, burst: 15 });
    expect(quotaFor("SearchContacts-unknown", 0.5)).toEqual({ rate: 1, burst: 2 });
    expect(quotaFor(OP, SCALE)).toEqual({ rate: 10, burst: 25 });
  });
});

describe("memory rate limiter", () => {
  it("lets the burst through, then one call per interval", async () => {
    const { elapsedMs, times } = await timeCalls([createMemoryRateLimiter(SCALE)], 44);
    // 24 at once, then 20 more at 100 ms spacing.
    expect(elapsedMs).toBeGreaterThanOrEqual(1900);
    expect(elapsedMs).toBeLessThan(2600);
    expect(maxPerSecond(times.slice(24))).toBeLessThanOrEqual(11);
  });
});

forEachDialect((_dialect, getDb) => {
  it("two limiters on one database share one budget", async () => {
    const { db } = getDb();
    const a = createDatabaseRateLimiter(db, SCALE);
    const b = createDatabaseRateLimiter(db, SCALE);
    const { elapsedMs } = await timeCalls([a, b], 44);
    expect(elapsedMs).toBeGreaterThanOrEqual(1900);
    expect(elapsedMs).toBeLessThan(3000);
  });
});

describe("guarded runner statistics", () => {
  it("counts calls, in-place retries and throttling answers per operation", async () => {
    const stats = createCallStats();
    const run = createGuardedRunner({ limiter: createMemoryRateLimiter(1000), attempts: 3, baseMs: 1, capMs: 2, stats });
    let answers = 0;
    const result = await run("DescribeContact", async () => {
      answers += 1;
      if (answers < 3) throw Object.assign(new Error("slow down"), { name: "ThrottlingException", $metadata: { httpStatusCode: 429 } });
      return "ok";
    });
    expect(result).toBe("ok");
    expect(stats.calls.get("DescribeContact")).toBe(1);
    expect(stats.retries.get("DescribeContact")).toBe(2);
    expect(stats.throttles.get("DescribeContact")).toBe(2);
  });
});
