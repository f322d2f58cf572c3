import type { ErasureRequestView, RejectBody } from "../../backend/contract/schemas.ts";
import type { ApiClient } from "./client.ts";

/** Rejects a pending request with an Art. 17(3) reason code (supervisor). */
export function rejectRequest(client: ApiClient, id: string, body: RejectBody): Promise<ErasureRequestView> {
  return client.request<ErasureRequestView>("POST", `/api/requests/${encodeURIComponent(id)}/reject`, { body });
}
