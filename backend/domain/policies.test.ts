import { describe, expect, it } from "vitest";
import { SYSTEM_ACTOR, type Actor } from "./request.ts";
import {
  assertCanView,
  canApprove,
  canCancel,
  canRaise,
  canRaiseOnContact,
  canView,
  canViewAudit,
  listFilterFor,
} from "./policies.ts";

const alice: Actor = { subject: "sub-alice", username: "agent.alice", role: "agent", connectUserId: "cu-alice" };
const bob: Actor = { subject: "sub-bob", username: "agent.bob", role: "agent", connectUserId: "cu-bob" };
const sam: Actor = { subject: "sub-sam", username: "supervisor.sam", role: "supervisor" };
const sue: Actor = { subject: "sub-sue", username: "supervisor.sue", role: "supervisor" };
const alicesRequest = { requestedBySubject: "sub-alice" };
const samsRequest = { requestedBySubject: "sub-sam" };

describe("policies", () => {
  it("the owner and supervisors may view; another agent and the worker may not", () => {
    expect(canView(alice, alicesRequest)).toBe(true);
    expect(canView(sam, alicesRequest)).toBe(true);
    expect(canView(bob, alicesRequest)).toBe(false);
    expect(canView(SYSTEM_ACTOR, alicesRequest)).toBe(false);
    expect(() => assertCanView(bob, alicesRequest)).toThrow(expect.objectContaining({ code: "Forbidden" }));
  });

  it("agents are confined to their own requests in lists; supervisors are not", () => {
    expect(listFilterFor(alice)).toEqual({ requestedBySubject: "sub-alice" });
    expect(listFilterFor(sam)).toEqual({});
    expect(listFilterFor(SYSTEM_ACTOR)).toEqual({ requestedBySubject: SYSTEM_ACTOR.subject });
  });

  it("agents raise only on contacts they handled; supervisors on any; the worker never", () => {
    expect(canRaise(alice)).toBe(true);
    expect(canRaise(SYSTEM_ACTOR)).toBe(false);
    expect(canRaiseOnContact(alice, "cu-alice")).toBe(true);
    expect(canRaiseOnContact(alice, "cu-bob")).toBe(false);
    expect(canRaiseOnContact(alice, undefined)).toBe(false);
    expect(canRaiseOnContact({ ...alice, connectUserId: undefined }, undefined)).toBe(false);
    expect(canRaiseOnContact(sam, "cu-bob")).toBe(true);
    expect(canRaiseOnContact(SYSTEM_ACTOR, "cu-bob")).toBe(false);
  });

  it("four eyes: a supervisor approves others' requests, never their own; agents never", () => {
    expect(canApprove(sue, samsRequest)).toBe(true);
    expect(canApprove(sam, samsRequest)).toBe(false);
    expect(canApprove(alice, samsRequest)).toBe(false);
    expect(canApprove(SYSTEM_ACTOR, samsRequest)).toBe(false);
  });

  it("only the requester cancels", () => {
    expect(canCancel(alice, alicesRequest)).toBe(true);
    expect(canCancel(sam, alicesRequest)).toBe(false);
    expect(canCancel(sam, samsRequest)).toBe(true);
  });

  it("only supervisors read the audit trail", () => {
    expect(canViewAudit(sam)).toBe(true);
    expect(canViewAudit(alice)).toBe(false);
    expect(canViewAudit(SYSTEM_ACTOR)).toBe(false);
  });
});
