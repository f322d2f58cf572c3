/**
 * Contact-record ingestion into Customer Profiles, as the Connect integration does it: when a contact ends and
 * again whenever its chain's attributes change (the CTR is re-delivered), each ended leg's record is matched to
 * a profile according to the CTR object type's template, possibly creating an inferred profile.
 */
import { randomUUID } from "node:crypto";
import type { EmulatorState } from "../state.ts";
import { chainOf, instanceArn, type ContactRecord } from "../connect/store.ts";
import { keyValues, type DomainRecord, type ProfileRecord } from "./store.ts";
import type { Journal } from "../journal.ts";

/** A 32-hex profile id, the format Customer Profiles uses. */
export function newProfileId(): string {
  return randomUUID().replace(/-/g, "");
}

function domainFor(state: EmulatorState, instanceId: string): DomainRecord | undefined {
  for (const d of state.profiles.domains.values()) if (d.InstanceId === instanceId && d.objectTypes.has("CTR")) return d;
  return undefined;
}

/** The contact record as Connect delivers it (shape of the CTR data model, trimmed to what matters here). */
function contactRecordJson(state: EmulatorState, c: ContactRecord): Record<string, unknown> {
  const attributes = state.connect.attributes.get(c.InitialContactId) ?? {};
  return {
    AWSAccountId: state.accountId,
    AWSContactTraceRecordFormatVersion: "2017-03-10",
    InstanceARN: instanceArn(state.region, state.accountId, c.InstanceId),
    ContactId: c.Id,
    InitialContactId: c.InitialContactId,
    PreviousContactId: c.PreviousContactId ?? null,
    NextContactId: c.NextContactId ?? null,
    Channel: c.Channel,
    InitiationMethod: c.InitiationMethod,
    InitiationTimestamp: c.InitiationTimestamp,
    DisconnectTimestamp: c.DisconnectTimestamp ?? null,
    Agent: c.AgentInfo ? { ARN: `${instanceArn(state.region, state.accountId, c.InstanceId)}/agent/${c.AgentInfo.Id}` } : null,
    CustomerEndpoint: c.CustomerEndpoint ? { Type: c.CustomerEndpoint.Type, Address: c.CustomerEndpoint.Address } : null,
    SystemEndpoint: c.SystemEndpoint ? { Type: c.SystemEndpoint.Type, Address: c.SystemEndpoint.Address } : null,
    Attributes: { ...attributes },
    Recordings: c.Recordings.map((r) => ({ Location: r.Location, Status: r.Status })),
  };
}

function findBy(domain: DomainRecord, keyName: string, value: string): ProfileRecord | undefined {
  for (const p of domain.profiles.values()) if (keyValues(p, keyName).includes(value)) return p;
  return undefined;
}

function phoneOf(c: ContactRecord): string | undefined {
  return c.CustomerEndpoint?.Type === "TELEPHONE_NUMBER" ? c.CustomerEndpoint.Address : undefined;
}

/** Ingests one ended contact into its instance's domain; returns the profile it landed in, if any. */
function ingestContact(state: EmulatorState, c: ContactRecord, journal?: Journal): ProfileRecord | undefined {
  if (!c.DisconnectTimestamp) return undefined;
  const domain = domainFor(state, c.InstanceId);
  if (!domain) return undefined;
  const template = domain.objectTypes.get("CTR")?.TemplateId ?? "CTR";
  const phone = phoneOf(c);
  // Legs of one chain land in one profile: the earlier legs' ids are already `_ctrContactId` values.
  let profile = [c.Id, c.InitialContactId, c.PreviousContactId]
    .filter((id): id is string => id !== undefined)
    .map((id) => findBy(domain, "_ctrContactId", id))
    .find((p) => p !== undefined);
  if (!profile && phone && template !== "CTR") profile = findBy(domain, "_phone", phone);
  let created = false;
  if (!profile) {
    if (template === "CTR-AutoAssociateOnly") {
      journal?.record({ service: "profile", operation: "IngestContactRecord", ids: { contactId: c.Id, domain: domain.DomainName }, outcome: "skipped" });
      return undefined;
    }
    profile = { ProfileId: newProfileId(), Inferred: true, Keys: {}, Objects: [], ...(phone ? { PhoneNumber: phone } : {}) };
    domain.profiles.set(profile.ProfileId, profile);
    created = true;
  }
  const ctrIds = profile.Keys._ctrContactId ?? [];
  if (!ctrIds.includes(c.Id)) profile.Keys._ctrContactId = [...ctrIds, c.Id];
  const object = { ObjectTypeName: "CTR", ProfileObjectUniqueKey: c.Id, Object: JSON.stringify(contactRecordJson(state, c)) };
  profile.Objects = [...profile.Objects.filter((o) => !(o.ObjectTypeName === "CTR" && o.ProfileObjectUniqueKey === c.Id)), object];
  journal?.record({
    service: "profile",
    operation: "IngestContactRecord",
    ids: { contactId: c.Id, domain: domain.DomainName, profileId: profile.ProfileId, createdProfile: created },
    outcome: "ok",
  });
  return profile;
}

/** Re-delivers the record of every ended leg of a chain (after an attribute update or a leg ending). */
export function ingestChain(state: EmulatorState, initialContactId: string, journal?: Journal): void {
  for (const leg of chainOf(state.connect, initialContactId)) ingestContact(state, leg, journal);
}
