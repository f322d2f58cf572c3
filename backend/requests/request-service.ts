/**
 * Request use cases. Each one is a single database transaction that changes the request through the domain
 * state machine AND appends its audit entry, so the store and the audit trail never disagree.
 */
import { createHash, randomUUID } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import { Value } from "@sinclair/typebox/value";
import { ExtendBody, RaiseRequestBody, RejectBody, type StepView } from "../contract/schemas.ts";
import { appendAudit, canonicalJson, hmacId, lockAuditHead } from "../audit/audit-log.ts";
import { canRaise } from "../domain/policies.ts";
import { OPEN_STATUSES, type Actor, type ErasureRequest, type RequestStatus, type ResidueItem, type Scope, type Verification } from "../domain/request.ts";
import { dueDate, transition, type RequestEvent, type TransitionPayload } from "../domain/request-state.ts";
import { AppError } from "../errors.ts";
import {
  findOpenRequestForContact,
  findRequestById,
  findRequestByIdempotencyKey,
  insertRequest,
  listRequestRows,
  updateRequestRow,
} from "../store/request-repository.ts";
import type { Database, RequestRow, StepRow } from "../store/schema.ts";
import { createSteps, listSteps, listStepsByRequest, requeueFailedSteps } from "../store/step-repository.ts";

type Db = Kysely<Database>;

/** A raise as the HTTP layer has checked it (contact ownership and chain already resolved). */
export type RaiseInput = Pick<ErasureRequest, "contactId" | "initialContactId" | "instanceId" | "scope" | "verification" | "note">;

export interface RaiseOptions {
  /** The client's Idempotency-Key header, if sent. */
  idempotencyKey?: string;
  /** Key for the audit log's HMACs of contact ids. */
  hmacKey: string;
}

export interface RaiseResult {
  request: ErasureRequest;
  /** True when an earlier raise with the same key and body was returned instead of creating a row. */
  replayed: boolean;
}

/** One mapping from a stored row to the domain request. */
export function requestFromRow(row: RequestRow): ErasureRequest {
  const req: ErasureRequest = {
    id: row.id,
    status: row.status as RequestStatus,
    contactId: row.contact_id,
    initialContactId: row.initial_contact_id,
    instanceId: row.instance_id,
    scope: JSON.parse(row.scope_json) as Scope,
    verification: JSON.parse(row.verification_json) as Verification,
    requestedBy: row.requested_by,
    requestedBySubject: row.requested_by_subject,
    requestedAt: row.requested_at,
    dueAt: row.due_at,
    residue: JSON.parse(row.residue_json) as ResidueItem[],
    updatedAt: row.updated_at,
    version: Number(row.version),
  };
  if (row.note !== null) req.note = row.note;
  if (row.approved_by !== null) req.approvedBy = row.approved_by;
  if (row.approved_at !== null) req.approvedAt = row.approved_at;
  if (row.rejection_json !== null) req.rejection = JSON.parse(row.rejection_json) as ErasureRequest["rejection"];
  if (row.extended_due_at !== null) req.extendedDueAt = row.extended_due_at;
  if (row.extension_reason !== null) req.extensionReason = row.extension_reason;
  if (row.waiting_for !== null) req.waitingFor = row.waiting_for;
  return req;
}

/** The mutable columns of a domain request (identity, scope and requester never change after the raise). */
function mutableColumns(req: ErasureRequest) {
  return {
    status: req.status,
    approved_by: req.approvedBy ?? null,
    approved_at: req.approvedAt ?? null,
    rejection_json: req.rejection ? JSON.stringify(req.rejection) : null,
    extended_due_at: req.extendedDueAt ?? null,
    extension_reason: req.extensionReason ?? null,
    waiting_for: req.waitingFor ?? null,
    residue_json: JSON.stringify(req.residue),
    updated_at: req.updatedAt,
  };
}

/** One mapping from a stored step row to the API's step view. */
export function stepViewFromRow(row: StepRow): StepView {
  const view: StepView = {
    name: row.name as StepView["name"],
    status: row.status as StepView["status"],
    attempts: Number(row.attempts),
    counts: JSON.parse(row.counts_json) as Record<string, number>,
  };
  if (row.last_error_code !== null) view.lastErrorCode = row.last_error_code;
  if (row.verified_at !== null) view.verifiedAt = row.verified_at;
  return view;
}

/** The request's steps in plan order, as the API shows them (empty until approval). */
export async function listStepViews(db: Db, requestId: string): Promise<StepView[]> {
  return (await listSteps(db, requestId)).map(stepViewFromRow);
}

/** Step views of several requests with one query for all of them (not one per request), by request id. */
export async function listStepViewsByRequest(db: Db, requestIds: readonly string[]): Promise<Map<string, StepView[]>> {
  const rows = await listStepsByRequest(db, requestIds);
  return new Map([...rows].map(([id, steps]) => [id, steps.map(stepViewFromRow)]));
}

/**
 * Positive validation on the trusted layer (ASVS 2.2.1): the HTTP schemas check the same shapes, but the
 * use cases are also called by the worker, scripts and tests, so they do not rely on it.
 */
function assertValid(schema: Parameters<typeof Value.Check>[0], value: unknown, what: string): void {
  const first = Value.Errors(schema, value).First();
  if (first) throw new AppError("ValidationFailed", `Invalid ${what}: ${first.path || "/"} ${first.message}`);
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** What makes two raises "the same body": the caller's fields only, not server-derived ones. */
function raiseBodyHash(input: RaiseInput): string {
  const body = { contactId: input.contactId, scope: input.scope, verification: input.verification, note: input.note ?? null };
  return createHash("sha256").update(canonicalJson(body)).digest("hex");
}

function replayOrRefuse(row: RequestRow, bodyHash: string): RaiseResult {
  if (row.body_hash !== bodyHash) {
    throw new AppError("IdempotencyKeyReused", "This Idempotency-Key was already used with a different request body", {
      details: { requestId: row.id },
    });
  }
  return { request: requestFromRow(row), replayed: true };
}

function duplicate(row: RequestRow): AppError {
  return new AppError("DuplicateRequest", "This contact already has an open erasure request", {
    details: { requestId: row.id, status: row.status },
  });
}

/** Recognises a unique-constraint violation from either driver (a concurrent raise won the race). */
function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

/**
 * Raises an erasure request (status `pending_approval`, deadline received + 1 month). With an
 * Idempotency-Key: the same key and body return the earlier request (`replayed`), the same key with another
 * body is `IdempotencyKeyReused` (422). A second open request for the same contact is `DuplicateRequest`
 * (409, `details.requestId`), also under concurrent raises (a unique partial index decides the race).
 */
export async function raiseRequest(db: Db, input: RaiseInput, actor: Actor, now: Date, opts: RaiseOptions): Promise<RaiseResult> {
  if (!canRaise(actor)) throw new AppError("Forbidden", "Only agents and supervisors may raise an erasure request");
  assertValid(RaiseRequestBody, {
    contactId: input.contactId,
    scope: input.scope,
    verification: input.verification,
    ...(input.note !== undefined ? { note: input.note } : {}),
  }, "raise");
  if (!input.instanceId || !input.initialContactId) throw new AppError("ValidationFailed", "A raise needs the instance and the initial contact id");
  const key = opts.idempotencyKey;
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw new AppError("ValidationFailed", "Idempotency-Key must be 1 to 200 visible ASCII characters");
  }
  const contactHmac = hmacId(opts.hmacKey, input.contactId);
  const bodyHash = raiseBodyHash(input);
  const lookups = async (): Promise<RaiseResult | undefined> => {
    if (key !== undefined) {
      const earlier = await findRequestByIdempotencyKey(db, actor.subject, key);
      if (earlier) return replayOrRefuse(earlier, bodyHash);
    }
    const open = await findOpenRequestForContact(db, input.contactId, OPEN_STATUSES);
    // A concurrent raise with this key may have committed between the two lookups: still a replay.
    if (open && key !== undefined && open.idempotency_key === key && open.requested_by_subject === actor.subject) {
      return replayOrRefuse(open, bodyHash);
    }
    if (open) throw duplicate(open);
    return undefined;
  };
  const earlier = await lookups();
  if (earlier) return earlier;

  const at = now.toISOString();
  const request: ErasureRequest = {
    id: randomUUID(),
    status: "pending_approval",
    contactId: input.contactId,
    initialContactId: input.initialContactId,
    instanceId: input.instanceId,
    scope: input.scope,
    verification: input.verification,
    requestedBy: actor.username,
    requestedBySubject: actor.subject,
    requestedAt: at,
    dueAt: dueDate(at),
    residue: [],
    updatedAt: at,
    version: 1,
    ...(input.note !== undefined ? { note: input.note } : {}),
  };
  try {
    await inTransaction(db, async (trx) => {
      await lockAuditHead(trx);
      await insertRequest(trx, {
        id: request.id,
        contact_id: request.contactId,
        initial_contact_id: request.initialContactId,
        instance_id: request.instanceId,
        scope_json: JSON.stringify(request.scope),
        verification_json: JSON.stringify(request.verification),
        note: request.note ?? null,
        requested_by: request.requestedBy,
        requested_by_subject: request.requestedBySubject,
        requested_at: request.requestedAt,
        due_at: request.dueAt,
        idempotency_key: key ?? null,
        body_hash: bodyHash,
        version: 1,
        ...mutableColumns(request),
      });
      await appendAudit(trx, {
        at: now,
        actor,
        action: "request.raised",
        requestId: request.id,
        data: {
          contact: contactHmac,
          initialContact: hmacId(opts.hmacKey, input.initialContactId),
          instanceId: input.instanceId,
          scope: input.scope,
          verificationMethod: input.verification.method,
          noteLength: input.note?.length ?? 0,
          dueAt: request.dueAt,
          idempotencyKey: key !== undefined,
        },
      });
    });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const winner = await lookups();
    if (winner) return winner;
    throw err;
  }
  return { request, replayed: false };
}

/** The request, or `RequestNotFound`. Authorization (`canView`) is the caller's: this layer has no actor. */
export async function getRequest(db: Db, id: string): Promise<ErasureRequest> {
  const row = await findRequestById(db, id);
  if (!row) throw new AppError("RequestNotFound", "No such erasure request");
  return requestFromRow(row);
}

export interface ListRequestsFilter {
  status?: RequestStatus;
  contactId?: string;
  /** Confine to one requester (agents: see `listFilterFor`). */
  requestedBySubject?: string;
  limit: number;
  order?: "newest" | "due";
}

/** Lists requests, newest first (or earliest deadline first with `order: "due"`). */
export async function listRequests(db: Db, filter: ListRequestsFilter): Promise<ErasureRequest[]> {
  return (await listRequestRows(db, filter)).map(requestFromRow);
}

interface EventOptions {
  payload?: TransitionPayload;
  /** Extra audit fields (ids, codes, counts only). */
  auditData?: Record<string, unknown>;
  /** More writes in the same transaction, after the request is updated. Returns more audit fields. */
  alongside?: (trx: Transaction<Database>, next: ErasureRequest) => Promise<Record<string, unknown> | void>;
  /** Applied after the transition (worker bookkeeping that is not itself a state change). */
  waitingFor?: string | null;
}

/** Runs `fn` in the caller's transaction when `db` already is one (the worker's), else in a new one. */
export async function inTransaction<T>(db: Db, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Transaction<Database>) : db.transaction().execute(fn);
}

/** Loads, transitions, writes with the version check, runs `alongside`, and audits, all in one transaction. */
async function applyEvent(db: Db, id: string, event: RequestEvent, actor: Actor, now: Date, options: EventOptions = {}): Promise<ErasureRequest> {
  return inTransaction(db, async (trx) => {
    await lockAuditHead(trx);
    const row = await findRequestById(trx, id);
    if (!row) throw new AppError("RequestNotFound", "No such erasure request");
    const before = requestFromRow(row);
    let next = transition(before, event, actor, now, options.payload);
    if (options.waitingFor !== undefined) {
      const { waitingFor: _old, ...rest } = next;
      next = options.waitingFor === null ? rest : { ...rest, waitingFor: options.waitingFor };
    }
    await updateRequestRow(trx, id, before.version, mutableColumns(next));
    const more = (await options.alongside?.(trx, next)) ?? {};
    await appendAudit(trx, {
      at: now,
      actor,
      action: `request.${event}`,
      requestId: id,
      data: { from: before.status, to: next.status, ...options.auditData, ...more },
    });
    return next;
  });
}

/** Supervisor approval (never the requester's own) and, in the same transaction, the seven step rows. */
export async function approveRequest(db: Db, id: string, actor: Actor, now: Date): Promise<ErasureRequest> {
  return applyEvent(db, id, "approve", actor, now, {
    alongside: async (trx) => ({ steps: (await createSteps(trx, id, now)).length }),
  });
}

/** Supervisor rejection with an Art. 17(3) reason code; the note stays on the request, only its length is audited. */
export async function rejectRequest(
  db: Db,
  id: string,
  actor: Actor,
  now: Date,
  input: { reasonCode: NonNullable<TransitionPayload["reasonCode"]>; note?: string },
): Promise<ErasureRequest> {
  assertValid(RejectBody, input, "rejection");
  return applyEvent(db, id, "reject", actor, now, {
    payload: input,
    auditData: { reasonCode: input.reasonCode, noteLength: input.note?.length ?? 0 },
  });
}

/** The requester withdraws their request while it is still pending approval. */
export async function cancelRequest(db: Db, id: string, actor: Actor, now: Date): Promise<ErasureRequest> {
  return applyEvent(db, id, "cancel", actor, now);
}

/** The one Art. 12(3) extension (1–2 calendar months, default 2) with a reason; the reason's length is audited. */
export async function extendRequest(
  db: Db,
  id: string,
  actor: Actor,
  now: Date,
  input: { reason: string; months?: number },
): Promise<ErasureRequest> {
  assertValid(ExtendBody, { reason: input.reason }, "extension");
  return applyEvent(db, id, "extend", actor, now, {
    payload: input,
    auditData: { reasonLength: input.reason.length },
    alongside: async (_trx, next) => ({ dueAt: next.dueAt, extendedDueAt: next.extendedDueAt }),
  });
}

/** failed → approved, re-queueing the failed steps (attempts kept, give-up horizon restarted). */
export async function retryRequest(db: Db, id: string, actor: Actor, now: Date): Promise<ErasureRequest> {
  return applyEvent(db, id, "retry", actor, now, {
    alongside: async (trx) => ({ requeuedSteps: await requeueFailedSteps(trx, id, now) }),
  });
}

/** What the worker may add to a transition. */
export interface WorkerPatch {
  /** complete_with_residue: the residue items. */
  residue?: ResidueItem[];
  /** Set (string) or clear (null) why the request waits. */
  waitingFor?: string | null;
  /** Extra audit fields: ids, codes, counts only (e.g. `{ errorCode, step }`). */
  auditData?: Record<string, unknown>;
}

/** The worker's transitions (`start`, `complete`, `complete_with_residue`, `fail`), by `SYSTEM_ACTOR`. */
export async function transitionRequest(
  db: Db,
  id: string,
  event: RequestEvent,
  actor: Actor,
  now: Date,
  patch: WorkerPatch = {},
): Promise<ErasureRequest> {
  return applyEvent(db, id, event, actor, now, {
    payload: patch.residue ? { residue: patch.residue } : {},
    ...(patch.auditData ? { auditData: patch.auditData } : {}),
    ...(patch.waitingFor !== undefined ? { waitingFor: patch.waitingFor } : {}),
  });
}

/**
 * Records why an approved request has not started (null or undefined clears it). Not a state change, so
 * no audit entry; a no-op when nothing changes, so the polling worker does not churn versions.
 */
export async function setWaitingFor(db: Db, id: string, waitingFor: string | null | undefined, now: Date): Promise<ErasureRequest> {
  return inTransaction(db, async (trx) => {
    await lockAuditHead(trx); // same lock order as every other request change (see lockAuditHead)
    const row = await findRequestById(trx, id);
    if (!row) throw new AppError("RequestNotFound", "No such erasure request");
    const before = requestFromRow(row);
    if ((before.waitingFor ?? null) === (waitingFor ?? null)) return before;
    await updateRequestRow(trx, id, before.version, { waiting_for: waitingFor ?? null, updated_at: now.toISOString() });
    const { waitingFor: _old, ...rest } = before;
    const after: ErasureRequest = { ...rest, updatedAt: now.toISOString(), version: before.version + 1 };
    return waitingFor == null ? after : { ...after, waitingFor };
  });
}
