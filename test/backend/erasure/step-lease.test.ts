/**
 * Step leases on both dialects: order within a request, fencing (a swept or taken-over lease records nothing),
 * deferral without counting an attempt, and concurrent claimers never sharing a step.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AppError } from "../../../backend/errors.ts";
import {
  claimNextStep,
  recordOutcome,
  renewLease,
  sweepExpiredLeases,
  type StepLease,
} from "../../../backend/store/step-lease-repository.ts";
import { forEachDialect } from "../../support/db.ts";
import { approvedRequest } from "./fixtures.ts";

const LEASE_MS = 1000;

forEachDialect((dialect, getDb) => {
  describe("step leases", () => {
    it("runs a request's steps in order and fences every write by the lease token", async () => {
      const { db } = getDb();
      const t0 = new Date("2030-01-01T00:00:00.000Z");
      const requestId = await approvedRequest(db, randomUUID(), { now: t0 });
      const claim = (owner: string, now: Date) => claimNextStep(db, dialect, { owner, now, leaseMs: LEASE_MS });

      const first = (await claim("w1", t0)) as StepLease;
      expect(first.requestId).toBe(requestId);
      expect(first.name).toBe("resolve-scope");
      expect(first.attempts).toBe(1);
      // Step 2 is not due while step 1 has not succeeded.
      expect(await claim("w2", t0)).toBeUndefined();

      // The lease expires, the sweep returns the step, another worker takes it.
      const later = new Date(t0.getTime() + LEASE_MS + 1);
      expect(await sweepExpiredLeases(db, later)).toBe(1);
      const second = (await claim("w2", later)) as StepLease;
      expect(second.stepId).toBe(first.stepId);
      expect(second.token).not.toBe(first.token);
      expect(second.attempts).toBe(2);

      // The zombie can neither renew nor record.
      await expect(renewLease(db, first, later, LEASE_MS)).rejects.toMatchObject({ code: "LeaseLost" });
      const zombie = db.transaction().execute((trx) =>
        recordOutcome(trx, first, { status: "succeeded", counts: {}, result: { zombie: true }, verifiedAt: later.toISOString() }, later),
      );
      await expect(zombie).rejects.toBeInstanceOf(AppError);
      await expect(zombie).rejects.toMatchObject({ code: "LeaseLost" });

      await db.transaction().execute((trx) =>
        recordOutcome(trx, second, { status: "succeeded", counts: { contacts: 1 }, result: { contacts: [] }, verifiedAt: later.toISOString() }, later),
      );
      const row = await db.selectFrom("erasure_steps").selectAll().where("id", "=", first.stepId).executeTakeFirstOrThrow();
      expect(row.status).toBe("succeeded");
      expect(row.result_json).toBe('{"contacts":[]}');
      expect(row.lease_token).toBeNull();

      // A write after success is refused too (the step is no longer running).
      await expect(
        db.transaction().execute((trx) => recordOutcome(trx, second, { status: "failed", errorCode: "X" }, later)),
      ).rejects.toMatchObject({ code: "LeaseLost" });

      const next = (await claim("w1", later)) as StepLease;
      expect(next.name).toBe("scrub-attributes");
      await db.transaction().execute((trx) => recordOutcome(trx, next, { status: "failed", errorCode: "AwsAccessDenied" }, later));
    });

    it("defers without counting an attempt and keeps the step invisible until run_at", async () => {
      const { db } = getDb();
      const t0 = new Date("2031-01-01T00:00:00.000Z");
      await approvedRequest(db, randomUUID(), { now: t0 });
      const lease = (await claimNextStep(db, dialect, { owner: "w", now: t0, leaseMs: LEASE_MS })) as StepLease;
      const until = new Date(t0.getTime() + 60_000);
      await db.transaction().execute((trx) => recordOutcome(trx, lease, { status: "deferred", runAt: until.toISOString() }, t0));
      const row = await db.selectFrom("erasure_steps").selectAll().where("id", "=", lease.stepId).executeTakeFirstOrThrow();
      expect(row.attempts).toBe(0);
      expect(row.first_attempt_at).toBeNull();
      expect(row.status).toBe("pending");
      expect(await claimNextStep(db, dialect, { owner: "w", now: new Date(until.getTime() - 1), leaseMs: LEASE_MS })).toBeUndefined();
      const again = await claimNextStep(db, dialect, { owner: "w", now: until, leaseMs: LEASE_MS });
      expect(again?.stepId).toBe(lease.stepId);
      expect(again?.attempts).toBe(1);
    });

    it("gives each due step to exactly one of many concurrent claimers", async () => {
      const { db } = getDb();
      const t0 = new Date("2032-01-01T00:00:00.000Z");
      const requests = await Promise.all(Array.from({ length: 12 }, () => approvedRequest(db, randomUUID(), { now: t0 })));
      const claims = await Promise.all(
        Array.from({ length: 30 }, (_, i) => claimNextStep(db, dialect, { owner: `w${i}`, now: t0, leaseMs: LEASE_MS })),
      );
      const won = claims.filter((c): c is StepLease => c !== undefined);
      expect(new Set(won.map((c) => c.stepId)).size).toBe(won.length);
      // Only the first step of each request is due, so at most 12 claims succeed; at least one per request here.
      expect(won.filter((c) => requests.includes(c.requestId)).length).toBe(12);
    });
  });
});
