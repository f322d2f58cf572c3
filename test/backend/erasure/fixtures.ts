/**
 * Shared test fixtures of the executor tests: demo actors and a helper that raises and approves a request
 * through the real request service (so step rows exist exactly as approval creates them).
 */
import type { Kysely } from "kysely";
import type { Actor } from "../../../backend/domain/request.ts";
import { approveRequest, raiseRequest } from "../../../backend/requests/request-service.ts";
import type { Database } from "../../../backend/store/schema.ts";

export const HMAC_KEY = "test-hmac-key-executor";
export const ALICE: Actor = { subject: "sub-alice", username: "agent.alice", role: "agent" };
export const SAM: Actor = { subject: "sub-sam", username: "supervisor.sam", role: "supervisor" };

/** Raises (as a supervisor, so no ownership check applies) and approves an erasure request; returns its id. */
export async function approvedRequest(
  db: Kysely<Database>,
  contactId: string,
  options: { instanceId?: string; customerHistory?: boolean; now?: Date } = {},
): Promise<string> {
  const now = options.now ?? new Date();
  const { request } = await raiseRequest(
    db,
    {
      contactId,
      initialContactId: contactId,
      instanceId: options.instanceId ?? "instance-1",
      scope: { contactChain: true, customerHistory: options.customerHistory ?? false },
      verification: { method: "knowledge_based", confirmedByCustomer: true },
    },
    { subject: "sub-sue", username: "supervisor.sue", role: "supervisor" },
    now,
    { hmacKey: HMAC_KEY },
  );
  await approveRequest(db, request.id, SAM, now);
  return request.id;
}
