import type { ErasureRequestView } from "../../backend/contract/schemas.ts";
import type { ApiClient } from "./client.ts";

/** One request with its steps, residue and deadline. */
export function getRequest(client: ApiClient, id: string, signal?: AbortSignal): Promise<ErasureRequestView> {
  return client.request<ErasureRequestView>("GET", `/api/requests/${encodeURIComponent(id)}`, { signal });
}
