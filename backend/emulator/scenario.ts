/**
 * Scenarios: the JSON form of the emulator state (what `POST /_emulator/scenario` takes and
 * `GET /_emulator/state` returns), conversion to and from the live state, and a builder that creates contacts
 * through the same lifecycle code the control API uses, so artifacts land where Connect writes them.
 */
import { createHash } from "node:crypto";
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION, emptyState, type EmulatorState } from "./state.ts";
import type { Channel, ContactRecord, InstanceRecord, SecurityProfileRecord, UserRecord } from "./connect/store.ts";
import type { CtrTemplateId, DomainRecord, ObjectTypeRecord, ProfileRecord } from "./profiles/store.ts";
import { etagOf, newVersionId, putObjectVersion, type BucketRecord, type LockMode, type ObjectVersionRecord, type VersioningStatus } from "./s3/store.ts";
import { newProfileId } from "./profiles/ingest.ts";
import { endContact, startContact, transferContact } from "./lifecycle.ts";
import type { ArtifactOptions, WrittenArtifact } from "./artifacts.ts";

export interface ScenarioObjectVersion extends Omit<ObjectVersionRecord, "Body" | "ETag" | "Size" | "VersionId" | "IsDeleteMarker" | "LastModified"> {
  VersionId?: string;
  IsDeleteMarker?: boolean;
  LastModified?: string;
  /** UTF-8 body; or BodyBase64 for binary content. */
  Body?: string;
  BodyBase64?: string;
  ETag?: string;
  Size?: number;
}

export interface ScenarioBucket extends Omit<BucketRecord, "objects" | "CreationDate"> {
  CreationDate?: string;
  /** Versions newest first per key (order across keys does not matter). */
  Objects?: ScenarioObjectVersion[];
}

export interface ScenarioDomain extends Omit<DomainRecord, "objectTypes" | "profiles" | "CreatedAt" | "DefaultExpirationDays"> {
  CreatedAt?: string;
  DefaultExpirationDays?: number;
  ObjectTypes?: (Partial<ObjectTypeRecord> & { ObjectTypeName: string })[];
  Profiles?: ProfileRecord[];
}

export type ScenarioContact = Omit<ContactRecord, "Recordings" | "References" | "LastUpdateTimestamp" | "InitialContactId"> &
  Partial<Pick<ContactRecord, "Recordings" | "References" | "LastUpdateTimestamp" | "InitialContactId">>;

/** A whole emulator state as JSON. */
export interface Scenario {
  accountId?: string;
  region?: string;
  connect?: {
    instances?: InstanceRecord[];
    contacts?: ScenarioContact[];
    /** Attribute maps keyed by InitialContactId. */
    attributes?: Record<string, Record<string, string>>;
  };
  profiles?: { domains?: ScenarioDomain[] };
  s3?: { buckets?: ScenarioBucket[] };
}

/** Builds a fresh state from a scenario (deep copies: the scenario object is never aliased). */
export function stateFromScenario(scenario: Scenario): EmulatorState {
  const s = structuredClone(scenario);
  const state = emptyState(s.accountId ?? DEFAULT_ACCOUNT_ID, s.region ?? DEFAULT_REGION);
  const now = new Date().toISOString();
  for (const i of s.connect?.instances ?? []) {
    state.connect.instances.set(i.Id, { ...i, storageConfigs: i.storageConfigs ?? [], users: i.users ?? [], securityProfiles: i.securityProfiles ?? [] });
  }
  for (const c of s.connect?.contacts ?? []) {
    state.connect.contacts.set(c.Id, {
      ...c,
      InitialContactId: c.InitialContactId ?? c.Id,
      LastUpdateTimestamp: c.LastUpdateTimestamp ?? c.DisconnectTimestamp ?? c.InitiationTimestamp,
      Recordings: c.Recordings ?? [],
      References: c.References ?? {},
    });
  }
  for (const [id, attrs] of Object.entries(s.connect?.attributes ?? {})) state.connect.attributes.set(id, attrs);
  for (const d of s.profiles?.domains ?? []) {
    const { ObjectTypes, Profiles, ...rest } = d;
    state.profiles.domains.set(d.DomainName, {
      ...rest,
      CreatedAt: d.CreatedAt ?? now,
      DefaultExpirationDays: d.DefaultExpirationDays ?? 365,
      objectTypes: new Map(
        (ObjectTypes ?? []).map((t) => [
          t.ObjectTypeName,
          { Description: t.ObjectTypeName, ExpirationDays: 365, AllowProfileCreation: true, CreatedAt: now, LastUpdatedAt: now, ...t },
        ]),
      ),
      profiles: new Map((Profiles ?? []).map((p) => [p.ProfileId, { ...p, Keys: p.Keys ?? {}, Objects: p.Objects ?? [] }])),
    });
  }
  for (const b of s.s3?.buckets ?? []) {
    const { Objects, ...rest } = b;
    const bucket: BucketRecord = { ...rest, CreationDate: b.CreationDate ?? now, objects: new Map() };
    for (const o of Objects ?? []) {
      const body = o.BodyBase64 !== undefined ? Buffer.from(o.BodyBase64, "base64") : Buffer.from(o.Body ?? "", "utf8");
      const { BodyBase64: _b, Body: _t, ...meta } = o;
      const version: ObjectVersionRecord = {
        ...meta,
        VersionId: o.VersionId ?? (bucket.Versioning === "Unversioned" ? "null" : newVersionId()),
        IsDeleteMarker: o.IsDeleteMarker ?? false,
        LastModified: o.LastModified ?? now,
        ETag: o.IsDeleteMarker ? "" : (o.ETag ?? etagOf(body)),
        Size: o.IsDeleteMarker ? 0 : body.length,
        Body: body,
      };
      bucket.objects.set(o.Key, [...(bucket.objects.get(o.Key) ?? []), version]);
    }
    state.s3.buckets.set(b.Name, bucket);
  }
  return state;
}

/** The JSON form of a state; object bodies are included as base64 only when asked (they can be large). */
export function scenarioFromState(state: EmulatorState, opts: { bodies: boolean } = { bodies: true }): Scenario {
  return structuredClone({
    accountId: state.accountId,
    region: state.region,
    connect: {
      instances: [...state.connect.instances.values()],
      contacts: [...state.connect.contacts.values()],
      attributes: Object.fromEntries(state.connect.attributes),
    },
    profiles: {
      domains: [...state.profiles.domains.values()].map(({ objectTypes, profiles, ...d }) => ({
        ...d,
        ObjectTypes: [...objectTypes.values()],
        Profiles: [...profiles.values()],
      })),
    },
    s3: {
      buckets: [...state.s3.buckets.values()].map(({ objects, ...b }) => ({
        ...b,
        Objects: [...objects.values()].flat().map(({ Body, ...v }) => ({ ...v, ...(opts.bodies ? { BodyBase64: Body.toString("base64") } : {}) })),
      })),
    },
  });
}

export interface BuilderInstance {
  id: string;
  alias: string;
  region?: string;
  accountId?: string;
  analysisPrefix?: string;
}

export interface ContactSpec extends ArtifactOptions {
  agent?: string;
  /** Agents of the legs after the first (a transfer per entry); `legs` alone reuses the first agent. */
  transferTo?: string[];
  legs?: number;
  /** First leg start; later legs start `legMinutes` apart. */
  start?: string;
  legMinutes?: number;
  /** Per-leg recording times (date folders of the recordings); defaults to each leg's connect time. */
  recordingDays?: string[];
  attributes?: Record<string, string>;
  customerAddress?: string;
  /** Leave the last leg live (no DisconnectTimestamp). */
  live?: boolean;
  /** End the last leg without files (add them later with the control API's `/recording`). */
  deferArtifacts?: boolean;
  ids?: string[];
  relatedContactId?: string;
}

export interface BuiltContact {
  initialContactId: string;
  contactIds: string[];
  artifacts: WrittenArtifact[];
}

function defaultRetention(lock: { mode: LockMode; days?: number; years?: number }) {
  return { Mode: lock.mode, ...(lock.days ? { Days: lock.days } : {}), ...(lock.years ? { Years: lock.years } : {}) };
}

/** Fluent builder for scenarios; `build()` returns plain JSON. */
export class ScenarioBuilder {
  readonly state: EmulatorState;
  private readonly instance: InstanceRecord;

  constructor(instance: BuilderInstance) {
    this.state = emptyState(instance.accountId ?? DEFAULT_ACCOUNT_ID, instance.region ?? DEFAULT_REGION);
    this.instance = {
      Id: instance.id,
      Alias: instance.alias,
      ...(instance.analysisPrefix !== undefined ? { AnalysisPrefix: instance.analysisPrefix } : {}),
      storageConfigs: [],
      users: [],
      securityProfiles: [],
    };
    this.state.connect.instances.set(instance.id, this.instance);
  }

  /** Adds a bucket; Object Lock implies versioning Enabled. */
  bucket(name: string, opts: { versioning?: VersioningStatus; objectLock?: { mode: LockMode; days?: number; years?: number } | true; replicatedTo?: string } = {}): this {
    const lock = opts.objectLock;
    this.state.s3.buckets.set(name, {
      Name: name,
      CreationDate: "2024-01-01T00:00:00.000Z",
      Versioning: lock ? "Enabled" : (opts.versioning ?? "Unversioned"),
      ...(lock ? { ObjectLock: lock === true ? {} : { DefaultRetention: defaultRetention(lock) } } : {}),
      ...(opts.replicatedTo ? { ReplicatedTo: opts.replicatedTo } : {}),
      objects: new Map(),
    });
    return this;
  }

  /** Adds a storage config; the prefix defaults to Connect's `connect/<alias>/<Folder>`. */
  storage(resourceType: string, bucket: string, prefix?: string): this {
    const folder: Record<string, string> = {
      CALL_RECORDINGS: "CallRecordings",
      CHAT_TRANSCRIPTS: "ChatTranscripts",
      SCREEN_RECORDINGS: "ScreenRecordings",
      ATTACHMENTS: "Attachments",
      CONTACT_EVALUATIONS: "ContactEvaluations",
      EMAIL_MESSAGES: "EmailMessages",
    };
    this.instance.storageConfigs.push({
      // Deterministic so a scenario built twice is identical (demo links and snapshots stay stable).
      AssociationId: createHash("sha256").update(`${this.instance.Id}/${resourceType}/${bucket}`).digest("hex").slice(0, 32),
      ResourceType: resourceType,
      StorageType: "S3",
      S3Config: { BucketName: bucket, BucketPrefix: prefix ?? `connect/${this.instance.Alias}/${folder[resourceType] ?? resourceType}` },
    });
    return this;
  }

  securityProfile(p: SecurityProfileRecord): this {
    this.instance.securityProfiles.push(p);
    return this;
  }

  user(u: Omit<UserRecord, "RoutingProfileId" | "SecurityProfileIds"> & Partial<Pick<UserRecord, "RoutingProfileId" | "SecurityProfileIds">>): this {
    this.instance.users.push({ RoutingProfileId: "0b000000-0000-4000-8000-000000000001", SecurityProfileIds: [], ...u });
    return this;
  }

  /** Adds a Customer Profiles domain integrated with the instance, with a CTR object type using `template`. */
  profilesDomain(name: string, template: CtrTemplateId = "CTR"): this {
    const at = "2024-01-01T00:00:00.000Z";
    this.state.profiles.domains.set(name, {
      DomainName: name,
      InstanceId: this.instance.Id,
      DefaultExpirationDays: 365,
      CreatedAt: at,
      objectTypes: new Map([
        [
          "CTR",
          {
            ObjectTypeName: "CTR",
            TemplateId: template,
            Description: "Contact records",
            ExpirationDays: 365,
            AllowProfileCreation: template !== "CTR-AutoAssociateOnly",
            CreatedAt: at,
            LastUpdatedAt: at,
          },
        ],
      ]),
      profiles: new Map(),
    });
    return this;
  }

  /** Adds a profile to a domain; returns its id. */
  profile(domain: string, p: Partial<ProfileRecord>): string {
    const d = this.state.profiles.domains.get(domain);
    if (!d) throw new Error(`unknown domain ${domain}`);
    const profile: ProfileRecord = { ProfileId: newProfileId(), Inferred: false, Keys: {}, Objects: [], ...p };
    d.profiles.set(profile.ProfileId, profile);
    return profile.ProfileId;
  }

  /** Puts an arbitrary object (a new version per the bucket's versioning). */
  object(
    bucket: string,
    key: string,
    body: string | Buffer,
    at = new Date("2024-06-01T00:00:00Z"),
    opts: { retention?: { Mode: LockMode; RetainUntilDate: string }; legalHold?: "ON" | "OFF" } = {},
  ): ObjectVersionRecord {
    const b = this.state.s3.buckets.get(bucket);
    if (!b) throw new Error(`unknown bucket ${bucket}`);
    return putObjectVersion(b, key, Buffer.isBuffer(body) ? body : Buffer.from(body), at, opts);
  }

  /** A contact chain on any channel, ended unless `live`, with artifacts and CTR ingestion. */
  addContact(channel: Channel, spec: ContactSpec = {}): BuiltContact {
    const legs = Math.max(1, spec.legs ?? 1 + (spec.transferTo?.length ?? 0));
    const legMs = (spec.legMinutes ?? 7) * 60_000;
    const start = new Date(spec.start ?? "2026-11-20T10:00:00Z").getTime();
    const agent = spec.agent ?? this.instance.users[0]?.Username;
    const recordedAt = (i: number) => (spec.recordingDays?.[i] ? { recordedAt: new Date(spec.recordingDays[i]!) } : {});
    const artifactOpts: ArtifactOptions = {
      ...(spec.ivr !== undefined ? { ivr: spec.ivr } : {}),
      ...(spec.contactLens !== undefined ? { contactLens: spec.contactLens } : {}),
    };
    let contact = startContact(
      this.state,
      {
        instanceId: this.instance.Id,
        channel,
        ...(agent ? { agentUsername: agent } : {}),
        ...(spec.attributes ? { attributes: spec.attributes } : {}),
        ...(spec.customerAddress ? { customerAddress: spec.customerAddress } : {}),
        ...(spec.ids?.[0] ? { contactId: spec.ids[0] } : {}),
        ...(spec.relatedContactId ? { relatedContactId: spec.relatedContactId } : {}),
      },
      new Date(start),
    );
    const ids = [contact.Id];
    const artifacts: WrittenArtifact[] = [];
    for (let i = 1; i < legs; i++) {
      const to = spec.transferTo?.[i - 1] ?? agent;
      if (!to) throw new Error("transfer needs an agent");
      const legOpts = { ...artifactOpts, ...recordedAt(i - 1), ...(spec.ids?.[i] ? { newContactId: spec.ids[i] } : {}) };
      const moved = transferContact(this.state, contact.Id, to, new Date(start + i * legMs), legOpts);
      artifacts.push(...moved.artifacts);
      contact = moved.contact;
      ids.push(contact.Id);
    }
    if (!spec.live) {
      const end = new Date(start + legs * legMs - 60_000);
      artifacts.push(...endContact(this.state, contact.Id, end, { ...artifactOpts, ...recordedAt(legs - 1), ...(spec.deferArtifacts ? { deferArtifacts: true } : {}) }));
    }
    return { initialContactId: ids[0]!, contactIds: ids, artifacts };
  }

  addVoiceContact(spec: ContactSpec = {}): BuiltContact {
    return this.addContact("VOICE", spec);
  }

  addChatContact(spec: ContactSpec = {}): BuiltContact {
    return this.addContact("CHAT", spec);
  }

  addEmailContact(spec: ContactSpec = {}): BuiltContact {
    return this.addContact("EMAIL", spec);
  }

  build(): Scenario {
    return scenarioFromState(this.state);
  }
}
