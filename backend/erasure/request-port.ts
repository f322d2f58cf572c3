/**
 * What the executor needs from the request use cases and the audit log, as one small interface, so steps and
 * the executor depend on these five verbs rather than on the request service's whole surface. The default
 * implementation (`request-port-default.ts`) delegates to `backend/requests/` and `backend/audit/`.
 */
import type { Kysely, Transaction } from "kysely";
import type { ResidueItem } from "../contract/schemas.ts";
import type { ErasureRequest } from "../domain/request.ts";
import type { Database } from "../store/schema.ts";

export type WorkerEvent = "start" | "complete" | "complete_with_residue" | "fail";

export interface RequestPort {
  get(db: Kysely<Database>, requestId: string): Promise<ErasureRequest>;
  /** One state-machine transition by the worker, with its audit entry, inside the caller's transaction. */
  transition(trx: Transaction<Database>, requestId: string, event: WorkerEvent, now: Date, patch?: { residue?: ResidueItem[]; waitingFor?: string | null }): Promise<void>;
  /** Explains why an approved request has not started (`null` clears it); no state change. */
  setWaitingFor(trx: Transaction<Database>, requestId: string, waitingFor: string | null, now: Date): Promise<void>;
  /** Replaces the resolved scope (contact ids only). */
  setContacts(trx: Transaction<Database>, requestId: string, contactIds: readonly string[]): Promise<void>;
  /** Appends one audit entry (ids, counts and codes only). */
  audit(trx: Transaction<Database>, entry: { action: string; requestId: string; data: Record<string, unknown>; at: Date }): Promise<void>;
}
