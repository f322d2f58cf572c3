import type { PreviewView } from "../../backend/contract/schemas.ts";
import type { ApiClient } from "./client.ts";

/** Dry run for a contact: what an erasure would touch, as counts only. */
export function getPreview(client: ApiClient, contactId: string, signal?: AbortSignal): Promise<PreviewView> {
  return client.request<PreviewView>("GET", `/api/contacts/${encodeURIComponent(contactId)}/preview`, { signal });
}
