import type { Me } from "../../backend/contract/schemas.ts";
import type { ApiClient } from "./client.ts";

/** Who the backend says the caller is (role and Connect user come from the server, not the workspace). */
export function getMe(client: ApiClient, signal?: AbortSignal): Promise<Me> {
  return client.request<Me>("GET", "/api/me", { signal });
}
