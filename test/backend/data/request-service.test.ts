import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sql } from "kysely";
import { appendAudit, listAudit, verifyAudit } from "../../../backend/audit/audit-log.ts";
import { SYSTEM_ACTOR } from "../../../backend/domain/request.ts";
import { AppError } from "../../../backend/errors.ts";
import {
  approveRequest,
  cancelRequest,
  extendRequest,
  getRequest,
  listRequests,
  listStepViews,
  raiseRequest,
  rejectRequest,
  retryRequest,
  setWaitingFor,
  transitionRequest,
} from "../../../backend/requests/request-service.ts";
import { listRequestContacts, setRequestContacts } from "../../../backend/store/request-contacts-repository.ts";
import { findRequestById, updateRequestRow } from "../../../backend/store/request-repository.ts";
import { STEP_ORDER, listSteps } from "../../../backend/store/step-repository.ts";
import { forEachDialect } from "../../support/db.ts";
import { HMAC_KEY, T0, alice, at, bob, raiseInput, sam, sue } from "./builders.ts";

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected an AppError, but the call succeeded");
}

forEachDialect((dialect, getDb) => {
  const opts = { hmacKey: HMAC_KEY };

  async function auditCount(): Promise<number> {
    const row = await getDb().db.selectFrom("audit_log").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function requestRowCount(contactId: string): Promise<number> {
    const row = await getDb()
      .db.selectFrom("erasure_requests")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("contact_id", "=", contactId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  describe("raise", () => {
    it(`${dialect}: when an agent raises, then the request is pending with a one-month deadline and one audit entry with HMACs only`, async () => {
      const { db } = getDb();
      const input = raiseInput();
      const { request, replayed } = await raiseRequest(db, input, alice, T0, opts);
      expect(replayed).toBe(false);
      expect(request).toMatchObject({
        status: "pending_approval",
        contactId: input.contactId,
        requestedBy: "agent.alice",
        requestedBySubject: "sub-alice",
        requestedAt: "2027-01-31T10:15:00.000Z",
        dueAt: "2027-02-28T10:15:00.000Z",
        version: 1,
        residue: [],
      });
      expect(await getRequest(db, request.id)).toEqual(request);
      const entries = await listAudit(db, { requestId: request.id, limit: 10 });
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ action: "request.raised", actor: "agent.alice", requestId: request.id });
      expect(entries[0]?.data).toMatchObject({ verificationMethod: "knowledge_based", noteLength: 0, idempotencyKey: false });
      expect(entries[0]?.data.contact).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(entries)).not.toContain(input.contactId);
    });

    it(`${dialect}: the same Idempotency-Key and body returns the first request and stores no second row`, async () => {
      const { db } = getDb();
      const input = raiseInput({ note: "called back" });
      const key = randomUUID();
      const first = await raiseRequest(db, input, alice, T0, { ...opts, idempotencyKey: key });
      const again = await raiseRequest(db, { ...input }, alice, at(5000), { ...opts, idempotencyKey: key });
      expect(again.replayed).toBe(true);
      expect(again.request).toEqual(first.request);
      expect(await requestRowCount(input.contactId)).toBe(1);
      expect((await listAudit(db, { requestId: first.request.id, limit: 10 })).length).toBe(1);
    });

    it(`${dialect}: the same Idempotency-Key with another body is refused with 422 and stores nothing`, async () => {
      const { db } = getDb();
      const input = raiseInput();
      const key = randomUUID();
      await raiseRequest(db, input, alice, T0, { ...opts, idempotencyKey: key });
      const before = await auditCount();
      const err = await rejection(
        raiseRequest(db, { ...input, scope: { contactChain: true, customerHistory: true } }, alice, T0, { ...opts, idempotencyKey: key }),
      );
      expect(err.code).toBe("IdempotencyKeyReused");
      expect(err.httpStatus).toBe(422);
      expect(await auditCount()).toBe(before);
      expect(await requestRowCount(input.contactId)).toBe(1);
    });

    it(`${dialect}: an Idempotency-Key is scoped to its requester: another user's identical key never replays their request`, async () => {
      const { db } = getDb();
      const key = randomUUID();
      const a = await raiseRequest(db, raiseInput(), alice, T0, { ...opts, idempotencyKey: key });
      const b = await raiseRequest(db, raiseInput(), bob, T0, { ...opts, idempotencyKey: key });
      expect(b.replayed).toBe(false);
      expect(b.request.id).not.toBe(a.request.id);
    });

    it(`${dialect}: a second open request for the same contact is 409 with the existing id; after cancel a new one is allowed`, async () => {
      const { db } = getDb();
      const input = raiseInput();
      const { request } = await raiseRequest(db, input, alice, T0, opts);
      const err = await rejection(raiseRequest(db, input, bob, at(1000), opts));
      expect(err.code).toBe("DuplicateRequest");
      expect(err.httpStatus).toBe(409);
      expect(err.details).toMatchObject({ requestId: request.id });
      await cancelRequest(db, request.id, alice, at(2000));
      const second = await raiseRequest(db, input, alice, at(3000), opts);
      expect(second.request.id).not.toBe(request.id);
      expect(await requestRowCount(input.contactId)).toBe(2);
    });

    it(`${dialect}: a malformed Idempotency-Key and a raise by the worker are refused`, async () => {
      const { db } = getDb();
      expect((await rejection(raiseRequest(db, raiseInput(), alice, T0, { ...opts, idempotencyKey: "has space" }))).code).toBe("ValidationFailed");
      expect((await rejection(raiseRequest(db, raiseInput(), alice, T0, { ...opts, idempotencyKey: "" }))).code).toBe("ValidationFailed");
      expect((await rejection(raiseRequest(db, raiseInput(), SYSTEM_ACTOR, T0, opts))).code).toBe("Forbidden");
      expect((await rejection(raiseRequest(db, raiseInput(), alice, T0, { hmacKey: "" }))).code).toBe("ConfigInvalid");
    });
  });

  describe("validation on the trusted layer", () => {
    it(`${dialect}: malformed raises, rejections and extensions are refused before anything is stored`, async () => {
      const { db } = getDb();
      const before = await auditCount();
      const bad = [
        raiseInput({ contactId: "not-a-uuid" }),
        raiseInput({ note: "x".repeat(501) }),
        { ...raiseInput(), scope: { contactChain: false, customerHistory: false } } as never,
        { ...raiseInput(), verification: { method: "telepathy", confirmedByCustomer: true } } as never,
        { ...raiseInput(), verification: { method: "other", confirmedByCustomer: false } } as never,
        { ...raiseInput(), scope: { contactChain: true, customerHistory: false, extra: 1 } } as never,
        raiseInput({ instanceId: "" }),
      ];
      for (const input of bad) expect((await rejection(raiseRequest(db, input, alice, T0, opts))).code).toBe("ValidationFailed");
      const { request } = await raiseRequest(db, raiseInput(), alice, T0, opts);
      expect((await rejection(rejectRequest(db, request.id, sam, T0, { reasonCode: "because" as never }))).code).toBe("ValidationFailed");
      expect((await rejection(extendRequest(db, request.id, sam, T0, { reason: "x" }))).code).toBe("ValidationFailed");
      expect(await auditCount()).toBe(before + 1);
      expect((await getRequest(db, request.id)).version).toBe(1);
    });
  });

  describe("lifecycle", () => {
    it(`${dialect}: raise → approve (+7 steps) → start → complete with residue, each change audited, chain intact`, async () => {
      const { db } = getDb();
      const { request } = await raiseRequest(db, raiseInput(), alice, T0, opts);
      const approved = await approveRequest(db, request.id, sam, at(60_000));
      expect(approved).toMatchObject({ status: "approved", approvedBy: "supervisor.sam", approvedAt: at(60_000).toISOString(), version: 2 });
      const steps = await listSteps(db, request.id);
      expect(steps.map((s) => s.name)).toEqual([...STEP_ORDER]);
      expect(steps.map((s) => s.seq)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(new Set(steps.map((s) => s.status))).toEqual(new Set(["pending"]));
      expect(steps.every((s) => s.run_at === at(60_000).toISOString())).toBe(true);
      expect(await listStepViews(db, request.id)).toEqual(STEP_ORDER.map((name) => ({ name, status: "pending", attempts: 0, counts: {} })));

      await setWaitingFor(db, request.id, "contact still live", at(61_000));
      expect((await getRequest(db, request.id)).waitingFor).toBe("contact still live");
      const running = await transitionRequest(db, request.id, "start", SYSTEM_ACTOR, at(120_000));
      expect(running.status).toBe("running");
      expect(running.waitingFor).toBeUndefined();
      const residue = [{ kind: "object_lock" as const, reason: "COMPLIANCE retention", until: "2030-01-01T00:00:00.000Z" }];
      const done = await transitionRequest(db, request.id, "complete_with_residue", SYSTEM_ACTOR, at(180_000), {
        residue,
        auditData: { lockedVersions: 1 },
      });
      expect(done).toMatchObject({ status: "completed_with_residue", residue });
      expect(await getRequest(db, request.id)).toEqual(done);

      const actions = (await listAudit(db, { requestId: request.id, limit: 50 })).map((e) => [e.action, e.actor, e.data.from, e.data.to]);
      expect(actions).toEqual([
        ["request.raised", "agent.alice", undefined, undefined],
        ["request.approve", "supervisor.sam", "pending_approval", "approved"],
        ["request.start", "system:worker", "approved", "running"],
        ["request.complete_with_residue", "system:worker", "running", "completed_with_residue"],
      ]);
      expect((await verifyAudit(db)).ok).toBe(true);
    });

    it(`${dialect}: when a supervisor approves their own request, then SelfApproval and nothing changes (row, steps, audit)`, async () => {
      const { db } = getDb();
      const { request } = await raiseRequest(db, raiseInput(), sam, T0, opts);
      const rowBefore = await findRequestById(db, request.id);
      const auditBefore = await auditCount();
      const err = await rejection(approveRequest(db, request.id, sam, at(1000)));
      expect(err.code).toBe("SelfApproval");
      expect(err.httpStatus).toBe(403);
      expect(await findRequestById(db, request.id)).toEqual(rowBefore);
      expect(await listSteps(db, request.id)).toEqual([]);
      expect(await auditCount()).toBe(auditBefore);
      expect((await approveRequest(db, request.id, sue, at(2000))).status).toBe("approved");
    });

    it(`${dialect}: an agent cannot approve; another agent cannot cancel; cancel after approval is refused`, async () => {
      const { db } = getDb();
      const { request } = await raiseRequest(db, raiseInput(), alice, T0, opts);
      expect((await rejection(approveRequest(db, request.id, bob, T0))).code).toBe("Forbidden");
      expect((await rejection(cancelRequest(db, request.id, bob, T0))).code).toBe("Forbidden");
      expect((await rejection(cancelRequest(db, request.id, sam, T0))).code).toBe("Forbidden");
      await approveRequest(db, request.id, sam, at(1000));
      expect((await rejection(cancelRequest(db, request.id, alice, at(2000)))).code).toBe("InvalidTransition");
      expect((await rejection(approveRequest(db, randomUUID(), sam, T0))).code).toBe("RequestNotFound");
    });

    it(`${dialect}: reject records the reason; the note stays on the request and only its length is audited`, async () => {
      const { db } = getDb();
      const { request } = await raiseRequest(db, raiseInput(), alice, T0, opts);
      const rejected = await rejectRequest(db, request.id, sue, at(1000), { reasonCode: "legal_claims", note: "pending litigation" });
      expect(rejected.rejection).toEqual({ reasonCode: "legal_claims", note: "pending litigation", rejectedBy: "supervisor.sue", rejectedAt: at(1000).toISOString() });
      expect(await getRequest(db, request.id)).toEqual(rejected);
      const [, entry] = await listAudit(db, { requestId: request.id, limit: 10 });
      expect(entry?.data).toEqual({ from: "pending_approval", to: "rejected", reasonCode: "legal_claims", noteLength: 18 });
    });

    it(`${dialect}: extend once by two months from the original deadline; a second extension is refused`, async () => {
      const { db } = getDb();
      const { request } = await raiseRequest(db, raiseInput(), alice, T0, opts);
      const extended = await extendRequest(db, request.id, sue, at(1000), { reason: "customer history spans 40 contacts" });
      expect(extended).toMatchObject({ dueAt: "2027-02-28T10:15:00.000Z", extendedDueAt: "2027-04-28T10:15:00.000Z", status: "pending_approval" });
      const err = await rejection(extendRequest(db, request.id, sam, at(2000), { reason: "again" }));
      expect(err.code).toBe("ExtensionNotAllowed");
      expect((await getRequest(db, request.id)).extensionReason).toBe("customer history spans 40 contacts");
      const entries = await listAudit(db, { requestId: request.id, limit: 10 });
      expect(entries[1]?.data).toMatchObject({ reasonLength: 34, extendedDueAt: "2027-04-28T10:15:00.000Z" });
    });

    it(`${dialect}: retry re-queues only the failed steps, keeps attempts, restarts the give-up horizon`, async () => {
      const { db } = getDb();
      const { request } = await raiseRequest(db, raiseInput(), alice, T0, opts);
      await approveRequest(db, request.id, sam, at(1000));
      await transitionRequest(db, request.id, "start", SYSTEM_ACTOR, at(2000));
      // The executor's outcome, injected as state: two steps done, one failed after 5 attempts.
      await db.updateTable("erasure_steps").set({ status: "succeeded" }).where("request_id", "=", request.id).where("seq", "<", 2).execute();
      await db
        .updateTable("erasure_steps")
        .set({ status: "failed", attempts: 5, first_attempt_at: at(2000).toISOString(), last_error_code: "AwsThrottled", lease_owner: "w1", lease_token: "t1" })
        .where("request_id", "=", request.id)
        .where("name", "=", "delete-contact-data")
        .execute();
      await transitionRequest(db, request.id, "fail", SYSTEM_ACTOR, at(3000), { auditData: { step: "delete-contact-data", errorCode: "AwsThrottled" } });
      expect((await rejection(retryRequest(db, request.id, alice, at(4000)))).code).toBe("Forbidden");
      const retried = await retryRequest(db, request.id, sue, at(5000));
      expect(retried.status).toBe("approved");
      const steps = await listSteps(db, request.id);
      const failedOne = steps.find((s) => s.name === "delete-contact-data");
      expect(failedOne).toMatchObject({ status: "pending", attempts: 5, first_attempt_at: null, lease_owner: null, lease_token: null, run_at: at(5000).toISOString() });
      expect(steps.filter((s) => s.status === "succeeded").map((s) => s.name)).toEqual(["resolve-scope", "scrub-attributes"]);
      const last = (await listAudit(db, { requestId: request.id, limit: 10, newestFirst: true }))[0];
      expect(last).toMatchObject({ action: "request.retry", data: { from: "failed", to: "approved", requeuedSteps: ["delete-contact-data"] } });
    });
  });

  describe("concurrency", () => {
    it(`${dialect}: a stale version is refused with Conflict and nothing is written`, async () => {
      const { db } = getDb();
      const { request } = await raiseRequest(db, raiseInput(), alice, T0, opts);
      await approveRequest(db, request.id, sam, at(1000));
      const err = await rejection(updateRequestRow(db, request.id, 1, { status: "cancelled" }));
      expect(err.code).toBe("Conflict");
      expect(err.details).toMatchObject({ expectedVersion: 1, currentVersion: 2 });
      expect((await getRequest(db, request.id)).status).toBe("approved");
    });

    it(`${dialect}: two supervisors approving at once: exactly one wins, one set of steps, one audit entry`, async () => {
      const { db } = getDb();
      const { request } = await raiseRequest(db, raiseInput(), alice, T0, opts);
      const results = await Promise.allSettled([approveRequest(db, request.id, sam, at(1000)), approveRequest(db, request.id, sue, at(1000))]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const loser = results.find((r) => r.status === "rejected");
      expect(["Conflict", "InvalidTransition"]).toContain((loser as PromiseRejectedResult).reason.code);
      expect(await listSteps(db, request.id)).toHaveLength(7);
      expect((await listAudit(db, { requestId: request.id, limit: 10 })).map((e) => e.action)).toEqual(["request.raised", "request.approve"]);
    });

    // Row-lock deadlocks exist only on PostgreSQL; SQLite has a single writer.
    if (dialect === "postgres") it(`${dialect}: an extension racing the worker's audit-then-transition does not deadlock`, async () => {
      const { db } = getDb();
      const { request } = await raiseRequest(db, raiseInput(), alice, T0, opts);
      await approveRequest(db, request.id, sam, at(1));
      let extension: Promise<unknown> | undefined;
      await db.transaction().execute(async (trx) => {
        // The worker's order: audit a step result first, then move the request.
        await appendAudit(trx, { at: at(2), actor: SYSTEM_ACTOR, action: "step.succeeded", requestId: request.id, data: { step: "resolve-scope" } });
        extension = extendRequest(db, request.id, sue, at(2), { reason: "complex chain" });
        // Wait until the extension is blocked on a lock held by this transaction.
        for (let i = 0; i < 200; i += 1) {
          const waiting = await sql<{ n: string }>`select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`.execute(db);
          if (Number(waiting.rows[0]?.n) > 0) break;
          await new Promise((r) => setTimeout(r, 10));
        }
        await transitionRequest(trx, request.id, "start", SYSTEM_ACTOR, at(3));
      });
      await expect(extension).resolves.toMatchObject({ status: "running", extendedDueAt: expect.any(String) });
      expect((await verifyAudit(db)).ok).toBe(true);
    });

    it(`${dialect}: 8 concurrent raises on one contact create exactly one request; the rest are 409 with its id`, async () => {
      const { db } = getDb();
      const input = raiseInput();
      const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => raiseRequest(db, input, i % 2 ? alice : bob, at(i), opts)));
      const won = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof raiseRequest>>> => r.status === "fulfilled");
      expect(won).toHaveLength(1);
      for (const r of results) {
        if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "DuplicateRequest", details: { requestId: won[0]?.value.request.id } });
      }
      expect(await requestRowCount(input.contactId)).toBe(1);
    });

    it(`${dialect}: 8 concurrent raises with the same key and body: one row, the others replay it`, async () => {
      const { db } = getDb();
      const input = raiseInput();
      const key = randomUUID();
      const results = await Promise.all(Array.from({ length: 8 }, () => raiseRequest(db, input, alice, T0, { ...opts, idempotencyKey: key })));
      expect(new Set(results.map((r) => r.request.id)).size).toBe(1);
      expect(results.filter((r) => !r.replayed)).toHaveLength(1);
      expect(await requestRowCount(input.contactId)).toBe(1);
    });
  });

  describe("worker support", () => {
    it(`${dialect}: transitionRequest and setRequestContacts run inside the worker's own transaction and roll back with it`, async () => {
      const { db } = getDb();
      const { request } = await raiseRequest(db, raiseInput(), alice, T0, opts);
      await approveRequest(db, request.id, sam, at(1000));
      const scope = [randomUUID(), randomUUID(), request.contactId];
      await expect(
        db.transaction().execute(async (trx) => {
          await setRequestContacts(trx, request.id, scope);
          await transitionRequest(trx, request.id, "start", SYSTEM_ACTOR, at(2000));
          throw new Error("worker crashed before commit");
        }),
      ).rejects.toThrow("worker crashed");
      expect((await getRequest(db, request.id)).status).toBe("approved");
      expect(await listRequestContacts(db, request.id)).toEqual([]);
      await db.transaction().execute(async (trx) => {
        await setRequestContacts(trx, request.id, [...scope, scope[0] as string]);
        await transitionRequest(trx, request.id, "start", SYSTEM_ACTOR, at(2000));
      });
      expect(await listRequestContacts(db, request.id)).toEqual([...scope].sort());
      expect((await getRequest(db, request.id)).status).toBe("running");
      await setRequestContacts(db, request.id, [scope[1] as string]);
      expect(await listRequestContacts(db, request.id)).toEqual([scope[1]]);
      expect((await verifyAudit(db)).ok).toBe(true);
    });

    it(`${dialect}: setWaitingFor does not churn versions when nothing changes, and null clears it`, async () => {
      const { db } = getDb();
      const { request } = await raiseRequest(db, raiseInput(), alice, T0, opts);
      const a = await setWaitingFor(db, request.id, "contact live", at(1));
      const b = await setWaitingFor(db, request.id, "contact live", at(2));
      expect(b.version).toBe(a.version);
      const c = await setWaitingFor(db, request.id, null, at(3));
      expect(c.waitingFor).toBeUndefined();
      expect(await getRequest(db, request.id)).toEqual(c);
    });
  });

  describe("list", () => {
    it(`${dialect}: filters by requester, status and contact; orders newest first or by deadline`, async () => {
      const { db } = getDb();
      const mine = await raiseRequest(db, raiseInput(), bob, at(10_000_000), opts);
      const extended = await raiseRequest(db, raiseInput(), bob, at(10_000_001), opts);
      await extendRequest(db, extended.request.id, sam, at(10_000_002), { reason: "long" });
      const bobs = await listRequests(db, { requestedBySubject: "sub-bob", limit: 500 });
      expect(bobs.every((r) => r.requestedBySubject === "sub-bob")).toBe(true);
      expect(bobs[0]?.id).toBe(extended.request.id);
      const byContact = await listRequests(db, { contactId: mine.request.contactId, limit: 10 });
      expect(byContact.map((r) => r.id)).toEqual([mine.request.id]);
      const pending = await listRequests(db, { status: "pending_approval", requestedBySubject: "sub-bob", limit: 500, order: "due" });
      expect(pending.map((r) => r.id).slice(-1)).toEqual([extended.request.id]);
      expect(await listRequests(db, { status: "completed", requestedBySubject: "nobody", limit: 5 })).toEqual([]);
    });
  });
});
