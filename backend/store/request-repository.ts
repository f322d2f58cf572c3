/**
 * Rows of `erasure_requests`, in and out. Every update checks and increments `version` (optimistic
 * concurrency): two supervisors acting at once cannot both win.
 */
import type { Kysely } from "kysely";
import { AppError } from "../errors.ts";
import type { Database, NewRequestRow, RequestRow, RequestRowUpdate } from "./schema.ts";

/** Inserts a new request row (version 1). */
export async function insertRequest(db: Kysely<Database>, row: NewRequestRow): Promise<void> {
  await db.insertInto("erasure_requests").values(row).execute();
}

/** The row with this id, or undefined. */
export async function findRequestById(db: Kysely<Database>, id: string): Promise<RequestRow | undefined> {
  return db.selectFrom("erasure_requests").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The request this requester raised with this Idempotency-Key, if any. */
export async function findRequestByIdempotencyKey(
  db: Kysely<Database>,
  requestedBySubject: string,
  idempotencyKey: string,
): Promise<RequestRow | undefined> {
  return db
    .selectFrom("erasure_requests")
    .selectAll()
    .where("requested_by_subject", "=", requestedBySubject)
    .where("idempotency_key", "=", idempotencyKey)
    .executeTakeFirst();
}

/**
 * The request on this contact in one of `openStatuses`, if any (the caller passes the domain's open set; the
 * partial unique index `erasure_requests_open_contact` guarantees at most one).
 */
export async function findOpenRequestForContact(
  db: Kysely<Database>,
  contactId: string,
  openStatuses: readonly string[],
): Promise<RequestRow | undefined> {
  return db
    .selectFrom("erasure_requests")
    .selectAll()
    .where("contact_id", "=", contactId)
    .where("status", "in", [...openStatuses])
    .executeTakeFirst();
}

/**
 * Writes `patch` if the row still has `expectedVersion`, and bumps the version. Throws `Conflict` when
 * someone else changed the row first, `RequestNotFound` when it is gone.
 */
export async function updateRequestRow(
  db: Kysely<Database>,
  id: string,
  expectedVersion: number,
  patch: Omit<RequestRowUpdate, "id" | "version">,
): Promise<void> {
  const result = await db
    .updateTable("erasure_requests")
    .set({ ...patch, version: expectedVersion + 1 })
    .where("id", "=", id)
    .where("version", "=", expectedVersion)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 1) return;
  const current = await db.selectFrom("erasure_requests").select("version").where("id", "=", id).executeTakeFirst();
  if (!current) throw new AppError("RequestNotFound", "No such erasure request");
  throw new AppError("Conflict", "The request was changed by someone else meanwhile; reload it and try again", {
    retryable: true,
    details: { expectedVersion, currentVersion: Number(current.version) },
  });
}

export interface RequestRowFilter {
  status?: string;
  contactId?: string;
  requestedBySubject?: string;
  limit: number;
  /** `newest` (default): most recently raised first; `due`: earliest deadline first (the supervisor queue). */
  order?: "newest" | "due";
}

/** Lists request rows matching every given filter. */
export async function listRequestRows(db: Kysely<Database>, filter: RequestRowFilter): Promise<RequestRow[]> {
  let q = db.selectFrom("erasure_requests").selectAll();
  if (filter.status !== undefined) q = q.where("status", "=", filter.status);
  if (filter.contactId !== undefined) q = q.where("contact_id", "=", filter.contactId);
  if (filter.requestedBySubject !== undefined) q = q.where("requested_by_subject", "=", filter.requestedBySubject);
  q =
    filter.order === "due"
      ? q.orderBy((eb) => eb.fn.coalesce("extended_due_at", "due_at"), "asc").orderBy("id", "asc")
      : q.orderBy("requested_at", "desc").orderBy("id", "asc");
  return q.limit(Math.max(1, Math.min(filter.limit, 500))).execute();
}
