/**
 * The request state machine: the only way a request changes status. Pure: it takes the request, the event,
 * who acts and when, and returns the next request or throws an AppError. The store persists the result and
 * the audit entry in one transaction.
 */
import { AppError } from "../errors.ts";
import {
  canApprove,
  canCancel,
  canExtend,
  canReject,
  canRetry,
  isSupervisor,
  isSystem,
} from "./policies.ts";
import type { Actor, ErasureRequest, RejectionReason, RequestStatus, ResidueItem } from "./request.ts";
import { hasBlockingResidue } from "./request.ts";

/** Everything that can happen to a request. */
export const REQUEST_EVENTS = [
  "approve",
  "reject",
  "cancel",
  "extend",
  "start",
  "complete",
  "complete_with_residue",
  "fail",
  "retry",
] as const;
export type RequestEvent = (typeof REQUEST_EVENTS)[number];

/** Event arguments; each event reads only the fields it needs. */
export interface TransitionPayload {
  /** reject: the Art. 17(3) reason. */
  reasonCode?: RejectionReason;
  /** reject: optional staff note (stored on the request, never in the audit log). */
  note?: string;
  /** extend: why the deadline is extended (required). */
  reason?: string;
  /** extend: 1 or 2 calendar months (default 2). */
  months?: number;
  /** complete_with_residue: what could not be erased, and why (required, non-empty). */
  residue?: ResidueItem[];
}

/** Longest extension Art. 12(3) allows, in calendar months. */
export const MAX_EXTENSION_MONTHS = 2;

interface Rule {
  from: readonly RequestStatus[];
  /** `undefined`: the status stays (extend). */
  to?: RequestStatus;
}

/** Which status each event leaves from and goes to. Who may send it is decided in `authorize`. */
export const TRANSITIONS: Readonly<Record<RequestEvent, Rule>> = {
  approve: { from: ["pending_approval"], to: "approved" },
  reject: { from: ["pending_approval"], to: "rejected" },
  cancel: { from: ["pending_approval"], to: "cancelled" },
  extend: { from: ["pending_approval", "approved", "running", "failed"] },
  start: { from: ["approved"], to: "running" },
  complete: { from: ["running"], to: "completed" },
  complete_with_residue: { from: ["running"], to: "completed_with_residue" },
  // approved → failed: a request that waited past the give-up horizon (e.g. a contact that never ended).
  fail: { from: ["approved", "running"], to: "failed" },
  retry: { from: ["failed"], to: "approved" },
};

const SYSTEM_EVENTS: ReadonlySet<RequestEvent> = new Set(["start", "complete", "complete_with_residue", "fail"]);

function authorize(req: ErasureRequest, event: RequestEvent, actor: Actor): void {
  if (SYSTEM_EVENTS.has(event)) {
    if (!isSystem(actor)) throw new AppError("Forbidden", `Only the erasure worker may ${event.replaceAll("_", " ")} a request`);
    return;
  }
  if (isSystem(actor)) throw new AppError("Forbidden", `The erasure worker may not ${event} a request`);
  switch (event) {
    case "approve":
      if (!isSupervisor(actor)) throw new AppError("Forbidden", "Only a supervisor may approve a request");
      if (!canApprove(actor, req)) throw new AppError("SelfApproval", "A request must be approved by someone other than its requester");
      return;
    case "reject":
      if (!canReject(actor)) throw new AppError("Forbidden", "Only a supervisor may reject a request");
      return;
    case "cancel":
      if (!canCancel(actor, req)) throw new AppError("Forbidden", "Only the requester may cancel a request");
      return;
    case "extend":
      if (!canExtend(actor)) throw new AppError("Forbidden", "Only a supervisor may extend a deadline");
      return;
    case "retry":
      if (!canRetry(actor)) throw new AppError("Forbidden", "Only a supervisor may retry a request");
      return;
  }
}

/**
 * Applies `event` to `req`. Checks, in order: who acts (`Forbidden`, `SelfApproval`), the current status
 * (`InvalidTransition`), then the event's arguments (`ValidationFailed`, `ExtensionNotAllowed`). Returns a new
 * request with `updatedAt = now` and `version + 1`; `req` is not modified.
 */
export function transition(
  req: ErasureRequest,
  event: RequestEvent,
  actor: Actor,
  now: Date,
  payload: TransitionPayload = {},
): ErasureRequest {
  authorize(req, event, actor);
  const rule = TRANSITIONS[event];
  if (!rule.from.includes(req.status)) {
    throw new AppError("InvalidTransition", `Cannot ${event.replaceAll("_", " ")} a request that is ${req.status.replaceAll("_", " ")}`, {
      details: { status: req.status, event },
    });
  }
  const at = now.toISOString();
  const next: ErasureRequest = { ...req, status: rule.to ?? req.status, updatedAt: at, version: req.version + 1 };
  switch (event) {
    case "approve":
      return { ...next, approvedBy: actor.username, approvedAt: at };
    case "reject": {
      if (!payload.reasonCode) throw new AppError("ValidationFailed", "A rejection needs a reason code");
      const rejection = { reasonCode: payload.reasonCode, rejectedBy: actor.username, rejectedAt: at };
      return { ...next, rejection: payload.note ? { ...rejection, note: payload.note } : rejection };
    }
    case "extend":
      return { ...next, ...extension(req, payload) };
    case "start": {
      const { waitingFor: _cleared, ...rest } = next;
      return rest;
    }
    case "complete":
      if (payload.residue && hasBlockingResidue(payload.residue)) {
        throw new AppError("ValidationFailed", "A request with blocking residue completes with complete_with_residue");
      }
      return { ...next, residue: payload.residue ?? [] };
    case "complete_with_residue":
      if (!payload.residue || !hasBlockingResidue(payload.residue)) {
        throw new AppError("ValidationFailed", "complete_with_residue needs at least one blocking residue item");
      }
      return { ...next, residue: payload.residue };
    case "retry": {
      const { waitingFor: _cleared, ...rest } = next;
      return rest;
    }
    case "cancel":
    case "fail":
      return next;
  }
}

function extension(req: ErasureRequest, payload: TransitionPayload): Pick<ErasureRequest, "extendedDueAt" | "extensionReason"> {
  if (req.extendedDueAt !== undefined) {
    throw new AppError("ExtensionNotAllowed", "The deadline has already been extended once; Art. 12(3) allows one extension");
  }
  const reason = payload.reason?.trim();
  if (!reason) throw new AppError("ValidationFailed", "An extension needs a reason");
  const months = payload.months ?? MAX_EXTENSION_MONTHS;
  if (!Number.isInteger(months) || months < 1 || months > MAX_EXTENSION_MONTHS) {
    throw new AppError("ExtensionNotAllowed", `An extension is 1 to ${MAX_EXTENSION_MONTHS} calendar months`);
  }
  return { extendedDueAt: addCalendarMonths(req.dueAt, months), extensionReason: reason };
}

/**
 * Adds calendar months in UTC, keeping the time of day and clamping to the last day of the target month
 * (31 January + 1 month = 28 or 29 February), as Art. 12(3) deadlines are counted.
 */
export function addCalendarMonths(iso: string, months: number): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new AppError("ValidationFailed", "Not an ISO-8601 date");
  const target = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), target + 1, 0)).getUTCDate();
  const out = new Date(
    Date.UTC(
      d.getUTCFullYear(),
      target,
      Math.min(d.getUTCDate(), lastDay),
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
      d.getUTCMilliseconds(),
    ),
  );
  return out.toISOString();
}

/** The Art. 12(3) deadline for a request received at `receivedIso`: one calendar month later, clamped. */
export function dueDate(receivedIso: string): string {
  return addCalendarMonths(receivedIso, 1);
}
