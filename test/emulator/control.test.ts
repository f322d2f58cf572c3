import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DescribeContactCommand, GetContactAttributesCommand } from "@aws-sdk/client-connect";
import { GetObjectCommand, ListObjectVersionsCommand } from "@aws-sdk/client-s3";
import { control, startRig, type TestRig } from "./clients.ts";
import { demoScenario, DEMO_BUCKET, DEMO_CONTACT_IDS, DEMO_INSTANCE_ID, DEMO_USER_IDS } from "../../backend/emulator/demo-scenario.ts";
import type { Scenario } from "../../backend/emulator/scenario.ts";
import type { JournalEntry } from "../../backend/emulator/journal.ts";

interface Artifact {
  kind: string;
  bucket: string;
  key: string;
  versionId: string;
}

describe("emulator: control API and contact lifecycle", () => {
  let rig: TestRig;
  beforeAll(async () => {
    rig = await startRig({ scenario: demoScenario() });
  });
  afterAll(() => rig.close());

  it("answers CORS preflight and carries Access-Control-Allow-Origin on every reply", async () => {
    const pre = await fetch(`${rig.emulator.url}/_emulator/contacts`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:5174", "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    expect(pre.headers.get("access-control-allow-headers")).toContain("content-type");
    const state = await fetch(`${rig.emulator.url}/_emulator/state`);
    expect(state.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("a voice contact goes live, transfers, ends with recordings and Contact Lens files, then gets a late recording", async () => {
    rig.emulator.reset();
    const started = await control<{ contactId: string; initialContactId: string }>(rig.emulator, "POST", "/_emulator/contacts", {
      agentUsername: "agent.alice",
      channel: "VOICE",
      attributes: { note: "FAKE-live" },
    });
    expect(started.status).toBe(200);
    const first = started.body.contactId;
    expect(started.body.initialContactId).toBe(first);
    const live = await rig.connect.send(new DescribeContactCommand({ InstanceId: DEMO_INSTANCE_ID, ContactId: first }));
    expect(live.Contact?.DisconnectTimestamp).toBeUndefined();
    expect(live.Contact?.AgentInfo?.Id).toBe(DEMO_USER_IDS["agent.alice"]);

    const moved = await control<{ contactId: string; artifacts: Artifact[] }>(rig.emulator, "POST", `/_emulator/contacts/${first}/transfer`, { toAgentUsername: "agent.bob" });
    const second = moved.body.contactId;
    expect(second).not.toBe(first);
    expect(moved.body.artifacts.map((a) => a.kind).sort()).toEqual(["analysis", "analysis-redacted", "call-recording", "recording-redacted"]);
    const leg = await rig.connect.send(new DescribeContactCommand({ InstanceId: DEMO_INSTANCE_ID, ContactId: second }));
    expect([leg.Contact?.InitialContactId, leg.Contact?.PreviousContactId, leg.Contact?.AgentInfo?.Id]).toEqual([first, first, DEMO_USER_IDS["agent.bob"]]);
    const attrs = await rig.connect.send(new GetContactAttributesCommand({ InstanceId: DEMO_INSTANCE_ID, InitialContactId: second }));
    expect(attrs.Attributes).toEqual({ note: "FAKE-live" });

    const ended = await control<{ artifacts: Artifact[] }>(rig.emulator, "POST", `/_emulator/contacts/${second}/end`, { deferArtifacts: true });
    expect(ended.body.artifacts).toEqual([]);
    const none = await rig.connect.send(new DescribeContactCommand({ InstanceId: DEMO_INSTANCE_ID, ContactId: second }));
    expect(none.Contact?.Recordings).toBeUndefined();
    const late = await control<{ artifacts: Artifact[] }>(rig.emulator, "POST", `/_emulator/contacts/${second}/recording`, {});
    const recording = late.body.artifacts.find((a) => a.kind === "call-recording")!;
    expect(recording.key).toMatch(new RegExp(`^connect/demo/CallRecordings/\\d{4}/\\d{2}/\\d{2}/${second}_\\d{8}T\\d{2}:\\d{2}_UTC\\.wav$`));
    expect(late.body.artifacts.find((a) => a.kind === "analysis-redacted")?.key).toMatch(new RegExp(`^Analysis/Voice/Redacted/\\d{4}/\\d{2}/\\d{2}/${second}_analysis_redacted_.+Z\\.json$`));
    const done = await rig.connect.send(new DescribeContactCommand({ InstanceId: DEMO_INSTANCE_ID, ContactId: second }));
    expect(done.Contact?.DisconnectTimestamp).toBeInstanceOf(Date);
    expect(done.Contact?.Recordings?.map((r) => r.Location)).toEqual([`${DEMO_BUCKET}/${recording.key}`]);
    const body = await rig.s3.send(new GetObjectCommand({ Bucket: recording.bucket, Key: recording.key }));
    expect(await body.Body?.transformToString()).toContain(`FAKE-CALLER-DATA-${second}`);

    const again = await control<{ artifacts: Artifact[] }>(rig.emulator, "POST", `/_emulator/contacts/${second}/recording`, { contactLens: false });
    expect(again.body.artifacts.map((a) => a.key)).toEqual([recording.key]);
    const redone = await rig.connect.send(new DescribeContactCommand({ InstanceId: DEMO_INSTANCE_ID, ContactId: second }));
    expect(redone.Contact?.Recordings).toHaveLength(1);
    const versions = await rig.s3.send(new ListObjectVersionsCommand({ Bucket: DEMO_BUCKET, Prefix: "connect/demo/CallRecordings/" }));
    expect(versions.Versions?.filter((v) => v.Key?.includes(second))).toHaveLength(2);

    expect((await control(rig.emulator, "POST", `/_emulator/contacts/${second}/end`, {})).status).toBe(409);
    expect((await control(rig.emulator, "POST", "/_emulator/contacts", { agentUsername: "nobody", channel: "VOICE" })).status).toBe(404);
    expect((await control(rig.emulator, "POST", "/_emulator/contacts", { channel: "FAX" })).status).toBe(400);
  });

  it("chat and email contacts write transcripts and email files where Connect does", async () => {
    const chat = await control<{ contactId: string }>(rig.emulator, "POST", "/_emulator/contacts", { agentUsername: "agent.bob", channel: "CHAT" });
    const chatEnd = await control<{ artifacts: Artifact[] }>(rig.emulator, "POST", `/_emulator/contacts/${chat.body.contactId}/end`, {});
    expect(chatEnd.body.artifacts.map((a) => a.key)).toEqual([
      expect.stringMatching(new RegExp(`^connect/demo/ChatTranscripts/\\d{4}/\\d{2}/\\d{2}/${chat.body.contactId}_\\d{8}T\\d{2}:\\d{2}_UTC\\.json$`)),
      expect.stringMatching(/^Analysis\/Chat\/\d{4}\/\d{2}\/\d{2}\/.+_analysis_.+Z\.json$/),
      expect.stringMatching(/^Analysis\/Chat\/Redacted\/.+_analysis_redacted_.+Z\.json$/),
    ]);
    const email = await control<{ contactId: string }>(rig.emulator, "POST", "/_emulator/contacts", { agentUsername: "agent.bob", channel: "EMAIL" });
    const emailEnd = await control<{ artifacts: Artifact[] }>(rig.emulator, "POST", `/_emulator/contacts/${email.body.contactId}/end`, { contactLens: false });
    expect(emailEnd.body.artifacts.map((a) => a.key)).toEqual([
      expect.stringMatching(new RegExp(`^connect/demo/EmailMessages/\\d{4}/\\d{2}/\\d{2}/${email.body.contactId}_message\\.json$`)),
      expect.stringMatching(/_plain_text\.json$/),
    ]);
  });

  it("state dump, journal, scenario load and reset", async () => {
    rig.emulator.reset();
    const state = await control<Scenario>(rig.emulator, "GET", "/_emulator/state");
    expect(state.body.connect?.instances?.[0]?.Id).toBe(DEMO_INSTANCE_ID);
    expect(state.body.connect?.contacts?.map((c) => c.Id)).toContain(DEMO_CONTACT_IDS.midnightCall);
    const objects = state.body.s3?.buckets?.[0]?.Objects ?? [];
    expect(objects.length).toBeGreaterThan(10);
    expect(objects.every((o) => o.BodyBase64 === undefined)).toBe(true);

    await control(rig.emulator, "POST", "/_emulator/contacts", { agentUsername: "agent.bob", channel: "VOICE" });
    await rig.s3.send(new GetObjectCommand({ Bucket: DEMO_BUCKET, Key: objects[0]!.Key }));
    const journal = await control<{ entries: JournalEntry[] }>(rig.emulator, "GET", "/_emulator/journal");
    expect(journal.body.entries).toEqual([]);

    const custom: Scenario = { connect: { instances: [{ Id: "i-2", Alias: "two", storageConfigs: [], users: [], securityProfiles: [] }] } };
    expect((await control(rig.emulator, "POST", "/_emulator/scenario", custom)).status).toBe(200);
    expect([...rig.emulator.state.connect.instances.keys()]).toEqual(["i-2"]);
    await control(rig.emulator, "POST", "/_emulator/reset");
    expect([...rig.emulator.state.connect.instances.keys()]).toEqual(["i-2"]);
    await control(rig.emulator, "POST", "/_emulator/reset", { empty: true });
    expect(rig.emulator.state.connect.instances.size).toBe(0);
    rig.emulator.load(demoScenario());
    const withBodies = await control<Scenario>(rig.emulator, "GET", "/_emulator/state?bodies=1");
    expect(withBodies.body.s3?.buckets?.[0]?.Objects?.[0]?.BodyBase64).toBeDefined();
    expect((await control(rig.emulator, "GET", "/_emulator/nothing")).status).toBe(404);
    const bad = await control<{ error: string }>(rig.emulator, "POST", "/_emulator/scenario", { s3: { buckets: 5 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/scenario rejected/);
    expect(rig.emulator.state.s3.buckets.has("demo-connect-recordings")).toBe(true);
    rig.emulator.reset();
    expect(rig.emulator.state.s3.buckets.has("demo-connect-recordings")).toBe(true);
    expect((await control(rig.emulator, "POST", "/_emulator/quotas", { enabled: "yes" })).status).toBe(400);
  });

  it("the demo scenario has the four demo users, a versioned bucket and ended contacts with recordings", () => {
    const s = demoScenario();
    const instance = s.connect!.instances![0]!;
    expect(instance.Id).toBe("11111111-2222-3333-4444-555555555555");
    expect(instance.users.map((u) => u.Username).sort()).toEqual(["agent.alice", "agent.bob", "supervisor.sam", "supervisor.sue"]);
    expect(instance.storageConfigs.map((c) => c.ResourceType).sort()).toEqual(["CALL_RECORDINGS", "CHAT_TRANSCRIPTS", "SCREEN_RECORDINGS"]);
    expect(s.s3!.buckets![0]).toMatchObject({ Name: "demo-connect-recordings", Versioning: "Enabled" });
    expect(s.connect!.contacts!.every((c) => c.DisconnectTimestamp)).toBe(true);
    expect(s.profiles!.domains![0]!.DomainName).toBe("demo-domain");
    expect(demoScenario().connect!.instances![0]!.storageConfigs[0]!.AssociationId).toBeDefined();
  });
});
