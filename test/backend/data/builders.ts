/** Builders for the data-area tests: actors, raise inputs, and fixed clocks. */
import { randomUUID } from "node:crypto";
import type { Actor } from "../../../backend/domain/request.ts";
import type { RaiseInput } from "../../../backend/requests/request-service.ts";

export const alice: Actor = { subject: "sub-alice", username: "agent.alice", role: "agent", connectUserId: "cu-alice" };
export const bob: Actor = { subject: "sub-bob", username: "agent.bob", role: "agent", connectUserId: "cu-bob" };
export const sam: Actor = { subject: "sub-sam", username: "supervisor.sam", role: "supervisor" };
export const sue: Actor = { subject: "sub-sue", username: "supervisor.sue", role: "supervisor" };

export const HMAC_KEY = "test-hmac-key-0123456789abcdef";
export const T0 = new Date("2027-01-31T10:15:00.000Z");

/** `ms` after T0. */
export function at(ms: number): Date {
  return new Date(T0.getTime() + ms);
}

/** A raise input on a fresh random contact. */
export function raiseInput(overrides: Partial<RaiseInput> = {}): RaiseInput {
  const contactId = overrides.contactId ?? randomUUID();
  return {
    contactId,
    initialContactId: contactId,
    instanceId: "instance-test",
    scope: { contactChain: true, customerHistory: false },
    verification: { method: "knowledge_based", confirmedByCustomer: true },
    ...overrides,
  };
}
