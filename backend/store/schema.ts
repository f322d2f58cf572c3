/**
 * Table types of the store, as Kysely sees them. Portable across SQLite and PostgreSQL: text ids, integers,
 * JSON as text, ISO-8601 UTC timestamps as text. Only ids, states, counts and staff identities live here,
 * never caller personal data (ARCHITECTURE §5).
 */
import type { Generated, Insertable, Selectable, Updateable } from "kysely";

/** One erasure request (mirrors `ErasureRequest`). */
export interface ErasureRequestsTable {
  /** Request id (UUID v4). */
  id: string;
  /** RequestStatus; changed only through the domain state machine. */
  status: string;
  /** Contact the request was raised on. */
  contact_id: string;
  /** First contact of the transfer chain. */
  initial_contact_id: string;
  /** Amazon Connect instance id. */
  instance_id: string;
  /** Scope as JSON: `{ contactChain, customerHistory }`. */
  scope_json: string;
  /** How identity was verified, as JSON: `{ method, confirmedByCustomer }`. */
  verification_json: string;
  /** Optional staff note (length-capped, never copied to the audit log). */
  note: string | null;
  /** Requester's username. */
  requested_by: string;
  /** Requester's subject; four-eyes compares this. */
  requested_by_subject: string;
  /** When the request was received (ISO). */
  requested_at: string;
  /** Approver's username. */
  approved_by: string | null;
  /** When it was approved (ISO). */
  approved_at: string | null;
  /** Rejection as JSON: `{ reasonCode, note?, rejectedBy, rejectedAt }`. */
  rejection_json: string | null;
  /** Art. 12(3) deadline (ISO). */
  due_at: string;
  /** Deadline after the one extension (ISO). */
  extended_due_at: string | null;
  /** Why the deadline was extended. */
  extension_reason: string | null;
  /** Why an approved request has not started yet. */
  waiting_for: string | null;
  /** Residue items as a JSON array. */
  residue_json: Generated<string>;
  /** Client Idempotency-Key of the raise, unique per requester. */
  idempotency_key: string | null;
  /** SHA-256 of the canonical raise body, to tell a replay from a reused key. */
  body_hash: string | null;
  /** Last change (ISO). */
  updated_at: string;
  /** Optimistic-concurrency counter; every update checks and increments it. */
  version: Generated<number>;
}

/** One step of a request's erasure plan; leased and completed by the executor. */
export interface ErasureStepsTable {
  /** Step id (UUID v4). */
  id: string;
  /** Owning request. */
  request_id: string;
  /** StepName. */
  name: string;
  /** Position in the plan, 0..6. */
  seq: number;
  /** `pending | running | retry | succeeded | failed`. */
  status: string;
  /** Attempts so far. */
  attempts: Generated<number>;
  /** Not before this time (ISO). */
  run_at: string;
  /** First attempt of the current run (ISO); the give-up horizon counts from here. */
  first_attempt_at: string | null;
  /** Worker holding the lease. */
  lease_owner: string | null;
  /** Fencing token; every write of a result must present it. */
  lease_token: string | null;
  /** Lease expiry (ISO). */
  lease_expires_at: string | null;
  /** Counts as JSON object (e.g. `{ "objectVersions": 3 }`). */
  counts_json: Generated<string>;
  /** Result as JSON: object keys, version ids, contact ids, never values. */
  result_json: Generated<string>;
  /** AppError code of the last failure. */
  last_error_code: string | null;
  /** When read-back verification passed (ISO). */
  verified_at: string | null;
  /** Last change (ISO). */
  updated_at: string;
}

/** One contact id in a request's resolved scope. */
export interface RequestContactsTable {
  /** Owning request. */
  request_id: string;
  /** A contact id in the resolved scope. */
  contact_id: string;
}

/** One hash-chained audit entry. */
export interface AuditLogTable {
  /** Position in the chain, 1, 2, 3 … without gaps. */
  seq: number;
  /** When (ISO). */
  at: string;
  /** Username of the employee, or `system:worker`. */
  actor: string;
  /** What happened, e.g. `request.raised`. */
  action: string;
  /** Request concerned, if any. */
  request_id: string | null;
  /** Canonical JSON of ids, counts, codes and HMACs (never caller data, never notes). */
  data_json: string;
  /** Hash of the previous entry (64 zeros for the first). */
  prev_hash: string;
  /** SHA-256(prev_hash ‖ canonical entry), hex. */
  hash: string;
}

/** The chain's head: the one row every append locks and advances. */
export interface AuditHeadTable {
  /** Always 1: the single row appends lock to serialise the chain. */
  id: number;
  /** Seq of the last entry (0 when empty). */
  seq: number;
  /** Hash of the last entry. */
  hash: string;
}

/**
 * The whole database. Other areas that add tables in their own migrations extend this interface by
 * declaration merging (`declare module "…/store/schema.ts" { interface Database { … } }`).
 */
export interface Database {
  erasure_requests: ErasureRequestsTable;
  erasure_steps: ErasureStepsTable;
  request_contacts: RequestContactsTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
}

export type RequestRow = Selectable<ErasureRequestsTable>;
export type NewRequestRow = Insertable<ErasureRequestsTable>;
export type RequestRowUpdate = Updateable<ErasureRequestsTable>;
export type StepRow = Selectable<ErasureStepsTable>;
export type NewStepRow = Insertable<ErasureStepsTable>;
export type StepRowUpdate = Updateable<ErasureStepsTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type NewAuditRow = Insertable<AuditLogTable>;
