import type { ErasureRequestView } from "../../backend/contract/schemas.ts";
import type { ApiClient } from "./client.ts";

/** Re-queues the failed steps of a request (supervisor). */
export function retryRequest(client: ApiClient, id: string): Promise<ErasureRequestView> {
  return client.request<ErasureRequestView>("POST", `/api/requests/${encodeURIComponent(id)}/retry`, { body: {} });
}
