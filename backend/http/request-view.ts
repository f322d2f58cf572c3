/** Maps a domain request and its steps to the API's `ErasureRequestView` (ids, states, counts only). */
import type { Kysely } from "kysely";
import type { ErasureRequestView, StepView } from "../contract/schemas.ts";
import type { ErasureRequest } from "../domain/request.ts";
import { listStepViews, listStepViewsByRequest } from "../requests/request-service.ts";
import type { Database } from "../store/schema.ts";

/** The request as the API returns it; internal fields (subject, version, initial contact) stay inside. */
export function toRequestView(req: ErasureRequest, steps: readonly StepView[]): ErasureRequestView {
  return {
    id: req.id,
    status: req.status,
    contactId: req.contactId,
    instanceId: req.instanceId,
    scope: req.scope,
    verification: req.verification,
    ...(req.note !== undefined ? { note: req.note } : {}),
    requestedBy: req.requestedBy,
    requestedAt: req.requestedAt,
    ...(req.approvedBy ? { approvedBy: req.approvedBy } : {}),
    ...(req.approvedAt ? { approvedAt: req.approvedAt } : {}),
    ...(req.rejection ? { rejection: req.rejection } : {}),
    dueAt: req.dueAt,
    ...(req.extendedDueAt ? { extendedDueAt: req.extendedDueAt } : {}),
    ...(req.extensionReason ? { extensionReason: req.extensionReason } : {}),
    ...(req.waitingFor ? { waitingFor: req.waitingFor } : {}),
    steps: [...steps],
    residue: req.residue,
    updatedAt: req.updatedAt,
  };
}

/** Reads the request's steps and builds its view. */
export async function loadRequestView(db: Kysely<Database>, req: ErasureRequest): Promise<ErasureRequestView> {
  return toRequestView(req, await listStepViews(db, req.id));
}

/** Views for a page of requests with one steps query for the whole page (not one per request). */
export async function loadRequestViews(db: Kysely<Database>, reqs: readonly ErasureRequest[]): Promise<ErasureRequestView[]> {
  const steps = await listStepViewsByRequest(db, reqs.map((r) => r.id));
  return reqs.map((r) => toRequestView(r, steps.get(r.id) ?? []));
}
