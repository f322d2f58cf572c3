/**
 * The RequestPort over the data area's request service, audit log and contacts repository. The request service
 * joins a transaction it is given, so a worker transition commits or rolls back with the fenced step outcome.
 */
import { appendAudit } from "../audit/audit-log.ts";
import { SYSTEM_ACTOR } from "../domain/request.ts";
import { getRequest, setWaitingFor, transitionRequest } from "../requests/request-service.ts";
import { setRequestContacts } from "../store/request-contacts-repository.ts";
import type { RequestPort } from "./request-port.ts";

/** The production RequestPort. */
export const defaultRequestPort: RequestPort = {
  get: (db, requestId) => getRequest(db, requestId),
  async transition(trx, requestId, event, now, patch = {}) {
    await transitionRequest(trx, requestId, event, SYSTEM_ACTOR, now, patch);
  },
  async setWaitingFor(trx, requestId, waitingFor, now) {
    await setWaitingFor(trx, requestId, waitingFor ?? undefined, now);
  },
  setContacts: (trx, requestId, contactIds) => setRequestContacts(trx, requestId, contactIds),
  async audit(trx, entry) {
    await appendAudit(trx, { at: entry.at, actor: SYSTEM_ACTOR, action: entry.action, requestId: entry.requestId, data: entry.data });
  },
};
