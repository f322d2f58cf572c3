/**
 * Pure authorization rules (ASVS 8.2: function and data level), shared by the HTTP layer and the state
 * machine so that the same rule is never written twice. No I/O: callers pass in what they know.
 */
import { AppError } from "../errors.ts";
import { SYSTEM_ACTOR, type Actor, type ErasureRequest } from "./request.ts";

type Owned = Pick<ErasureRequest, "requestedBySubject">;

/** True for the erasure worker, which must never take a human decision. */
export function isSystem(actor: Actor): boolean {
  return actor.subject === SYSTEM_ACTOR.subject;
}

/** A signed-in supervisor (the worker's supervisor-like role does not count). */
export function isSupervisor(actor: Actor): boolean {
  return actor.role === "supervisor" && !isSystem(actor);
}

/** True when the actor raised the request; compares subjects, never usernames. */
export function isRequester(actor: Actor, req: Owned): boolean {
  return !isSystem(actor) && actor.subject === req.requestedBySubject;
}

/** Owner or supervisor may see a request (BOLA guard for GET, events and certificate). */
export function canView(actor: Actor, req: Owned): boolean {
  return isSupervisor(actor) || isRequester(actor, req);
}

/** The list filter an actor is confined to: agents see only their own requests, supervisors all. */
export function listFilterFor(actor: Actor): { requestedBySubject?: string } {
  return isSupervisor(actor) ? {} : { requestedBySubject: actor.subject };
}

/** Any signed-in employee may raise; the worker may not. */
export function canRaise(actor: Actor): boolean {
  return !isSystem(actor) && (actor.role === "agent" || actor.role === "supervisor");
}

/**
 * Whether the actor may raise on a contact handled by `contactAgentConnectUserId`
 * (DescribeContact.AgentInfo.Id): agents only on their own contacts, supervisors on any.
 */
export function canRaiseOnContact(actor: Actor, contactAgentConnectUserId: string | undefined): boolean {
  if (!canRaise(actor)) return false;
  if (isSupervisor(actor)) return true;
  return actor.connectUserId !== undefined && actor.connectUserId === contactAgentConnectUserId;
}

/** Four eyes: a supervisor who is not the requester. */
export function canApprove(actor: Actor, req: Owned): boolean {
  return isSupervisor(actor) && !isRequester(actor, req);
}

/** Any supervisor may reject, including on their own request. */
export function canReject(actor: Actor): boolean {
  return isSupervisor(actor);
}

/** Only the requester withdraws their own request (the state machine adds: only while pending). */
export function canCancel(actor: Actor, req: Owned): boolean {
  return isRequester(actor, req);
}

/** Extending the Art. 12(3) deadline is a supervisor decision. */
export function canExtend(actor: Actor): boolean {
  return isSupervisor(actor);
}

/** Re-queueing failed steps is a supervisor decision; the original approval still stands. */
export function canRetry(actor: Actor): boolean {
  return isSupervisor(actor);
}

/** The audit trail and its verification are for supervisors (privacy officer) only. */
export function canViewAudit(actor: Actor): boolean {
  return isSupervisor(actor);
}

/** Throws `Forbidden` unless the actor may view the request. */
export function assertCanView(actor: Actor, req: Owned): void {
  if (!canView(actor, req)) throw new AppError("Forbidden", "Only the requester or a supervisor may see this request");
}
