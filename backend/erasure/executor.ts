/**
 * Runs one leased step to an outcome and records it under the lease. The lease is renewed while the step runs;
 * when renewal fails the step's AbortSignal fires and its AWS calls stop. Outcomes:
 * - done: step `succeeded` (+ the step's commit hook: scope rows, request transition) and an audit entry;
 * - defer: back to `pending` at a later `run_at`, no attempt counted (live contacts, settle time);
 * - retryable error: `retry` after `min(cap, base·2^attempt)` with full jitter, until `stepMaxAgeHours` from the
 *   first attempt, then failed;
 * - other errors: step `failed` and the request `failed` (a supervisor's retry re-queues it).
 * Each outcome is one transaction whose first write is fenced by the lease token, so a worker that lost its lease
 * records nothing (`LeaseLost`).
 */
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { AwsClients } from "../aws/clients.ts";
import { createConnectGateway } from "../aws/connect-gateway.ts";
import { createProfilesGateway } from "../aws/profiles-gateway.ts";
import { createS3Gateway } from "../aws/s3-gateway.ts";
import type { Config } from "../config.ts";
import type { StepName } from "../contract/schemas.ts";
import { AppError, toAppError } from "../errors.ts";
import type { Database } from "../store/schema.ts";
import {
  claimFollowingStep,
  recordOutcome,
  renewLease,
  stepResults,
  type StepLease,
  type StepOutcomeWrite,
} from "../store/step-lease-repository.ts";
import { backoffMs } from "./backoff.ts";
import { createGuardedRunner, type CallStats } from "./guarded-runner.ts";
import type { RateLimiter } from "./rate-limiter.ts";
import type { RequestPort } from "./request-port.ts";
import type { ScopeSnapshot, Step, StepContext, StepOutcome } from "./step-context.ts";
import type { StorageConfigCache } from "./storage-config-cache.ts";
import { deleteContactDataStep } from "./steps/delete-contact-data-step.ts";
import { deleteProfileStep } from "./steps/delete-profile-step.ts";
import { deleteRecordingsStep } from "./steps/delete-recordings-step.ts";
import { reportStep } from "./steps/report-step.ts";
import { resolveScopeStep } from "./steps/resolve-scope-step.ts";
import { scrubAttributesStep } from "./steps/scrub-attributes-step.ts";
import { scrubTaskFieldsStep } from "./steps/scrub-task-fields-step.ts";

/** The step implementations by name, in plan order. */
const STEPS: Readonly<Record<StepName, Step>> = {
  "resolve-scope": resolveScopeStep,
  "scrub-attributes": scrubAttributesStep,
  "scrub-task-fields": scrubTaskFieldsStep,
  "delete-contact-data": deleteContactDataStep,
  "delete-recordings": deleteRecordingsStep,
  "delete-profile": deleteProfileStep,
  report: reportStep,
};

export interface ExecutorDeps {
  db: Kysely<Database>;
  config: Config;
  clients: AwsClients;
  logger: Logger;
  clock: () => Date;
  limiter: RateLimiter;
  storageConfigs: StorageConfigCache;
  requests: RequestPort;
  backoff: { baseMs: number; capMs: number };
  /** Test hook: awaited at named points of a step's life (crash tests stop the process there). */
  hook?: (point: "before-step" | "before-commit" | "after-commit", lease: StepLease) => Promise<void> | void;
  stats?: CallStats;
}

export type RunResult = "succeeded" | "deferred" | "retry" | "failed" | "lost";

export interface RunOutcome {
  result: RunResult;
  /** The request's next step, already leased in the same commit (run it next; release it when stopping). */
  next?: StepLease;
}

function parseJson(text: string | null | undefined): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text ?? "{}");
    return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function buildContext(deps: ExecutorDeps, lease: StepLease, signal: AbortSignal): Promise<StepContext> {
  const request = await deps.requests.get(deps.db, lease.requestId);
  const rows = await stepResults(deps.db, lease.requestId);
  const earlierResults = new Map<string, Record<string, unknown>>();
  for (const [name, row] of rows) {
    if (row.seq < lease.seq) earlierResults.set(name, { ...parseJson(row.result_json), verifiedAt: row.verified_at ?? undefined });
  }
  const scope = (earlierResults.get("resolve-scope") as ScopeSnapshot | undefined) ?? { contacts: [] };
  const run = createGuardedRunner({ limiter: deps.limiter, signal, ...(deps.stats ? { stats: deps.stats } : {}) });
  const domain = deps.config.profilesDomain;
  return {
    request,
    scope: { contacts: scope.contacts ?? [] },
    earlierResults,
    gateways: {
      connect: createConnectGateway(deps.clients.connect, request.instanceId, run),
      profiles: domain ? createProfilesGateway(deps.clients.profiles, domain, run) : undefined,
      s3: createS3Gateway(deps.clients.s3, run),
    },
    storageConfigs: deps.storageConfigs,
    requests: deps.requests,
    config: deps.config,
    now: deps.clock,
    logger: deps.logger,
    signal,
  };
}

/** Keeps the lease alive every third of its length; aborts the step when it cannot. */
function startHeartbeat(deps: ExecutorDeps, lease: StepLease, controller: AbortController): () => void {
  const timer = setInterval(() => {
    renewLease(deps.db, lease, deps.clock(), deps.config.leaseMs).catch((err: unknown) => {
      controller.abort(toAppError(err));
    });
  }, Math.max(50, Math.floor(deps.config.leaseMs / 3)));
  return () => clearInterval(timer);
}

/** Runs the leased step and records its outcome; never throws (a lost lease is reported as "lost"). */
export async function runStep(deps: ExecutorDeps, lease: StepLease): Promise<RunOutcome> {
  const log = deps.logger.child({ requestId: lease.requestId, step: lease.name, attempt: lease.attempts });
  const controller = new AbortController();
  const stopHeartbeat = startHeartbeat(deps, lease, controller);
  try {
    await deps.hook?.("before-step", lease);
    const step = STEPS[lease.name as StepName];
    if (!step) throw new AppError("Internal", `unknown step ${lease.name}`);
    let outcome: StepOutcome | undefined;
    let failure: AppError | undefined;
    try {
      outcome = await step(await buildContext(deps, lease, controller.signal));
    } catch (err) {
      failure = toAppError(err);
    }
    if (controller.signal.aborted) throw toAppError(controller.signal.reason);
    stopHeartbeat();
    await deps.hook?.("before-commit", lease);
    let result: RunOutcome;
    if (outcome) {
      try {
        result = await commitOutcome(deps, lease, outcome);
      } catch (err) {
        // The outcome's own effects were refused (e.g. the state machine rejected the transition): record that
        // as the attempt's failure instead of leaving the step leased until it expires and repeating it.
        const refused = toAppError(err);
        if (refused.code === "LeaseLost") throw refused;
        result = { result: await commitFailure(deps, lease, refused, log) };
      }
    } else {
      result = { result: await commitFailure(deps, lease, failure as AppError, log) };
    }
    await deps.hook?.("after-commit", lease);
    if (outcome?.kind === "done") log.info({ counts: outcome.counts }, "step succeeded");
    return result;
  } catch (err) {
    const appErr = toAppError(err);
    if (appErr.code === "LeaseLost") {
      log.warn("lease lost; outcome not recorded");
      return { result: "lost" };
    }
    log.error({ code: appErr.code }, "recording the step outcome failed");
    return { result: "lost" };
  } finally {
    stopHeartbeat();
  }
}

async function commitOutcome(deps: ExecutorDeps, lease: StepLease, outcome: StepOutcome): Promise<RunOutcome> {
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx): Promise<RunOutcome> => {
    if (outcome.kind === "defer") {
      await recordOutcome(trx, lease, { status: "deferred", runAt: outcome.until.toISOString() }, now);
      await outcome.commit?.(trx, now);
      return { result: "deferred" };
    }
    await recordOutcome(trx, lease, { status: "succeeded", counts: outcome.counts, result: outcome.result, verifiedAt: now.toISOString() }, now);
    // After a supervisor's retry the request is `approved` again while later steps resume: it runs again.
    if (lease.name !== "resolve-scope" && (await deps.requests.get(trx, lease.requestId)).status === "approved") {
      await deps.requests.transition(trx, lease.requestId, "start", now, { waitingFor: null });
    }
    await outcome.commit?.(trx, now);
    await deps.requests.audit(trx, { action: "step.succeeded", requestId: lease.requestId, data: { step: lease.name, attempts: lease.attempts, counts: outcome.counts }, at: now });
    const next = await claimFollowingStep(trx, lease, now, deps.config.leaseMs);
    return next ? { result: "succeeded", next } : { result: "succeeded" };
  });
}

/** Gives a leased, not yet started step back to the queue (worker stopping): no attempt counted. */
export async function releaseLease(deps: ExecutorDeps, lease: StepLease): Promise<void> {
  const now = deps.clock();
  await deps.db.transaction().execute((trx) => recordOutcome(trx, lease, { status: "deferred", runAt: now.toISOString() }, now));
}

async function commitFailure(deps: ExecutorDeps, lease: StepLease, error: AppError, log: Logger): Promise<RunResult> {
  const now = deps.clock();
  const ageMs = now.getTime() - Date.parse(lease.firstAttemptAt || now.toISOString());
  const tooOld = ageMs > deps.config.stepMaxAgeHours * 3_600_000;
  if (error.retryable && !tooOld) {
    const runAt = new Date(now.getTime() + backoffMs(lease.attempts, deps.backoff.baseMs, deps.backoff.capMs)).toISOString();
    const write: StepOutcomeWrite = { status: "retry", runAt, errorCode: error.code };
    await deps.db.transaction().execute((trx) => recordOutcome(trx, lease, write, now));
    log.warn({ code: error.code, runAt }, "step will be retried");
    return "retry";
  }
  const errorCode = tooOld ? "StepMaxAgeExceeded" : error.code;
  await deps.db.transaction().execute(async (trx) => {
    await recordOutcome(trx, lease, { status: "failed", errorCode }, now);
    const request = await deps.requests.get(trx, lease.requestId);
    if (request.status === "approved") await deps.requests.transition(trx, lease.requestId, "start", now, { waitingFor: null });
    await deps.requests.transition(trx, lease.requestId, "fail", now);
    await deps.requests.audit(trx, { action: "step.failed", requestId: lease.requestId, data: { step: lease.name, attempts: lease.attempts, code: errorCode }, at: now });
  });
  log.error({ code: errorCode }, "step failed; request needs attention");
  return "failed";
}
