import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  AddProfileKeyCommand,
  BadRequestException,
  DeleteProfileCommand,
  DeleteProfileKeyCommand,
  DeleteProfileObjectCommand,
  GetProfileObjectTypeCommand,
  ListProfileObjectsCommand,
  ResourceNotFoundException,
  SearchProfilesCommand,
} from "@aws-sdk/client-customer-profiles";
import { UpdateContactAttributesCommand } from "@aws-sdk/client-connect";
import { control, startRig, type TestRig } from "./clients.ts";
import { ScenarioBuilder } from "../../backend/emulator/scenario.ts";
import type { CtrTemplateId } from "../../backend/emulator/profiles/store.ts";

const INSTANCE = "12121212-3434-4565-8787-909090909090";
const DOMAIN = "unit-domain";

function scenario(template: CtrTemplateId) {
  const b = new ScenarioBuilder({ id: INSTANCE, alias: "prof" }).user({ Id: "a0000000-0000-4000-8000-000000000001", Username: "agent.alice" }).profilesDomain(DOMAIN, template);
  const known = b.profile(DOMAIN, { PhoneNumber: "+447700900555", FirstName: "FAKE-Known", Keys: { _phone: ["+447700900555"] } });
  const chain = b.addVoiceContact({ legs: 2, customerAddress: "+447700900777", attributes: { k: "FAKE-value" } });
  const many = b.profile(DOMAIN, {
    Keys: { _email: ["fake.many@example.invalid"] },
    Objects: Array.from({ length: 5 }, (_, i) => ({ ObjectTypeName: "CTR", ProfileObjectUniqueKey: `u${i}`, Object: JSON.stringify({ ContactId: `c${i}` }) })),
  });
  return { scenario: b.build(), known, chain, many };
}

describe("emulator: Customer Profiles over the real SDK", () => {
  let rig: TestRig;
  let s: ReturnType<typeof scenario>;
  beforeAll(async () => {
    s = scenario("CTR");
    rig = await startRig({ scenario: s.scenario });
  });
  afterAll(() => rig.close());
  beforeEach(() => rig.emulator.reset());

  async function profilesFor(contactIds: string[]) {
    const out = await rig.profiles.send(new SearchProfilesCommand({ DomainName: DOMAIN, KeyName: "_ctrContactId", Values: contactIds }));
    return out.Items ?? [];
  }

  it("the CTR template created an inferred profile holding both legs' records", async () => {
    const items = await profilesFor(s.chain.contactIds);
    expect(items).toHaveLength(1);
    expect(items[0]?.FoundByItems?.[0]?.Values?.sort()).toEqual([...s.chain.contactIds].sort());
    const objects = await rig.profiles.send(new ListProfileObjectsCommand({ DomainName: DOMAIN, ProfileId: items[0]!.ProfileId, ObjectTypeName: "CTR" }));
    expect(objects.Items?.map((o) => o.ProfileObjectUniqueKey).sort()).toEqual([...s.chain.contactIds].sort());
    expect(JSON.parse(objects.Items![0]!.Object!).Attributes).toEqual({ k: "FAKE-value" });
  });

  it("SearchProfiles by _phone, _profileId, AND/OR additional keys, with paging", async () => {
    const byPhone = await rig.profiles.send(new SearchProfilesCommand({ DomainName: DOMAIN, KeyName: "_phone", Values: ["+447700900555"] }));
    expect(byPhone.Items?.map((p) => p.ProfileId)).toEqual([s.known]);
    const byId = await rig.profiles.send(new SearchProfilesCommand({ DomainName: DOMAIN, KeyName: "_profileId", Values: [s.many] }));
    expect(byId.Items?.map((p) => p.ProfileId)).toEqual([s.many]);
    const or = await rig.profiles.send(
      new SearchProfilesCommand({ DomainName: DOMAIN, KeyName: "_phone", Values: ["+447700900555"], AdditionalSearchKeys: [{ KeyName: "_email", Values: ["fake.many@example.invalid"] }], LogicalOperator: "OR", MaxResults: 1 }),
    );
    expect(or.Items).toHaveLength(1);
    expect(or.NextToken).toBeDefined();
    const second = await rig.profiles.send(
      new SearchProfilesCommand({ DomainName: DOMAIN, KeyName: "_phone", Values: ["+447700900555"], AdditionalSearchKeys: [{ KeyName: "_email", Values: ["fake.many@example.invalid"] }], LogicalOperator: "OR", MaxResults: 1, NextToken: or.NextToken }),
    );
    expect(second.Items).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    expect(new Set([or.Items![0]!.ProfileId, second.Items![0]!.ProfileId])).toEqual(new Set([s.known, s.many]));
    const and = await rig.profiles.send(
      new SearchProfilesCommand({ DomainName: DOMAIN, KeyName: "_phone", Values: ["+447700900555"], AdditionalSearchKeys: [{ KeyName: "_email", Values: ["fake.many@example.invalid"] }], LogicalOperator: "AND" }),
    );
    expect(and.Items).toEqual([]);
  });

  it("ListProfileObjects pages; DeleteProfileObject and Add/DeleteProfileKey edit the profile", async () => {
    const keys: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await rig.profiles.send(new ListProfileObjectsCommand({ DomainName: DOMAIN, ProfileId: s.many, ObjectTypeName: "CTR", MaxResults: 2, NextToken: token }));
      keys.push(...(out.Items ?? []).map((o) => o.ProfileObjectUniqueKey!));
      token = out.NextToken;
      pages++;
    } while (token);
    expect([keys.length, pages]).toEqual([5, 3]);
    const filtered = await rig.profiles.send(
      new ListProfileObjectsCommand({ DomainName: DOMAIN, ProfileId: s.many, ObjectTypeName: "CTR", ObjectFilter: { KeyName: "_ctrContactId", Values: ["c3"] } }),
    );
    expect(filtered.Items?.map((o) => o.ProfileObjectUniqueKey)).toEqual(["u3"]);
    const del = await rig.profiles.send(new DeleteProfileObjectCommand({ DomainName: DOMAIN, ProfileId: s.many, ObjectTypeName: "CTR", ProfileObjectUniqueKey: "u3" }));
    expect(del.Message).toBeTruthy();
    await expect(
      rig.profiles.send(new DeleteProfileObjectCommand({ DomainName: DOMAIN, ProfileId: s.many, ObjectTypeName: "CTR", ProfileObjectUniqueKey: "u3" })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    const added = await rig.profiles.send(new AddProfileKeyCommand({ DomainName: DOMAIN, ProfileId: s.many, KeyName: "_ctrContactId", Values: ["c-x"] }));
    expect(added).toMatchObject({ KeyName: "_ctrContactId", Values: ["c-x"] });
    expect((await profilesFor(["c-x"])).map((p) => p.ProfileId)).toEqual([s.many]);
    await rig.profiles.send(new DeleteProfileKeyCommand({ DomainName: DOMAIN, ProfileId: s.many, KeyName: "_ctrContactId", Values: ["c-x"] }));
    expect(await profilesFor(["c-x"])).toEqual([]);
    const ops = rig.emulator.journal().map((e) => `${e.operation}:${e.outcome}`);
    expect(ops).toEqual(["DeleteProfileObject:ok", "DeleteProfileObject:error", "AddProfileKey:ok", "DeleteProfileKey:ok"]);
  });

  it("GetProfileObjectType reports the CTR template; unknown names are ResourceNotFoundException", async () => {
    const t = await rig.profiles.send(new GetProfileObjectTypeCommand({ DomainName: DOMAIN, ObjectTypeName: "CTR" }));
    expect(t.TemplateId).toBe("CTR");
    expect(t.CreatedAt).toBeInstanceOf(Date);
    await expect(rig.profiles.send(new GetProfileObjectTypeCommand({ DomainName: DOMAIN, ObjectTypeName: "Nope" }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(rig.profiles.send(new GetProfileObjectTypeCommand({ DomainName: "missing-domain", ObjectTypeName: "CTR" }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it("DeleteProfile removes it; a bad id is BadRequestException, a missing one ResourceNotFoundException", async () => {
    const [inferred] = await profilesFor([s.chain.contactIds[0]!]);
    await rig.profiles.send(new DeleteProfileCommand({ DomainName: DOMAIN, ProfileId: inferred!.ProfileId }));
    expect(await profilesFor(s.chain.contactIds)).toEqual([]);
    await expect(rig.profiles.send(new DeleteProfileCommand({ DomainName: DOMAIN, ProfileId: inferred!.ProfileId }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(rig.profiles.send(new DeleteProfileCommand({ DomainName: DOMAIN, ProfileId: "not-hex" }))).rejects.toBeInstanceOf(BadRequestException);
  });

  it("re-ingestion: UpdateContactAttributes after DeleteProfile re-creates an inferred profile (template CTR)", async () => {
    const [inferred] = await profilesFor(s.chain.contactIds);
    await rig.profiles.send(new DeleteProfileCommand({ DomainName: DOMAIN, ProfileId: inferred!.ProfileId }));
    await rig.connect.send(new UpdateContactAttributesCommand({ InstanceId: INSTANCE, InitialContactId: s.chain.initialContactId, Attributes: { k: "" } }));
    const again = await profilesFor(s.chain.contactIds);
    expect(again).toHaveLength(1);
    expect(again[0]!.ProfileId).not.toBe(inferred!.ProfileId);
    const objects = await rig.profiles.send(new ListProfileObjectsCommand({ DomainName: DOMAIN, ProfileId: again[0]!.ProfileId, ObjectTypeName: "CTR" }));
    expect(objects.Items?.every((o) => JSON.parse(o.Object!).Attributes.k === "")).toBe(true);
    const journal = rig.emulator.journal();
    expect(journal.map((e) => e.operation)).toEqual(["DeleteProfile", "UpdateContactAttributes", "IngestContactRecord", "IngestContactRecord"]);
    expect(journal.slice(2).map((e) => e.ids.createdProfile)).toEqual([true, false]);
  });

  it("a contact ended through the control API is ingested when it ends, not before", async () => {
    const started = await control<{ contactId: string }>(rig.emulator, "POST", "/_emulator/contacts", { agentUsername: "agent.alice", channel: "VOICE", customerAddress: "+447700900999" });
    expect(await profilesFor([started.body.contactId])).toEqual([]);
    await control(rig.emulator, "POST", `/_emulator/contacts/${started.body.contactId}/end`, {});
    expect(await profilesFor([started.body.contactId])).toHaveLength(1);
  });
});

describe("emulator: CTR templates that do not always create profiles", () => {
  it("CTR-NoInferred matches on _phone before creating; CTR-AutoAssociateOnly never creates", async () => {
    const noInferred = scenario("CTR-NoInferred");
    const rig = await startRig({ scenario: noInferred.scenario });
    try {
      const started = await control<{ contactId: string }>(rig.emulator, "POST", "/_emulator/contacts", { agentUsername: "agent.alice", channel: "VOICE", customerAddress: "+447700900555" });
      await control(rig.emulator, "POST", `/_emulator/contacts/${started.body.contactId}/end`, {});
      const found = await rig.profiles.send(new SearchProfilesCommand({ DomainName: DOMAIN, KeyName: "_ctrContactId", Values: [started.body.contactId] }));
      expect(found.Items?.map((p) => p.ProfileId)).toEqual([noInferred.known]);

      const auto = scenario("CTR-AutoAssociateOnly");
      rig.emulator.load(auto.scenario);
      const none = await rig.profiles.send(new SearchProfilesCommand({ DomainName: DOMAIN, KeyName: "_ctrContactId", Values: auto.chain.contactIds }));
      expect(none.Items).toEqual([]);
      await rig.connect.send(new UpdateContactAttributesCommand({ InstanceId: INSTANCE, InitialContactId: auto.chain.initialContactId, Attributes: { k: "x" } }));
      const still = await rig.profiles.send(new SearchProfilesCommand({ DomainName: DOMAIN, KeyName: "_ctrContactId", Values: auto.chain.contactIds }));
      expect(still.Items).toEqual([]);
    } finally {
      await rig.close();
    }
  });
});
