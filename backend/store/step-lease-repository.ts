/**
 * Leases on erasure steps: claim the next due step with one UPDATE, renew, and record outcomes. Every write after
 * the claim is fenced by the lease token (`WHERE lease_token = ? AND status = 'running'`): a worker whose lease
 * expired and was swept or taken over can never record a result, it gets `LeaseLost` instead.
 * Steps of one request run in order: a step is due only when every step before it has succeeded.
 */
import { randomUUID } from "node:crypto";
import { sql, type Kysely, type Transaction } from "kysely";
import { AppError } from "../errors.ts";
import type { DialectName } from "./database.ts";
import type { Database, StepRow } from "./schema.ts";
import { listSteps } from "./step-repository.ts";

/** A claimed step: the row as claimed plus the fencing token that must accompany every write. */
export interface StepLease {
  stepId: string;
  requestId: string;
  name: string;
  seq: number;
  /** Attempts including this one. */
  attempts: number;
  firstAttemptAt: string;
  owner: string;
  token: string;
}

export interface ClaimOptions {
  owner: string;
  now: Date;
  leaseMs: number;
}

function leaseFromRow(row: StepRow): StepLease {
  return {
    stepId: row.id,
    requestId: row.request_id,
    name: row.name,
    seq: Number(row.seq),
    attempts: Number(row.attempts),
    firstAttemptAt: row.first_attempt_at ?? "",
    owner: row.lease_owner ?? "",
    token: row.lease_token ?? "",
  };
}

/**
 * Claims the oldest due step (pending or retry, `run_at` reached, request approved or running, all earlier steps
 * of its request succeeded) in one UPDATE. PostgreSQL skips rows another claimer holds (`FOR UPDATE SKIP
 * LOCKED`); SQLite serialises writers, so the UPDATE alone is atomic.
 */
export async function claimNextStep(db: Kysely<Database>, dialect: DialectName, options: ClaimOptions): Promise<StepLease | undefined> {
  const now = options.now.toISOString();
  const expires = new Date(options.now.getTime() + options.leaseMs).toISOString();
  const token = randomUUID();
  const lock = dialect === "postgres" ? sql`for update of s skip locked` : sql``;
  const { rows } = await sql<StepRow>`
    update erasure_steps
       set status = 'running', lease_owner = ${options.owner}, lease_token = ${token}, lease_expires_at = ${expires},
           attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, ${now}), updated_at = ${now}
     where id = (
       select s.id from erasure_steps s join erasure_requests r on r.id = s.request_id
        where s.status in ('pending', 'retry') and s.run_at <= ${now} and r.status in ('approved', 'running')
          and not exists (select 1 from erasure_steps p
                           where p.request_id = s.request_id and p.seq < s.seq and p.status <> 'succeeded')
        order by s.run_at, s.seq
        limit 1
        ${lock})
       and status in ('pending', 'retry')
    returning *`.execute(db);
  const row = rows[0];
  return row ? leaseFromRow(row) : undefined;
}

/**
 * Leases the step after `lease` (same request, next seq) inside the transaction that records `lease`'s success,
 * so a request's steps follow one another without a separate claim (one commit per step instead of two).
 * Returns undefined when that step is not due (not pending/retry, run_at in the future, request not active).
 */
export async function claimFollowingStep(trx: Transaction<Database>, lease: StepLease, now: Date, leaseMs: number): Promise<StepLease | undefined> {
  const at = now.toISOString();
  const token = randomUUID();
  const { rows } = await sql<StepRow>`
    update erasure_steps
       set status = 'running', lease_owner = ${lease.owner}, lease_token = ${token},
           lease_expires_at = ${new Date(now.getTime() + leaseMs).toISOString()},
           attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, ${at}), updated_at = ${at}
     where request_id = ${lease.requestId} and seq = ${lease.seq + 1} and status in ('pending', 'retry') and run_at <= ${at}
       and exists (select 1 from erasure_requests r where r.id = ${lease.requestId} and r.status in ('approved', 'running'))
    returning *`.execute(trx);
  const row = rows[0];
  return row ? leaseFromRow(row) : undefined;
}

/** Moves steps whose lease expired (their worker died or stalled) back to `retry`; returns how many. */
export async function sweepExpiredLeases(db: Kysely<Database>, now: Date): Promise<number> {
  const iso = now.toISOString();
  const result = await db
    .updateTable("erasure_steps")
    .set({ status: "retry", lease_owner: null, lease_token: null, lease_expires_at: null, run_at: iso, updated_at: iso })
    .where("status", "=", "running")
    .where("lease_expires_at", "<", iso)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Extends a held lease; throws `LeaseLost` when the lease is no longer ours. */
export async function renewLease(db: Kysely<Database>, lease: StepLease, now: Date, leaseMs: number): Promise<void> {
  const result = await db
    .updateTable("erasure_steps")
    .set({ lease_expires_at: new Date(now.getTime() + leaseMs).toISOString(), updated_at: now.toISOString() })
    .where("id", "=", lease.stepId)
    .where("lease_token", "=", lease.token)
    .where("status", "=", "running")
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw leaseLost(lease);
}

/** The outcome of one attempt, written under the lease. */
export type StepOutcomeWrite =
  | { status: "succeeded"; counts: Record<string, number>; result: unknown; verifiedAt: string }
  | { status: "retry"; runAt: string; errorCode: string; result?: unknown }
  | { status: "failed"; errorCode: string; result?: unknown }
  /** Not yet runnable (a contact still live, recordings settling): not counted as an attempt. */
  | { status: "deferred"; runAt: string; result?: unknown };

/**
 * Records an attempt's outcome, fenced by the lease token, and releases the lease. Call inside the transaction
 * that also writes the outcome's other effects (request transition, audit), first, so a lost lease rolls back all.
 */
export async function recordOutcome(trx: Transaction<Database>, lease: StepLease, outcome: StepOutcomeWrite, now: Date): Promise<void> {
  const iso = now.toISOString();
  const release = { lease_owner: null, lease_token: null, lease_expires_at: null, updated_at: iso };
  const resultJson = "result" in outcome && outcome.result !== undefined ? { result_json: JSON.stringify(outcome.result) } : {};
  const query = trx.updateTable("erasure_steps").where("id", "=", lease.stepId).where("lease_token", "=", lease.token).where("status", "=", "running");
  let result;
  if (outcome.status === "succeeded") {
    result = await query
      .set({ ...release, status: "succeeded", counts_json: JSON.stringify(outcome.counts), result_json: JSON.stringify(outcome.result), verified_at: outcome.verifiedAt, last_error_code: null })
      .executeTakeFirst();
  } else if (outcome.status === "retry") {
    result = await query.set({ ...release, ...resultJson, status: "retry", run_at: outcome.runAt, last_error_code: outcome.errorCode }).executeTakeFirst();
  } else if (outcome.status === "failed") {
    result = await query.set({ ...release, ...resultJson, status: "failed", last_error_code: outcome.errorCode }).executeTakeFirst();
  } else {
    result = await query
      .set({
        ...release,
        ...resultJson,
        status: "pending",
        run_at: outcome.runAt,
        attempts: sql<number>`attempts - 1`,
        first_attempt_at: sql<string | null>`case when attempts <= 1 then null else first_attempt_at end`,
      })
      .executeTakeFirst();
  }
  if (Number(result.numUpdatedRows) !== 1) throw leaseLost(lease);
}

/** The result_json of every step of a request, by step name (for later steps and the report). */
export async function stepResults(db: Kysely<Database>, requestId: string): Promise<Map<string, StepRow>> {
  return new Map((await listSteps(db, requestId)).map((r) => [r.name, r]));
}

function leaseLost(lease: StepLease): AppError {
  return new AppError("LeaseLost", `lease on step ${lease.name} of request ${lease.requestId} was lost`, {
    details: { stepId: lease.stepId },
  });
}
