/**
 * Rows of `erasure_steps` as the request use cases need them: create the plan on approval, list it, and
 * re-queue failed steps on retry. Leasing and results belong to `step-lease-repository.ts` (executor).
 */
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { StepName } from "../contract/schemas.ts";
import type { Database, StepRow } from "./schema.ts";

/** The erasure plan, in the order the steps must run (attributes before the profile: see ARCHITECTURE §2). */
export const STEP_ORDER: readonly StepName[] = [
  "resolve-scope",
  "scrub-attributes",
  "scrub-task-fields",
  "delete-contact-data",
  "delete-recordings",
  "delete-profile",
  "report",
];

/** Creates the seven pending steps of a request, runnable from `now`. Call inside the approving transaction. */
export async function createSteps(trx: Kysely<Database>, requestId: string, now: Date): Promise<StepRow[]> {
  const at = now.toISOString();
  const rows: StepRow[] = STEP_ORDER.map((name, seq) => ({
    id: randomUUID(),
    request_id: requestId,
    name,
    seq,
    status: "pending",
    attempts: 0,
    run_at: at,
    first_attempt_at: null,
    lease_owner: null,
    lease_token: null,
    lease_expires_at: null,
    counts_json: "{}",
    result_json: "{}",
    last_error_code: null,
    verified_at: null,
    updated_at: at,
  }));
  await trx.insertInto("erasure_steps").values(rows).execute();
  return rows;
}

/** The request's steps in plan order. */
export async function listSteps(db: Kysely<Database>, requestId: string): Promise<StepRow[]> {
  return db.selectFrom("erasure_steps").selectAll().where("request_id", "=", requestId).orderBy("seq", "asc").execute();
}

/** The steps of several requests in one query (a list page), grouped by request id, each in plan order. */
export async function listStepsByRequest(db: Kysely<Database>, requestIds: readonly string[]): Promise<Map<string, StepRow[]>> {
  const byRequest = new Map<string, StepRow[]>();
  if (requestIds.length === 0) return byRequest;
  const rows = await db
    .selectFrom("erasure_steps")
    .selectAll()
    .where("request_id", "in", [...requestIds])
    .orderBy("request_id")
    .orderBy("seq")
    .execute();
  for (const row of rows) {
    const list = byRequest.get(row.request_id) ?? [];
    list.push(row);
    byRequest.set(row.request_id, list);
  }
  return byRequest;
}

/**
 * Puts the request's failed steps back in the queue (pending, due now, lease cleared). Attempts are kept for
 * the record; `first_attempt_at` is cleared so the give-up horizon starts again. Returns the re-queued names.
 */
export async function requeueFailedSteps(trx: Kysely<Database>, requestId: string, now: Date): Promise<string[]> {
  const at = now.toISOString();
  const rows = await trx
    .updateTable("erasure_steps")
    .set({
      status: "pending",
      run_at: at,
      first_attempt_at: null,
      lease_owner: null,
      lease_token: null,
      lease_expires_at: null,
      updated_at: at,
    })
    .where("request_id", "=", requestId)
    .where("status", "=", "failed")
    .returning(["name", "seq"])
    .execute();
  return rows.sort((a, b) => Number(a.seq) - Number(b.seq)).map((r) => r.name);
}
