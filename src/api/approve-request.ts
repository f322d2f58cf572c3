import type { ErasureRequestView } from "../../backend/contract/schemas.ts";
import type { ApiClient } from "./client.ts";

/** Approves a pending request (a supervisor other than the requester). */
export function approveRequest(client: ApiClient, id: string): Promise<ErasureRequestView> {
  return client.request<ErasureRequestView>("POST", `/api/requests/${encodeURIComponent(id)}/approve`, { body: {} });
}
