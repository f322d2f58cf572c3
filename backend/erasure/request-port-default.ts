/**
 * The RequestPort over the data area's request service, audit log and contacts repository.
 *
 * The request service opens its own transaction per use case; the executor must run a transition inside the
 * transaction that also records the fenced step outcome (otherwise a worker that lost its lease could still move
 * the request). `joined(trx)` lends the open transaction to such a call: its `transaction().execute(fn)` runs `fn`
 * on the same transaction instead of opening a nested one, which Kysely does not support.
 */
import type { Kysely, Transaction } from "kysely";
import { appendAudit } from "../audit/audit-log.ts";
import { SYSTEM_ACTOR } from "../domain/request.ts";
import { getRequest, setWaitingFor, transitionRequest } from "../requests/request-service.ts";
import { setRequestContacts } from "../store/request-contacts-repository.ts";
import type { Database } from "../store/schema.ts";
import type { RequestPort } from "./request-port.ts";

function joined(trx: Transaction<Database>): Kysely<Database> {
  return new Proxy(trx, {
    get(target, prop, receiver) {
      if (prop === "transaction") {
        return () => ({ execute: <T>(fn: (t: Transaction<Database>) => Promise<T>) => fn(target) });
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

/** The production RequestPort. */
export const defaultRequestPort: RequestPort = {
  get: (db, requestId) => getRequest(db, requestId),
  async transition(trx, requestId, event, now, patch = {}) {
    await transitionRequest(joined(trx), requestId, event, SYSTEM_ACTOR, now, patch);
  },
  async setWaitingFor(trx, requestId, waitingFor, now) {
    await setWaitingFor(joined(trx), requestId, waitingFor ?? undefined, now);
  },
  setContacts: (trx, requestId, contactIds) => setRequestContacts(trx, requestId, contactIds),
  async audit(trx, entry) {
    await appendAudit(trx, { at: entry.at, actor: SYSTEM_ACTOR, action: entry.action, requestId: entry.requestId, data: entry.data });
  },
};
