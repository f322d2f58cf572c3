import type { ListQuery, RequestList } from "../../backend/contract/schemas.ts";
import type { ApiClient } from "./client.ts";

/** Lists requests visible to the caller (agents: their own; supervisors: all), optionally filtered. */
export function listRequests(client: ApiClient, query: ListQuery = {}, signal?: AbortSignal): Promise<RequestList> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const search = params.size > 0 ? `?${params.toString()}` : "";
  return client.request<RequestList>("GET", `/api/requests${search}`, { signal });
}
