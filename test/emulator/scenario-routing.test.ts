import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeleteContactDataCommand, DescribeContactCommand } from "@aws-sdk/client-connect";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { startRig, type TestRig } from "./clients.ts";
import { ScenarioBuilder, scenarioFromState, stateFromScenario } from "../../backend/emulator/scenario.ts";
import { parseArgs } from "../../backend/emulator/cli-args.ts";
import { compareKeys, lowerBound } from "../../backend/emulator/s3/store.ts";

const INSTANCE = "31313131-4242-4353-8464-757575757575";

function build() {
  const b = new ScenarioBuilder({ id: INSTANCE, alias: "mid" })
    .bucket("rec", { versioning: "Enabled" })
    .bucket("contact")
    .storage("CALL_RECORDINGS", "rec")
    .storage("EMAIL_MESSAGES", "rec")
    .user({ Id: "a0000000-0000-4000-8000-000000000001", Username: "agent.alice" });
  const midnight = b.addVoiceContact({ start: "2026-11-30T23:55:00Z", legMinutes: 12, ids: ["11110000-0000-4000-8000-000000000001"] });
  const late = b.addVoiceContact({ start: "2026-11-30T23:50:00Z", recordingDays: ["2026-12-01T00:20:00Z"], ids: ["11110000-0000-4000-8000-000000000002"] });
  const email = b.addEmailContact({ ids: ["11110000-0000-4000-8000-000000000003"] });
  return { b, midnight, late, email };
}

describe("emulator: scenario builder and routing", () => {
  let rig: TestRig;
  let built: ReturnType<typeof build>;
  beforeAll(async () => {
    built = build();
    rig = await startRig({ scenario: built.b.build() });
  });
  afterAll(() => rig.close());

  it("a call crossing UTC midnight files the recording by the recorded day and Contact Lens by the connect day", () => {
    const keys = built.midnight.artifacts.map((a) => a.key);
    const id = built.midnight.initialContactId;
    expect(keys).toContain(`connect/mid/CallRecordings/2026/11/30/${id}_20261130T23:55_UTC.wav`);
    expect(keys).toContain(`Analysis/Voice/2026/11/30/${id}_analysis_2026-12-01T00:06:00Z.json`);
    expect(keys).toContain(`Analysis/Voice/Redacted/2026/11/30/${id}_analysis_redacted_2026-12-01T00:06:00Z.json`);
    expect(keys).toContain(`Analysis/Voice/Redacted/2026/11/30/${id}_call_recording_redacted_2026-12-01T00:06:00Z.wav`);
    expect(built.late.artifacts.find((a) => a.kind === "call-recording")?.key).toBe(
      `connect/mid/CallRecordings/2026/12/01/${built.late.initialContactId}_20261201T00:20_UTC.wav`,
    );
  });

  it("a scenario survives the JSON round trip unchanged", () => {
    const json = JSON.parse(JSON.stringify(built.b.build()));
    const again = scenarioFromState(stateFromScenario(json));
    expect(again).toEqual(json);
  });

  it("routes by the credential scope, so a bucket named 'contact' is S3, not Connect", async () => {
    await rig.s3.send(new PutObjectCommand({ Bucket: "contact", Key: "attributes", Body: "s3 body" }));
    const got = await rig.s3.send(new GetObjectCommand({ Bucket: "contact", Key: "attributes" }));
    expect(await got.Body?.transformToString()).toBe("s3 body");
    const unsigned = await fetch(`${rig.emulator.url}/contact/attributes`);
    expect(unsigned.status).toBe(400);
    expect(unsigned.headers.get("x-amzn-errortype")).toBe("UnrecognizedClientException");
  });

  it("DeleteContactData on an EMAIL contact removes endpoint, additional recipients and subject", async () => {
    const id = built.email.initialContactId;
    expect(rig.emulator.state.connect.contacts.get(id)?.AdditionalEmailRecipients?.CcList).toHaveLength(1);
    await rig.connect.send(
      new DeleteContactDataCommand({ InstanceId: INSTANCE, ContactId: id, ContactFields: ["CUSTOMER_ENDPOINT", "ADDITIONAL_EMAIL_RECIPIENTS", "EMAIL_SUBJECT"] }),
    );
    const c = rig.emulator.state.connect.contacts.get(id)!;
    expect([c.CustomerEndpoint, c.AdditionalEmailRecipients, c.EmailSubject]).toEqual([undefined, undefined, undefined]);
    expect(c.RedactedFields?.sort()).toEqual(["ADDITIONAL_EMAIL_RECIPIENTS", "CUSTOMER_ENDPOINT", "EMAIL_SUBJECT"]);
    const { Contact } = await rig.connect.send(new DescribeContactCommand({ InstanceId: INSTANCE, ContactId: id }));
    expect(Contact?.Channel).toBe("EMAIL");
    expect(built.email.artifacts.map((a) => a.kind)).toEqual(["email-message", "email-plain-text", "analysis", "analysis-redacted"]);
  });

  it("keys sort in UTF-8 byte order (astral characters after U+FFFD), as S3 lists them", () => {
    const keys = ["b", "\u{1F600}", "a", "\uFFFD", "ab", "é", ""];
    const bytes = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...keys].sort(compareKeys)).toEqual(bytes);
    expect(lowerBound(bytes, "aa")).toBe(bytes.indexOf("ab"));
  });

  it("cli argument parsing", () => {
    expect(parseArgs([])).toEqual({ port: 4566, host: "127.0.0.1", quotas: true, scale: 1 });
    expect(parseArgs(["--port", "0", "--no-quotas", "--quota-scale", "2.5"])).toEqual({ port: 0, host: "127.0.0.1", quotas: false, scale: 2.5 });
    expect(() => parseArgs(["--port", "x"])).toThrow(/port/);
    expect(() => parseArgs(["--what"])).toThrow(/unknown option/);
  });
});
