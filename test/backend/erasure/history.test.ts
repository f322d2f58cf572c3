/**
 * Customer-history scope: a profile that links several of the caller's contacts (by `_ctrContactId` and CTR
 * objects) brings the past contacts into scope; without that scope they stay untouched.
 */
import { afterEach, describe, expect, it } from "vitest";
import { listRequestContacts } from "../../../backend/store/request-contacts-repository.ts";
import { verifyErased } from "../../support/verifier.ts";
import { approvedRequest } from "./fixtures.ts";
import { DOMAIN, INSTANCE_ID, baseScenario, createHarness, type Harness } from "./harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function scenario() {
  const b = baseScenario();
  const today = b.addVoiceContact({ start: "2026-11-29T10:00:00Z", attributes: { a: "FAKE-1" } });
  const past = b.addChatContact({ start: "2026-10-02T15:00:00Z", attributes: { a: "FAKE-2" } });
  const [a, p] = [today.contactIds[0] as string, past.contactIds[0] as string];
  b.profile(DOMAIN, {
    Keys: { _ctrContactId: [a, p] },
    Objects: [a, p].map((id, i) => ({ ObjectTypeName: "CTR", ProfileObjectUniqueKey: `ctr-${i}`, Object: JSON.stringify({ ContactId: id, Channel: "VOICE" }) })),
  });
  return { b, today, past };
}

for (const customerHistory of [true, false]) {
  describe(`customerHistory=${customerHistory}`, () => {
    it(customerHistory ? "erases the caller's past contacts found through Customer Profiles" : "leaves other contacts alone", async () => {
      const { b, today, past } = scenario();
      harness = await createHarness("sqlite", b.build());
      const h = harness;
      const id = await approvedRequest(h.store.db, today.contactIds[0] as string, { instanceId: INSTANCE_ID, customerHistory });
      h.startWorker();
      expect((await h.waitForStatus(id, ["completed", "completed_with_residue", "failed"])).status).toBe("completed");
      const scope = await listRequestContacts(h.store.db, id);
      expect(scope.includes(past.contactIds[0] as string)).toBe(customerHistory);
      expect(verifyErased(h.emulator.state, today.contactIds).undeclared).toEqual([]);
      const pastLeft = verifyErased(h.emulator.state, past.contactIds).undeclared;
      if (customerHistory) expect(pastLeft).toEqual([]);
      else expect(pastLeft.filter((f) => f.store !== "profiles").length).toBeGreaterThan(0);
    });
  });
}
