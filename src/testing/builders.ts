import type { ErasureRequestView } from "../../backend/contract/schemas.ts";

export const CONTACT_ID = "11111111-2222-4333-8444-555555555555";
export const REQUEST_ID = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

/** A request view with sensible defaults; override what the test is about. */
export function aRequest(overrides: Partial<ErasureRequestView> = {}): ErasureRequestView {
  return {
    id: REQUEST_ID,
    status: "pending_approval",
    contactId: CONTACT_ID,
    instanceId: "instance-1",
    scope: { contactChain: true, customerHistory: false },
    verification: { method: "knowledge_based", confirmedByCustomer: true },
    requestedBy: "agent.alice",
    requestedAt: "2026-12-01T10:00:00.000Z",
    dueAt: "2027-01-01T10:00:00.000Z",
    steps: [],
    residue: [],
    updatedAt: "2026-12-01T10:00:00.000Z",
    ...overrides,
  };
}
