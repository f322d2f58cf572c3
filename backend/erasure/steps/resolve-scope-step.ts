/**
 * Step 1: resolve the contacts in scope, and hold the request while any of them is live. DeleteContactData
 * refuses live contacts and recordings land after the contact, so an approved request waits until every contact
 * has a DisconnectTimestamp plus `config.settleSeconds`, by deferring this step (its `run_at` moves to the future,
 * no attempt is counted, nothing polls in between). Then it stores the scope and moves the request to `running`.
 */
import { resolveScope } from "../scope.ts";
import type { Step, StepContext } from "../step-context.ts";

/** How soon a live contact is looked at again: a few poll intervals, between 1 s and 30 s. */
function liveRecheckMs(ctx: StepContext): number {
  return Math.min(30_000, Math.max(1_000, ctx.config.workerPollMs * 4));
}

/** Resolves the chain (and history), waits for live contacts and the settle time, then starts the request. */
export const resolveScopeStep: Step = async (ctx) => {
  const { request } = ctx;
  const resolved = await resolveScope(ctx.gateways.connect, ctx.gateways.profiles, request.contactId, request.scope.customerHistory);
  const now = ctx.now();
  const live = resolved.contacts.filter((c) => !c.disconnectedAt);
  if (live.length > 0) {
    const waitingFor = `${live.length} of ${resolved.contacts.length} contacts in scope still in progress`;
    return {
      kind: "defer",
      until: new Date(now.getTime() + liveRecheckMs(ctx)),
      waitingFor,
      commit: (trx, at) => ctx.requests.setWaitingFor(trx, request.id, waitingFor, at),
    };
  }
  const lastEnd = Math.max(...resolved.contacts.map((c) => Date.parse(c.disconnectedAt ?? "")));
  const settleUntil = lastEnd + ctx.config.settleSeconds * 1000;
  if (now.getTime() < settleUntil) {
    const waitingFor = `recordings and analysis files settling until ${new Date(settleUntil).toISOString()}`;
    return {
      kind: "defer",
      until: new Date(settleUntil),
      waitingFor,
      commit: (trx, at) => ctx.requests.setWaitingFor(trx, request.id, waitingFor, at),
    };
  }
  const contactIds = resolved.contacts.map((c) => c.id);
  return {
    kind: "done",
    counts: {
      contacts: contactIds.length,
      chains: new Set(resolved.contacts.map((c) => c.initialContactId)).size,
      profilesSearched: resolved.profilesSearched,
    },
    result: { contacts: resolved.contacts },
    commit: async (trx, at) => {
      await ctx.requests.setContacts(trx, request.id, contactIds);
      if (request.status === "approved") await ctx.requests.transition(trx, request.id, "start", at, { waitingFor: null });
    },
  };
};
