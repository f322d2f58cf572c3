/**
 * Two workers on one PostgreSQL database: both take work, no step ever runs in both at once, every step is
 * recorded once, and everything ends erased.
 */
import { describe, expect, it } from "vitest";
import { postgresAvailable } from "../../support/db.ts";
import { verifyErased } from "../../support/verifier.ts";
import { approvedRequest } from "./fixtures.ts";
import { INSTANCE_ID, MARKER_VALUE, baseScenario, createHarness } from "./harness.ts";

describe.skipIf(!postgresAvailable)("two workers on PostgreSQL", () => {
  it("never run the same step at the same time", async () => {
    const b = baseScenario();
    const built = Array.from({ length: 16 }, (_, i) =>
      b.addVoiceContact({ legs: 1 + (i % 2), start: `2026-11-${10 + i}T12:00:00Z`, attributes: { a: MARKER_VALUE } }),
    );
    const h = await createHarness("postgres", b.build());
    try {
      const running = new Map<string, string>();
      const byWorker = new Map<string, number>();
      let overlaps = 0;
      const hookFor = (worker: string) => (point: string, lease: { stepId: string }) => {
        if (point === "before-step") {
          if (running.has(lease.stepId)) overlaps++;
          running.set(lease.stepId, worker);
          byWorker.set(worker, (byWorker.get(worker) ?? 0) + 1);
        } else if (point === "after-commit" && running.get(lease.stepId) === worker) {
          running.delete(lease.stepId);
        }
      };
      const ids: string[] = [];
      for (const c of built) ids.push(await approvedRequest(h.store.db, c.contactIds[0] as string, { instanceId: INSTANCE_ID }));
      h.startWorker({ hook: hookFor("A"), concurrency: 4 });
      h.startWorker({ hook: hookFor("B"), concurrency: 4 });
      for (const id of ids) expect((await h.waitForStatus(id, ["completed", "completed_with_residue", "failed"], 120_000)).status).toBe("completed");
      expect(overlaps).toBe(0);
      expect(byWorker.get("A")).toBeGreaterThan(0);
      expect(byWorker.get("B")).toBeGreaterThan(0);
      expect((byWorker.get("A") ?? 0) + (byWorker.get("B") ?? 0)).toBe(ids.length * 7);
      const successes = await h.store.db.selectFrom("audit_log").select("seq").where("action", "=", "step.succeeded").execute();
      expect(successes).toHaveLength(ids.length * 7);
      expect(verifyErased(h.emulator.state, built.flatMap((c) => c.contactIds)).undeclared).toEqual([]);
    } finally {
      await h.close();
    }
  }, 180_000);
});
