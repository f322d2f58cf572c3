import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { SYSTEM_ACTOR, type Actor, type ErasureRequest, type RequestStatus } from "./request.ts";
import { REQUEST_EVENTS, addCalendarMonths, dueDate, transition, type RequestEvent, type TransitionPayload } from "./request-state.ts";

const STATUSES: RequestStatus[] = [
  "pending_approval",
  "approved",
  "running",
  "completed",
  "completed_with_residue",
  "failed",
  "rejected",
  "cancelled",
];

const agentRequester: Actor = { subject: "sub-alice", username: "agent.alice", role: "agent" };
const agentOther: Actor = { subject: "sub-bob", username: "agent.bob", role: "agent" };
const supervisorRequester: Actor = { subject: "sub-sam", username: "supervisor.sam", role: "supervisor" };
const supervisorOther: Actor = { subject: "sub-sue", username: "supervisor.sue", role: "supervisor" };
type ActorKind = "agentRequester" | "agentOther" | "supervisorRequester" | "supervisorOther" | "system";
const ACTORS: Record<ActorKind, Actor> = {
  agentRequester,
  agentOther,
  supervisorRequester,
  supervisorOther,
  system: SYSTEM_ACTOR,
};

/** Every allowed (status, event) pair and where it leads, written out literally. */
const ALLOWED: [RequestStatus, RequestEvent, RequestStatus][] = [
  ["pending_approval", "approve", "approved"],
  ["pending_approval", "reject", "rejected"],
  ["pending_approval", "cancel", "cancelled"],
  ["pending_approval", "extend", "pending_approval"],
  ["approved", "extend", "approved"],
  ["approved", "start", "running"],
  ["approved", "fail", "failed"],
  ["running", "extend", "running"],
  ["running", "complete", "completed"],
  ["running", "complete_with_residue", "completed_with_residue"],
  ["running", "fail", "failed"],
  ["failed", "extend", "failed"],
  ["failed", "retry", "approved"],
];

/** Who may send each event, and what everyone else gets. */
const WHO: Record<RequestEvent, Record<ActorKind, "ok" | "Forbidden" | "SelfApproval">> = {
  approve: { agentRequester: "Forbidden", agentOther: "Forbidden", supervisorRequester: "SelfApproval", supervisorOther: "ok", system: "Forbidden" },
  reject: { agentRequester: "Forbidden", agentOther: "Forbidden", supervisorRequester: "ok", supervisorOther: "ok", system: "Forbidden" },
  cancel: { agentRequester: "ok", agentOther: "Forbidden", supervisorRequester: "ok", supervisorOther: "Forbidden", system: "Forbidden" },
  extend: { agentRequester: "Forbidden", agentOther: "Forbidden", supervisorRequester: "ok", supervisorOther: "ok", system: "Forbidden" },
  retry: { agentRequester: "Forbidden", agentOther: "Forbidden", supervisorRequester: "ok", supervisorOther: "ok", system: "Forbidden" },
  start: { agentRequester: "Forbidden", agentOther: "Forbidden", supervisorRequester: "Forbidden", supervisorOther: "Forbidden", system: "ok" },
  complete: { agentRequester: "Forbidden", agentOther: "Forbidden", supervisorRequester: "Forbidden", supervisorOther: "Forbidden", system: "ok" },
  complete_with_residue: { agentRequester: "Forbidden", agentOther: "Forbidden", supervisorRequester: "Forbidden", supervisorOther: "Forbidden", system: "ok" },
  fail: { agentRequester: "Forbidden", agentOther: "Forbidden", supervisorRequester: "Forbidden", supervisorOther: "Forbidden", system: "ok" },
};

const PAYLOAD: Partial<Record<RequestEvent, TransitionPayload>> = {
  reject: { reasonCode: "identity_not_verified" },
  extend: { reason: "complex chain across many contacts" },
  complete_with_residue: { residue: [{ kind: "object_lock", reason: "locked until its retain-until date" }] },
};

const NOW = new Date("2027-01-10T12:00:00.000Z");

function request(status: RequestStatus, requester: Actor = agentRequester, extra: Partial<ErasureRequest> = {}): ErasureRequest {
  return {
    id: "7b0f3c0e-0000-4000-8000-000000000001",
    status,
    contactId: "c0ffee00-0000-4000-8000-000000000001",
    initialContactId: "c0ffee00-0000-4000-8000-000000000001",
    instanceId: "instance-1",
    scope: { contactChain: true, customerHistory: false },
    verification: { method: "knowledge_based", confirmedByCustomer: true },
    requestedBy: requester.username,
    requestedBySubject: requester.subject,
    requestedAt: "2027-01-05T09:30:00.000Z",
    dueAt: "2027-02-05T09:30:00.000Z",
    residue: [],
    updatedAt: "2027-01-05T09:30:00.000Z",
    version: 1,
    ...extra,
  };
}

function errorOf(fn: () => unknown): AppError | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
}

describe("transition: every (status × event × actor) cell", () => {
  const requesters: [string, Actor][] = [
    ["agent-raised", agentRequester],
    ["supervisor-raised", supervisorRequester],
  ];
  const cells: [string, RequestStatus, RequestEvent, ActorKind, Actor][] = [];
  for (const [label, requester] of requesters) {
    for (const status of STATUSES) {
      for (const event of REQUEST_EVENTS) {
        for (const kind of Object.keys(ACTORS) as ActorKind[]) cells.push([label, status, event, kind, requester]);
      }
    }
  }

  it("covers 2 requesters × 8 statuses × 9 events × 5 actors", () => {
    expect(cells).toHaveLength(2 * 8 * 9 * 5);
  });

  it.each(cells)("%s: %s + %s by %s", (_label, status, event, kind, requester) => {
    // The request's requester is the "requester" actor of the same role as the label; the other-role requester
    // actor is then simply someone else, so map kinds to the right relationship.
    const actor = ACTORS[kind];
    const isRequesterKind = actor.subject === requester.subject;
    const relationKind: ActorKind =
      kind === "system"
        ? "system"
        : actor.role === "agent"
          ? isRequesterKind ? "agentRequester" : "agentOther"
          : isRequesterKind ? "supervisorRequester" : "supervisorOther";
    const before = request(status, requester);
    const frozen = structuredClone(before);
    const who = WHO[event][relationKind];
    const allowed = ALLOWED.find(([s, e]) => s === status && e === event);

    const err = errorOf(() => transition(before, event, actor, NOW, PAYLOAD[event]));
    if (who !== "ok") {
      expect(err?.code).toBe(who);
      expect(err?.httpStatus).toBe(403);
    } else if (!allowed) {
      expect(err?.code).toBe("InvalidTransition");
      expect(err?.httpStatus).toBe(409);
    } else {
      expect(err).toBeUndefined();
      const after = transition(before, event, actor, NOW, PAYLOAD[event]);
      expect(after.status).toBe(allowed[2]);
      expect(after.version).toBe(before.version + 1);
      expect(after.updatedAt).toBe(NOW.toISOString());
    }
    expect(before).toEqual(frozen); // pure: the input is never modified
  });
});

describe("transition: what each event records", () => {
  it("approve records the approver and time", () => {
    const after = transition(request("pending_approval"), "approve", supervisorOther, NOW);
    expect(after).toMatchObject({ status: "approved", approvedBy: "supervisor.sue", approvedAt: NOW.toISOString() });
  });

  it("self-approval is judged by subject, not username: same username with another subject may approve", () => {
    const lookalike: Actor = { subject: "sub-other", username: supervisorRequester.username, role: "supervisor" };
    const req = request("pending_approval", supervisorRequester);
    expect(transition(req, "approve", lookalike, NOW).status).toBe("approved");
    const sameSubject: Actor = { subject: supervisorRequester.subject, username: "renamed", role: "supervisor" };
    expect(errorOf(() => transition(req, "approve", sameSubject, NOW))?.code).toBe("SelfApproval");
  });

  it("reject needs a reason code and records it with the optional note", () => {
    expect(errorOf(() => transition(request("pending_approval"), "reject", supervisorOther, NOW))?.code).toBe("ValidationFailed");
    const after = transition(request("pending_approval"), "reject", supervisorOther, NOW, { reasonCode: "legal_claims", note: "see ticket" });
    expect(after.rejection).toEqual({ reasonCode: "legal_claims", note: "see ticket", rejectedBy: "supervisor.sue", rejectedAt: NOW.toISOString() });
  });

  it("extend: original due + 2 calendar months by default, with the reason", () => {
    const after = transition(request("approved"), "extend", supervisorOther, NOW, { reason: "many contacts" });
    expect(after.extendedDueAt).toBe("2027-04-05T09:30:00.000Z");
    expect(after.extensionReason).toBe("many contacts");
    expect(after.dueAt).toBe("2027-02-05T09:30:00.000Z");
  });

  it("extend by one month is allowed; clamped at month end", () => {
    const req = request("pending_approval", agentRequester, { dueAt: "2027-01-31T08:00:00.000Z" });
    expect(transition(req, "extend", supervisorOther, NOW, { reason: "r", months: 1 }).extendedDueAt).toBe("2027-02-28T08:00:00.000Z");
    expect(transition(req, "extend", supervisorOther, NOW, { reason: "r" }).extendedDueAt).toBe("2027-03-31T08:00:00.000Z");
  });

  it("a second extension is refused", () => {
    const once = transition(request("running"), "extend", supervisorOther, NOW, { reason: "first" });
    const err = errorOf(() => transition(once, "extend", supervisorRequester, NOW, { reason: "second" }));
    expect(err?.code).toBe("ExtensionNotAllowed");
  });

  it.each([0, 3, 1.5, -1, 24])("an extension of %s months is refused", (months) => {
    expect(errorOf(() => transition(request("approved"), "extend", supervisorOther, NOW, { reason: "r", months }))?.code).toBe("ExtensionNotAllowed");
  });

  it.each([undefined, "", "   "])("an extension without a reason (%j) is refused", (reason) => {
    const payload: TransitionPayload = reason === undefined ? {} : { reason };
    expect(errorOf(() => transition(request("approved"), "extend", supervisorOther, NOW, payload))?.code).toBe("ValidationFailed");
  });

  it("complete_with_residue needs residue; complete refuses residue", () => {
    expect(errorOf(() => transition(request("running"), "complete_with_residue", SYSTEM_ACTOR, NOW, { residue: [] }))?.code).toBe("ValidationFailed");
    expect(errorOf(() => transition(request("running"), "complete", SYSTEM_ACTOR, NOW, PAYLOAD.complete_with_residue))?.code).toBe("ValidationFailed");
    const after = transition(request("running"), "complete_with_residue", SYSTEM_ACTOR, NOW, PAYLOAD.complete_with_residue);
    expect(after.residue).toHaveLength(1);
    // By-design residue alone is declared on a plain `completed`, and cannot make it partial.
    const declared = { residue: [{ kind: "ctr_metadata" as const, reason: "contact record kept until retention" }] };
    expect(transition(request("running"), "complete", SYSTEM_ACTOR, NOW, declared).residue).toEqual(declared.residue);
    expect(errorOf(() => transition(request("running"), "complete_with_residue", SYSTEM_ACTOR, NOW, declared))?.code).toBe("ValidationFailed");
  });

  it("start and retry clear waitingFor", () => {
    const waiting = request("approved", agentRequester, { waitingFor: "contact still live" });
    expect(transition(waiting, "start", SYSTEM_ACTOR, NOW).waitingFor).toBeUndefined();
    const failed = request("failed", agentRequester, { waitingFor: "x" });
    expect(transition(failed, "retry", supervisorOther, NOW).waitingFor).toBeUndefined();
  });
});

describe("dueDate: received + one calendar month, clamped at month end (Art. 12(3))", () => {
  it.each([
    ["2027-01-31T10:15:00.000Z", "2027-02-28T10:15:00.000Z"],
    ["2028-01-31T10:15:00.000Z", "2028-02-29T10:15:00.000Z"],
    ["2027-03-31T00:00:00.000Z", "2027-04-30T00:00:00.000Z"],
    ["2027-01-15T23:59:59.999Z", "2027-02-15T23:59:59.999Z"],
    ["2027-12-31T12:00:00.000Z", "2028-01-31T12:00:00.000Z"],
    ["2027-12-15T12:00:00.000Z", "2028-01-15T12:00:00.000Z"],
    ["2027-02-28T12:00:00.000Z", "2027-03-28T12:00:00.000Z"],
    ["2100-01-31T12:00:00.000Z", "2100-02-28T12:00:00.000Z"],
    ["2000-01-31T12:00:00.000Z", "2000-02-29T12:00:00.000Z"],
  ])("%s → %s", (received, due) => {
    expect(dueDate(received)).toBe(due);
  });

  it("addCalendarMonths crosses years and clamps", () => {
    expect(addCalendarMonths("2027-11-30T00:00:00.000Z", 3)).toBe("2028-02-29T00:00:00.000Z");
    expect(addCalendarMonths("2027-10-31T00:00:00.000Z", 2)).toBe("2027-12-31T00:00:00.000Z");
  });

  it("refuses a non-date", () => {
    expect(errorOf(() => dueDate("not a date"))?.code).toBe("ValidationFailed");
  });
});
