import type { ErasureRequestView } from "../../backend/contract/schemas.ts";
import type { ApiClient } from "./client.ts";

/** Cancels the caller's own request while it is still pending. */
export function cancelRequest(client: ApiClient, id: string): Promise<ErasureRequestView> {
  return client.request<ErasureRequestView>("POST", `/api/requests/${encodeURIComponent(id)}/cancel`, { body: {} });
}
