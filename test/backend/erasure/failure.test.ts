/**
 * Failure handling: a non-retryable error fails the step and the request after one attempt; a supervisor's retry
 * resumes at the failed step without repeating the steps before it (P3). A retryable error past
 * `stepMaxAgeHours` fails the request too, instead of retrying for ever.
 */
import { afterEach, describe, expect, it } from "vitest";
import { retryRequest } from "../../../backend/requests/request-service.ts";
import { listSteps } from "../../../backend/store/step-repository.ts";
import { verifyErased } from "../../support/verifier.ts";
import { SAM, approvedRequest } from "./fixtures.ts";
import { INSTANCE_ID, baseScenario, createHarness, type Harness } from "./harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function fault(h: Harness, plan: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${h.emulator.url}/_emulator/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(plan) });
  expect(res.status).toBe(200);
}

describe("failure and retry", () => {
  it("fails on a non-retryable error after one attempt and resumes there on retry", async () => {
    const b = baseScenario();
    const call = b.addVoiceContact({ start: "2026-11-27T10:00:00Z", attributes: { a: "FAKE" } });
    harness = await createHarness("sqlite", b.build());
    const h = harness;
    await fault(h, { service: "connect", operation: "DeleteContactData", errorRate: 1, errorCode: "AccessDeniedException" });
    const id = await approvedRequest(h.store.db, call.contactIds[0] as string, { instanceId: INSTANCE_ID });
    h.startWorker();
    expect((await h.waitForStatus(id, ["failed", "completed"])).status).toBe("failed");
    const failed = await listSteps(h.store.db, id);
    const step = failed.find((s) => s.name === "delete-contact-data");
    expect(step).toMatchObject({ status: "failed", attempts: 1, last_error_code: "AwsAccessDenied" });
    expect(failed.filter((s) => s.seq < 3).map((s) => [s.status, s.attempts])).toEqual([["succeeded", 1], ["succeeded", 1], ["succeeded", 1]]);
    const mutationsBefore = h.emulator.journal().filter((e) => e.operation === "UpdateContactAttributes" && e.outcome === "ok").length;

    await fetch(`${h.emulator.url}/_emulator/faults`, { method: "DELETE" });
    await retryRequest(h.store.db, id, SAM, new Date());
    expect((await h.waitForStatus(id, ["completed", "completed_with_residue", "failed"])).status).toBe("completed");
    const after = await listSteps(h.store.db, id);
    expect(after.filter((s) => s.seq < 3).map((s) => s.attempts)).toEqual([1, 1, 1]);
    expect(after.find((s) => s.name === "delete-contact-data")?.attempts).toBe(2);
    expect(h.emulator.journal().filter((e) => e.operation === "UpdateContactAttributes" && e.outcome === "ok").length).toBe(mutationsBefore);
    expect(verifyErased(h.emulator.state, call.contactIds).undeclared).toEqual([]);
  });

  it("gives up on a retryable error once the step is older than stepMaxAgeHours", async () => {
    const b = baseScenario();
    const call = b.addVoiceContact({ start: "2026-11-28T10:00:00Z" });
    harness = await createHarness("sqlite", b.build(), { STEP_MAX_AGE_HOURS: "1" });
    const h = harness;
    await fault(h, { service: "connect", operation: "ListAssociatedContacts", errorRate: 1, errorCode: "ThrottlingException" });
    const id = await approvedRequest(h.store.db, call.contactIds[0] as string, { instanceId: INSTANCE_ID });
    let offsetMs = 0;
    h.startWorker({ clock: () => new Date(Date.now() + offsetMs) });
    const deadline = Date.now() + 20_000;
    while (((await listSteps(h.store.db, id))[0]?.attempts ?? 0) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const retrying = (await listSteps(h.store.db, id))[0];
    expect(retrying?.last_error_code).toBe("AwsThrottled");
    offsetMs = 2 * 3_600_000;
    expect((await h.waitForStatus(id, ["failed"], 20_000)).status).toBe("failed");
    expect((await listSteps(h.store.db, id))[0]).toMatchObject({ status: "failed", last_error_code: "StepMaxAgeExceeded" });
  });
});
