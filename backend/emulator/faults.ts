/**
 * Fault plans per operation: added latency, an error rate or the Nth call failing with a chosen code, and
 * "timeout after commit" — the effect is applied, then the connection is dropped (after an optional delay)
 * so the client cannot know it succeeded — and a connection reset before anything is applied. Error rates use a seeded generator so runs are reproducible.
 */

export interface FaultPlan {
  /** `connect`, `profile` or `s3`; any service when omitted. */
  service?: string;
  /** Operation name, or `*` for every operation of the service. */
  operation: string;
  errorRate?: number;
  errorCode?: string;
  status?: number;
  message?: string;
  /** Delay before answering; with timeoutAfterCommit, the delay before the connection is dropped. */
  latencyMs?: number;
  /** Only the Nth matching call (1-based) fails. */
  failNth?: number;
  timeoutAfterCommit?: boolean;
  /** The triggered call's connection is reset before anything is applied. */
  connectionReset?: boolean;
  seed?: number;
}

export interface FaultDecision {
  latencyMs: number;
  error?: { code: string; status: number; message: string };
  dropAfterCommit: boolean;
  resetBeforeCommit: boolean;
}

interface ActivePlan {
  id: number;
  plan: FaultPlan;
  calls: number;
  random: () => number;
}

const DEFAULT_CODE: Record<string, string> = { connect: "InternalServiceException", profile: "InternalServerException", s3: "InternalError" };
const STATUS_BY_CODE: Record<string, number> = {
  ThrottlingException: 429,
  LimitExceededException: 429,
  TooManyRequestsException: 429,
  SlowDown: 503,
  ServiceUnavailable: 503,
  ServiceUnavailableException: 503,
  AccessDenied: 403,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  InvalidRequestException: 400,
  InvalidParameterException: 400,
  BadRequestException: 400,
  ContactNotTerminatedException: 409,
};

/** Deterministic PRNG (mulberry32); also used by seeded tests so failures replay. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Checks a plan from the control API; returns a message for the first problem. */
export function validateFaultPlan(value: unknown): string | undefined {
  if (!value || typeof value !== "object") return "body must be a JSON object";
  const p = value as Record<string, unknown>;
  if (typeof p.operation !== "string" || p.operation === "") return "operation is required";
  if (p.service !== undefined && !["connect", "profile", "s3"].includes(p.service as string)) return "service must be connect, profile or s3";
  if (p.errorRate !== undefined && (typeof p.errorRate !== "number" || p.errorRate < 0 || p.errorRate > 1)) return "errorRate must be between 0 and 1";
  for (const k of ["status", "latencyMs", "failNth", "seed"]) {
    if (p[k] !== undefined && (typeof p[k] !== "number" || !Number.isInteger(p[k]) || (p[k] as number) < 0)) return `${k} must be a non-negative integer`;
  }
  if (p.errorCode !== undefined && typeof p.errorCode !== "string") return "errorCode must be a string";
  for (const k of ["timeoutAfterCommit", "connectionReset"]) {
    if (p[k] !== undefined && typeof p[k] !== "boolean") return `${k} must be a boolean`;
  }
  return undefined;
}

/** The active fault plans of one emulator; `decide` is called once per AWS request. */
export class Faults {
  private plans: ActivePlan[] = [];
  private nextId = 1;

  add(plan: FaultPlan): number {
    const id = this.nextId++;
    this.plans.push({ id, plan: { ...plan }, calls: 0, random: seededRandom(plan.seed ?? id) });
    return id;
  }

  clear(): void {
    this.plans = [];
  }

  list(): (FaultPlan & { id: number; calls: number })[] {
    return this.plans.map((p) => ({ ...p.plan, id: p.id, calls: p.calls }));
  }

  /** Decides what happens to one call; counts it against every matching plan. */
  decide(service: string, op: string): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, dropAfterCommit: false, resetBeforeCommit: false };
    for (const active of this.plans) {
      const { plan } = active;
      if ((plan.service && plan.service !== service) || (plan.operation !== "*" && plan.operation !== op)) continue;
      active.calls++;
      const conditional = plan.failNth !== undefined || plan.errorRate !== undefined;
      const failing = conditional || plan.errorCode !== undefined || plan.timeoutAfterCommit === true || plan.connectionReset === true;
      if (!failing) {
        decision.latencyMs = Math.max(decision.latencyMs, plan.latencyMs ?? 0);
        continue;
      }
      const nthHit = plan.failNth === undefined || active.calls === plan.failNth;
      const rateHit = plan.errorRate === undefined || active.random() < plan.errorRate;
      if (!(nthHit && rateHit)) continue;
      if (plan.connectionReset) {
        decision.resetBeforeCommit = true;
      } else if (plan.timeoutAfterCommit) {
        decision.dropAfterCommit = true;
        decision.latencyMs = Math.max(decision.latencyMs, plan.latencyMs ?? 0);
      } else if (!decision.error) {
        const code = plan.errorCode ?? DEFAULT_CODE[service] ?? "InternalError";
        decision.error = { code, status: plan.status ?? STATUS_BY_CODE[code] ?? 500, message: plan.message ?? `Injected fault: ${code}` };
        decision.latencyMs = Math.max(decision.latencyMs, plan.latencyMs ?? 0);
      }
    }
    return decision;
  }
}
