import type { CertificateView } from "../../backend/contract/schemas.ts";
import type { ApiClient } from "./client.ts";

/** The erasure certificate: what was erased and verified, what remains as residue, and its audit hash. */
export function getCertificate(client: ApiClient, id: string, signal?: AbortSignal): Promise<CertificateView> {
  return client.request<CertificateView>("GET", `/api/requests/${encodeURIComponent(id)}/certificate`, { signal });
}
