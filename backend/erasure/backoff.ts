/**
 * Capped exponential backoff with full jitter (AWS Builders' Library): `random() × min(cap, base × 2^attempt)`.
 * Full jitter spreads retries of many workers hit by the same throttle, so they do not return in lockstep.
 */

/** Delay in ms before retry number `attempt` (1 = first retry). */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}
