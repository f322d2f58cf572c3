import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ContactNotTerminatedException,
  DeleteContactDataCommand,
  DescribeContactCommand,
  DescribeSecurityProfileCommand,
  DescribeUserCommand,
  GetContactAttributesCommand,
  InvalidParameterException,
  InvalidRequestException,
  ListAssociatedContactsCommand,
  ListContactReferencesCommand,
  ListInstanceStorageConfigsCommand,
  ListSecurityProfilePermissionsCommand,
  ListSecurityProfilesCommand,
  ResourceNotFoundException,
  SearchUsersCommand,
  UpdateContactAttributesCommand,
  UpdateContactCommand,
} from "@aws-sdk/client-connect";
import { control, startRig, type TestRig } from "./clients.ts";
import { ScenarioBuilder, type Scenario } from "../../backend/emulator/scenario.ts";

const INSTANCE = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const ALICE = "a0000000-0000-4000-8000-000000000001";
const BOB = "b0000000-0000-4000-8000-000000000002";
const SP_AGENT = "5e000000-0000-4000-8000-000000000001";

function scenario(): { scenario: Scenario; chain: string[]; single: string } {
  const b = new ScenarioBuilder({ id: INSTANCE, alias: "unit" })
    .bucket("rec", { versioning: "Enabled" })
    .storage("CALL_RECORDINGS", "rec")
    .storage("CHAT_TRANSCRIPTS", "rec")
    .securityProfile({ Id: SP_AGENT, Name: "Agent", Permissions: ["BasicAgentAccess"] })
    .securityProfile({ Id: "5e000000-0000-4000-8000-000000000002", Name: "Manager", Permissions: ["DeleteCallRecordings", "ListenCallRecordings"] });
  for (let i = 0; i < 7; i++) b.user({ Id: `u0000000-0000-4000-8000-00000000000${i}`, Username: `extra.user${i}`, SecurityProfileIds: [SP_AGENT] });
  b.user({ Id: ALICE, Username: "agent.alice", SecurityProfileIds: [SP_AGENT] });
  b.user({ Id: BOB, Username: "agent.bob", SecurityProfileIds: [SP_AGENT] });
  const chain = b.addVoiceContact({ agent: "agent.alice", transferTo: ["agent.bob", "agent.alice"], start: "2026-11-20T23:50:00Z", attributes: { caseRef: "FAKE-1" } });
  const single = b.addChatContact({ agent: "agent.bob", attributes: { a: "1" } });
  return { scenario: b.build(), chain: chain.contactIds, single: single.contactIds[0]! };
}

describe("emulator: Connect over the real SDK", () => {
  let rig: TestRig;
  let chain: string[];
  let single: string;
  let base: Scenario;

  beforeAll(async () => {
    const s = scenario();
    base = s.scenario;
    chain = s.chain;
    single = s.single;
    rig = await startRig({ scenario: base });
  });
  afterAll(() => rig.close());
  beforeEach(() => rig.emulator.reset());

  it("DescribeContact returns chain ids, epoch timestamps as Dates, agent and recordings", async () => {
    const { Contact } = await rig.connect.send(new DescribeContactCommand({ InstanceId: INSTANCE, ContactId: chain[1] }));
    expect(Contact?.Id).toBe(chain[1]);
    expect(Contact?.InitialContactId).toBe(chain[0]);
    expect(Contact?.PreviousContactId).toBe(chain[0]);
    expect(Contact?.InitiationMethod).toBe("TRANSFER");
    expect(Contact?.Channel).toBe("VOICE");
    expect(Contact?.AgentInfo?.Id).toBe(BOB);
    expect(Contact?.InitiationTimestamp).toBeInstanceOf(Date);
    expect(Contact?.InitiationTimestamp?.toISOString()).toBe("2026-11-20T23:57:00.000Z");
    expect(Contact?.DisconnectTimestamp).toBeInstanceOf(Date);
    expect(Contact?.CustomerEndpoint?.Address).toBe("+447700900123");
    expect(Contact?.Recordings?.[0]?.Location).toMatch(/^rec\/connect\/unit\/CallRecordings\/2026\/11\/20\/.+_20261120T23:57_UTC\.wav$/);
  });

  it("unknown contact and instance are ResourceNotFoundException (404, client fault)", async () => {
    const err = await rig.connect.send(new DescribeContactCommand({ InstanceId: INSTANCE, ContactId: "00000000-0000-4000-8000-000000000000" })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect((err as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
    expect((err as ResourceNotFoundException).$fault).toBe("client");
    expect((err as ResourceNotFoundException).message).toBe("Contact not found");
    await expect(rig.connect.send(new DescribeContactCommand({ InstanceId: "nope", ContactId: chain[0] }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it("attributes are shared per InitialContactId, merge, accept empty values and never lose keys", async () => {
    await rig.connect.send(new UpdateContactAttributesCommand({ InstanceId: INSTANCE, InitialContactId: chain[0], Attributes: { caseRef: "", extra_key: "v-2" } }));
    const { Attributes } = await rig.connect.send(new GetContactAttributesCommand({ InstanceId: INSTANCE, InitialContactId: chain[0] }));
    expect(Attributes).toEqual({ caseRef: "", extra_key: "v-2" });
    const journal = rig.emulator.journal().filter((e) => e.operation === "UpdateContactAttributes");
    expect(journal).toEqual([expect.objectContaining({ service: "connect", outcome: "ok", ids: { initialContactId: chain[0], keyCount: 2 } })]);
    expect(JSON.stringify(rig.emulator.journal())).not.toContain("v-2");
  });

  it("rejects bad attribute keys and maps over 32 KB with the SDK's exception classes", async () => {
    await expect(
      rig.connect.send(new UpdateContactAttributesCommand({ InstanceId: INSTANCE, InitialContactId: chain[0], Attributes: { "bad$key": "x" } })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    const big = { k1: "x".repeat(20_000), k2: "y".repeat(13_000) };
    const err = await rig.connect.send(new UpdateContactAttributesCommand({ InstanceId: INSTANCE, InitialContactId: chain[0], Attributes: big })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidRequestException);
    expect((err as InvalidRequestException).$metadata.httpStatusCode).toBe(400);
    const { Attributes } = await rig.connect.send(new GetContactAttributesCommand({ InstanceId: INSTANCE, InitialContactId: chain[0] }));
    expect(Attributes).toEqual({ caseRef: "FAKE-1" });
  });

  it("DeleteContactData refuses a live contact with ContactNotTerminatedException and redacts an ended one", async () => {
    const started = await control<{ contactId: string }>(rig.emulator, "POST", "/_emulator/contacts", { agentUsername: "agent.alice", channel: "VOICE" });
    const live = started.body.contactId;
    const err = await rig.connect.send(new DeleteContactDataCommand({ InstanceId: INSTANCE, ContactId: live, ContactFields: ["CUSTOMER_ENDPOINT"] })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContactNotTerminatedException);
    expect((err as ContactNotTerminatedException).$metadata.httpStatusCode).toBe(409);

    await rig.connect.send(new DeleteContactDataCommand({ InstanceId: INSTANCE, ContactId: chain[0], ContactFields: ["CUSTOMER_ENDPOINT"] }));
    const { Contact } = await rig.connect.send(new DescribeContactCommand({ InstanceId: INSTANCE, ContactId: chain[0] }));
    expect(Contact?.CustomerEndpoint).toBeUndefined();
    expect(Contact?.Recordings?.length).toBeGreaterThan(0);
    await expect(
      rig.connect.send(new DeleteContactDataCommand({ InstanceId: INSTANCE, ContactId: chain[0], ContactFields: ["EMAIL_SUBJECT"] })),
    ).rejects.toBeInstanceOf(InvalidRequestException);
    const entries = rig.emulator.journal().filter((e) => e.operation === "DeleteContactData");
    expect(entries.map((e) => e.outcome)).toEqual(["error", "ok", "error"]);
    expect(entries[0]?.errorCode).toBe("ContactNotTerminatedException");
  });

  it("ListAssociatedContacts pages through every leg with NextToken", async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await rig.connect.send(new ListAssociatedContactsCommand({ InstanceId: INSTANCE, ContactId: chain[2]!, MaxResults: 2, NextToken: token }));
      pages++;
      for (const c of out.ContactSummaryList ?? []) {
        seen.push(c.ContactId!);
        expect(c.InitialContactId).toBe(chain[0]);
        expect(c.InitiationTimestamp).toBeInstanceOf(Date);
      }
      token = out.NextToken;
    } while (token);
    expect(pages).toBe(2);
    expect(seen).toEqual(chain);
    await expect(rig.connect.send(new ListAssociatedContactsCommand({ InstanceId: INSTANCE, ContactId: chain[0]!, NextToken: "forged" }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
  });

  it("ListInstanceStorageConfigs filters by resource type", async () => {
    const out = await rig.connect.send(new ListInstanceStorageConfigsCommand({ InstanceId: INSTANCE, ResourceType: "CHAT_TRANSCRIPTS" }));
    expect(out.StorageConfigs?.map((s) => [s.StorageType, s.S3Config?.BucketName, s.S3Config?.BucketPrefix])).toEqual([["S3", "rec", "connect/unit/ChatTranscripts"]]);
    const none = await rig.connect.send(new ListInstanceStorageConfigsCommand({ InstanceId: INSTANCE, ResourceType: "ATTACHMENTS" }));
    expect(none.StorageConfigs).toEqual([]);
  });

  it("SearchUsers finds a username EXACT, pages, and DescribeUser returns security profile ids", async () => {
    const exact = await rig.connect.send(
      new SearchUsersCommand({ InstanceId: INSTANCE, SearchCriteria: { StringCondition: { FieldName: "Username", Value: "agent.bob", ComparisonType: "EXACT" } } }),
    );
    expect(exact.Users?.map((u) => u.Id)).toEqual([BOB]);
    expect(exact.ApproximateTotalCount).toBe(1);
    const all: string[] = [];
    let token: string | undefined;
    do {
      const page = await rig.connect.send(new SearchUsersCommand({ InstanceId: INSTANCE, MaxResults: 4, NextToken: token }));
      all.push(...(page.Users ?? []).map((u) => u.Username!));
      token = page.NextToken;
    } while (token);
    expect(all).toHaveLength(9);
    expect(new Set(all).size).toBe(9);
    const { User } = await rig.connect.send(new DescribeUserCommand({ InstanceId: INSTANCE, UserId: ALICE }));
    expect(User?.Username).toBe("agent.alice");
    expect(User?.SecurityProfileIds).toEqual([SP_AGENT]);
    await expect(rig.connect.send(new DescribeUserCommand({ InstanceId: INSTANCE, UserId: "missing" }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it("UpdateContact sets name, description and references; ListContactReferences returns the union", async () => {
    await rig.connect.send(
      new UpdateContactCommand({
        InstanceId: INSTANCE,
        ContactId: single,
        Name: "FAKE name",
        Description: "FAKE description",
        References: { ticket: { Type: "URL", Value: "https://example.invalid/t/1" }, note: { Type: "STRING", Value: "FAKE" } },
      }),
    );
    const refs = await rig.connect.send(new ListContactReferencesCommand({ InstanceId: INSTANCE, ContactId: single, ReferenceTypes: ["URL"] }));
    expect(refs.ReferenceSummaryList).toEqual([{ Url: { Name: "ticket", Value: "https://example.invalid/t/1" } }]);
    const both = await rig.connect.send(new ListContactReferencesCommand({ InstanceId: INSTANCE, ContactId: single, ReferenceTypes: ["URL", "STRING"] }));
    expect(both.ReferenceSummaryList).toHaveLength(2);
    const { Contact } = await rig.connect.send(new DescribeContactCommand({ InstanceId: INSTANCE, ContactId: single }));
    expect([Contact?.Name, Contact?.Description]).toEqual(["FAKE name", "FAKE description"]);
    await expect(rig.connect.send(new UpdateContactCommand({ InstanceId: INSTANCE, ContactId: single }))).rejects.toBeInstanceOf(InvalidRequestException);
  });

  it("ListSecurityProfiles, DescribeSecurityProfile and ListSecurityProfilePermissions", async () => {
    const list = await rig.connect.send(new ListSecurityProfilesCommand({ InstanceId: INSTANCE, MaxResults: 1 }));
    expect(list.SecurityProfileSummaryList?.map((p) => p.Name)).toEqual(["Agent"]);
    const next = await rig.connect.send(new ListSecurityProfilesCommand({ InstanceId: INSTANCE, MaxResults: 1, NextToken: list.NextToken }));
    expect(next.SecurityProfileSummaryList?.map((p) => p.Name)).toEqual(["Manager"]);
    expect(next.NextToken).toBeUndefined();
    const managerId = next.SecurityProfileSummaryList![0]!.Id!;
    const d = await rig.connect.send(new DescribeSecurityProfileCommand({ InstanceId: INSTANCE, SecurityProfileId: managerId }));
    expect(d.SecurityProfile?.SecurityProfileName).toBe("Manager");
    const perms = await rig.connect.send(new ListSecurityProfilePermissionsCommand({ InstanceId: INSTANCE, SecurityProfileId: managerId }));
    expect(perms.Permissions).toContain("DeleteCallRecordings");
  });
});
