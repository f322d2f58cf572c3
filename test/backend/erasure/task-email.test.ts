/**
 * TASK and EMAIL contacts: the task's free-text name, description and reference values are blanked (UpdateContact), and the
 * e-mail's customer address, extra recipients and subject are redacted (DeleteContactData with the e-mail
 * fields); e-mail message files and their Contact Lens output are deleted.
 */
import { afterEach, describe, expect, it } from "vitest";
import { listSteps } from "../../../backend/store/step-repository.ts";
import { verifyErased } from "../../support/verifier.ts";
import { approvedRequest } from "./fixtures.ts";
import { INSTANCE_ID, MARKER_VALUE, baseScenario, createHarness, type Harness } from "./harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("task and e-mail contacts", () => {
  it("blanks task text and redacts e-mail fields and files", async () => {
    const b = baseScenario();
    const task = b.addContact("TASK", { start: "2026-11-24T09:00:00Z" });
    const email = b.addEmailContact({ start: "2026-11-24T11:00:00Z", customerAddress: `${MARKER_VALUE}@example.invalid` });
    const scenario = b.build();
    for (const c of scenario.connect?.contacts ?? []) {
      if (c.Id === task.contactIds[0]) {
        Object.assign(c, {
          Name: `Call back ${MARKER_VALUE}`,
          Description: `Customer ${MARKER_VALUE} asked`,
          References: { caller: { Type: "STRING", Value: `Caller ${MARKER_VALUE}` }, ticket: { Type: "URL", Value: `https://crm.example.invalid/${MARKER_VALUE}` } },
        });
      }
      if (c.Id === email.contactIds[0]) {
        Object.assign(c, { EmailSubject: `Re: ${MARKER_VALUE}`, AdditionalEmailRecipients: { CcList: [{ Address: `cc.${MARKER_VALUE}@example.invalid` }] } });
      }
    }
    harness = await createHarness("sqlite", scenario);
    const h = harness;
    const before = verifyErased(h.emulator.state, [...task.contactIds, ...email.contactIds]).undeclared.map((f) => f.what);
    expect(before).toEqual(expect.arrayContaining(["contact name", "contact description", "STRING reference value", "URL reference value", "e-mail subject", "additional e-mail recipients", "customer endpoint"]));
    expect(email.artifacts.some((a) => a.kind === "email-message")).toBe(true);

    const ids = [
      await approvedRequest(h.store.db, task.contactIds[0] as string, { instanceId: INSTANCE_ID }),
      await approvedRequest(h.store.db, email.contactIds[0] as string, { instanceId: INSTANCE_ID }),
    ];
    h.startWorker();
    for (const id of ids) expect((await h.waitForStatus(id, ["completed", "completed_with_residue", "failed"])).status).toBe("completed");
    const taskStep = (await listSteps(h.store.db, ids[0] as string)).find((s) => s.name === "scrub-task-fields");
    expect(JSON.parse(taskStep?.counts_json ?? "{}")).toMatchObject({ fieldsScrubbed: 2, referencesChecked: 2, referencesScrubbed: 2 });
    expect(verifyErased(h.emulator.state, [...task.contactIds, ...email.contactIds]).undeclared).toEqual([]);
    const taskReferences = Object.values(h.emulator.state.connect.contacts.get(task.contactIds[0] as string)?.References ?? {});
    expect(taskReferences).toHaveLength(2);
    expect(JSON.stringify(taskReferences)).not.toContain(MARKER_VALUE);
  });

  it("declares an attachment reference as blocking residue after blanking the value references", async () => {
    const b = baseScenario();
    const task = b.addContact("TASK", { start: "2026-11-24T09:00:00Z" });
    const scenario = b.build();
    for (const c of scenario.connect?.contacts ?? []) {
      if (c.Id === task.contactIds[0]) {
        Object.assign(c, {
          References: {
            note: { Type: "STRING", Value: `Note ${MARKER_VALUE}` },
            scan: { Type: "ATTACHMENT", Value: "scan.pdf", Status: "APPROVED", Arn: "arn:aws:connect:eu-west-2:123456789012:instance/x/file/y" },
          },
        });
      }
    }
    harness = await createHarness("sqlite", scenario);
    const h = harness;
    const id = await approvedRequest(h.store.db, task.contactIds[0] as string, { instanceId: INSTANCE_ID });
    h.startWorker();
    const done = await h.waitForStatus(id, ["completed", "completed_with_residue", "failed"]);
    expect(done.status).toBe("completed_with_residue");
    expect(done.residue).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "other", reason: expect.stringContaining("attachment reference") })]));
    const report = verifyErased(h.emulator.state, task.contactIds);
    expect(report.undeclared.map((f) => f.what)).toEqual(["attachment reference"]);
    const note = h.emulator.state.connect.contacts.get(task.contactIds[0] as string)?.References.note;
    expect(note?.Value).toBe("");
  });
});
