/**
 * The erasure request as the domain sees it: plain data, no I/O. Rows become this shape in one mapping
 * function in `backend/requests/`; the HTTP layer turns it into `ErasureRequestView`.
 */
import type {
  RejectionReason,
  RequestStatus,
  ResidueItem,
  ResidueKind,
  Scope,
  Verification,
} from "../contract/schemas.ts";

export type { RejectionReason, RequestStatus, ResidueItem, Scope, Verification };

/**
 * Residue that exists by design for every Connect erasure (gdpr.md §4): contact-record metadata kept until its
 * retention date, CTR stream copies, the analytics data lake, Art. 19 recipients to notify. It is declared on a
 * `completed` request; any other kind (Object Lock, legal hold, access denied, replica, …) means personal data
 * remains in a store the tool covers, and the request can only be `completed_with_residue`.
 */
export const DECLARED_RESIDUE_KINDS: ReadonlySet<ResidueKind> = new Set<ResidueKind>([
  "ctr_metadata",
  "stream_copies",
  "data_lake",
  "art19_recipient",
]);

/** True when some residue item blocks a plain `completed`. */
export function hasBlockingResidue(residue: readonly ResidueItem[]): boolean {
  return residue.some((r) => !DECLARED_RESIDUE_KINDS.has(r.kind));
}

/** Who acts: a signed-in employee, or the worker (`SYSTEM_ACTOR`). Never a caller. */
export interface Actor {
  /** Stable identity (`sub` claim); what four-eyes compares. */
  subject: string;
  /** Login name shown in the UI and written to the audit log. */
  username: string;
  role: "agent" | "supervisor";
  /** Amazon Connect user id, resolved from the username; agents may only raise on their own contacts. */
  connectUserId?: string;
}

/** The erasure worker. It may only drive execution events (start, complete, fail), never human decisions. */
export const SYSTEM_ACTOR: Readonly<Actor> = Object.freeze({
  subject: "system:worker",
  username: "system:worker",
  role: "supervisor",
});

/** A supervisor's refusal with its Art. 17(3) reason. */
export interface Rejection {
  reasonCode: RejectionReason;
  note?: string;
  rejectedBy: string;
  rejectedAt: string;
}

/** An Art. 17 erasure request: ids, states, staff identities and deadlines only, never caller data. */
export interface ErasureRequest {
  id: string;
  status: RequestStatus;
  /** The contact the request was raised on. */
  contactId: string;
  /** First contact of its transfer chain (DescribeContact.InitialContactId, or contactId itself). */
  initialContactId: string;
  instanceId: string;
  scope: Scope;
  verification: Verification;
  /** Staff free text, length-capped; never copied into the audit log. */
  note?: string;
  /** Username of the requester. */
  requestedBy: string;
  /** Subject of the requester; four-eyes compares this, not the username. */
  requestedBySubject: string;
  requestedAt: string;
  approvedBy?: string;
  approvedAt?: string;
  rejection?: Rejection;
  /** Art. 12(3) deadline: received + one calendar month. */
  dueAt: string;
  /** Deadline after the single permitted extension. */
  extendedDueAt?: string;
  extensionReason?: string;
  /** Why an approved request has not started yet (e.g. a contact still live). */
  waitingFor?: string;
  residue: ResidueItem[];
  updatedAt: string;
  /** Optimistic-concurrency counter, incremented on every update. */
  version: number;
}

/** Statuses in which a request still counts as open: a second request for the same contact is a duplicate. */
export const OPEN_STATUSES = ["pending_approval", "approved", "running", "failed"] as const satisfies readonly RequestStatus[];

/** The deadline currently in force: the extended one if there is one. */
export function effectiveDueAt(req: Pick<ErasureRequest, "dueAt" | "extendedDueAt">): string {
  return req.extendedDueAt ?? req.dueAt;
}
