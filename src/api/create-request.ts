import type { ErasureRequestView, RaiseRequestBody } from "../../backend/contract/schemas.ts";
import type { ApiClient } from "./client.ts";

/** Raises an erasure request; the idempotency key makes a retried submit return the same request. */
export function createRequest(client: ApiClient, body: RaiseRequestBody, idempotencyKey: string): Promise<ErasureRequestView> {
  return client.request<ErasureRequestView>("POST", "/api/requests", { body, idempotencyKey });
}
