import type { ErasureRequestView, ExtendBody } from "../../backend/contract/schemas.ts";
import type { ApiClient } from "./client.ts";

/** Extends the deadline once, by up to two months, with a reason (Art. 12(3); supervisor). */
export function extendRequest(client: ApiClient, id: string, body: ExtendBody): Promise<ErasureRequestView> {
  return client.request<ErasureRequestView>("POST", `/api/requests/${encodeURIComponent(id)}/extend`, { body });
}
