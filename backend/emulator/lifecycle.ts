/**
 * Contact lifecycle shared by the control API and the scenario builder: start a live contact, transfer it to
 * another agent (a new leg of the same chain), end it (artifacts + contact-record ingestion), upload a late
 * recording. Every step takes explicit times so scenarios can place contacts anywhere, e.g. across midnight.
 */
import { randomUUID } from "node:crypto";
import type { EmulatorState } from "./state.ts";
import type { Channel, ContactRecord, InstanceRecord } from "./connect/store.ts";
import { writeContactArtifacts, type ArtifactOptions, type WrittenArtifact } from "./artifacts.ts";
import { ingestChain } from "./profiles/ingest.ts";
import type { Journal } from "./journal.ts";

/** A refused lifecycle step; the control API answers with its HTTP status. */
export class LifecycleError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export interface StartContactInput {
  instanceId?: string;
  agentUsername?: string;
  channel: Channel;
  attributes?: Record<string, string>;
  customerAddress?: string;
  initiationMethod?: string;
  contactId?: string;
  relatedContactId?: string;
  name?: string;
  description?: string;
}

const DEFAULT_QUEUE_ID = "0a000000-0000-4000-8000-000000000001";
const CHANNELS = new Set<Channel>(["VOICE", "CHAT", "TASK", "EMAIL"]);

/** Obviously fake default endpoints (UK drama-range number, example.invalid e-mail). */
function defaultEndpoint(channel: Channel, address: string | undefined): ContactRecord["CustomerEndpoint"] {
  if (channel === "VOICE") return { Type: "TELEPHONE_NUMBER", Address: address ?? "+447700900123" };
  if (channel === "EMAIL") return { Type: "EMAIL_ADDRESS", Address: address ?? "fake.caller@example.invalid" };
  return address ? { Type: channel === "CHAT" ? "CONNECT_PHONENUMBER_ARN" : "OTHER", Address: address } : undefined;
}

function systemEndpoint(channel: Channel): ContactRecord["SystemEndpoint"] {
  if (channel === "VOICE") return { Type: "TELEPHONE_NUMBER", Address: "+442079460000" };
  if (channel === "EMAIL") return { Type: "EMAIL_ADDRESS", Address: "support@example.invalid" };
  return undefined;
}

/** The instance a control call addresses (the only one when not given). */
export function resolveInstance(state: EmulatorState, instanceId?: string): InstanceRecord {
  const instance = instanceId ? state.connect.instances.get(instanceId) : state.connect.instances.values().next().value;
  if (!instance) throw new LifecycleError(404, instanceId ? `Instance ${instanceId} not found` : "No instance loaded");
  return instance;
}

function agentId(instance: InstanceRecord, username: string | undefined): string | undefined {
  if (username === undefined) return undefined;
  const user = instance.users.find((u) => u.Username === username);
  if (!user) throw new LifecycleError(404, `User ${username} not found`);
  return user.Id;
}

/** Starts a live contact (no DisconnectTimestamp) and returns it. */
export function startContact(state: EmulatorState, input: StartContactInput, at: Date): ContactRecord {
  if (!CHANNELS.has(input.channel)) throw new LifecycleError(400, "channel must be VOICE, CHAT, TASK or EMAIL");
  const instance = resolveInstance(state, input.instanceId);
  const id = input.contactId ?? randomUUID();
  if (state.connect.contacts.has(id)) throw new LifecycleError(409, `Contact ${id} exists`);
  const agent = agentId(instance, input.agentUsername);
  const iso = at.toISOString();
  const customer = defaultEndpoint(input.channel, input.customerAddress);
  const system = systemEndpoint(input.channel);
  const contact: ContactRecord = {
    Id: id,
    InstanceId: instance.Id,
    InitialContactId: id,
    Channel: input.channel,
    InitiationMethod: input.initiationMethod ?? (input.channel === "TASK" ? "API" : "INBOUND"),
    InitiationTimestamp: iso,
    LastUpdateTimestamp: iso,
    ...(input.relatedContactId ? { RelatedContactId: input.relatedContactId } : {}),
    ...(input.channel === "EMAIL"
      ? { ContactAssociationId: id, EmailSubject: "FAKE-SUBJECT", AdditionalEmailRecipients: { CcList: [{ Address: "fake.cc@example.invalid" }] } }
      : {}),
    ...(agent ? { AgentInfo: { Id: agent, ConnectedToAgentTimestamp: iso } } : {}),
    QueueInfo: { Id: DEFAULT_QUEUE_ID, EnqueueTimestamp: iso },
    ...(customer ? { CustomerEndpoint: customer } : {}),
    ...(system ? { SystemEndpoint: system } : {}),
    ...(input.name ? { Name: input.name } : {}),
    ...(input.description ? { Description: input.description } : {}),
    Recordings: [],
    References: {},
  };
  state.connect.contacts.set(id, contact);
  if (input.attributes && Object.keys(input.attributes).length > 0) {
    state.connect.attributes.set(id, { ...(state.connect.attributes.get(id) ?? {}), ...input.attributes });
  }
  return contact;
}

function liveContact(state: EmulatorState, contactId: string): ContactRecord {
  const contact = state.connect.contacts.get(contactId);
  if (!contact) throw new LifecycleError(404, `Contact ${contactId} not found`);
  if (contact.DisconnectTimestamp) throw new LifecycleError(409, `Contact ${contactId} already ended`);
  return contact;
}

/**
 * Ends a live contact: disconnect time, artifacts per channel, then the contact record goes to Customer
 * Profiles (every ended leg of the chain is re-delivered).
 */
export function endContact(
  state: EmulatorState,
  contactId: string,
  at: Date,
  opts: ArtifactOptions & { deferArtifacts?: boolean } = {},
  journal?: Journal,
): WrittenArtifact[] {
  const contact = liveContact(state, contactId);
  contact.DisconnectTimestamp = at.toISOString();
  contact.LastUpdateTimestamp = contact.DisconnectTimestamp;
  const written = opts.deferArtifacts ? [] : writeContactArtifacts(state, contact, opts);
  ingestChain(state, contact.InitialContactId, journal);
  return written;
}

/** Transfers a live contact: the current leg ends and a new leg (same chain, new id) starts with the agent. */
export function transferContact(
  state: EmulatorState,
  contactId: string,
  toAgentUsername: string,
  at: Date,
  opts: ArtifactOptions & { newContactId?: string } = {},
  journal?: Journal,
): { contact: ContactRecord; artifacts: WrittenArtifact[] } {
  const from = liveContact(state, contactId);
  const instance = resolveInstance(state, from.InstanceId);
  const agent = agentId(instance, toAgentUsername)!;
  const artifacts = endContact(state, contactId, at, opts, journal);
  const iso = at.toISOString();
  const id = opts.newContactId ?? randomUUID();
  const leg: ContactRecord = {
    ...structuredClone({ ...from, Recordings: [], References: {} }),
    Id: id,
    PreviousContactId: from.Id,
    InitiationMethod: "TRANSFER",
    InitiationTimestamp: iso,
    LastUpdateTimestamp: iso,
    AgentInfo: { Id: agent, ConnectedToAgentTimestamp: iso },
  };
  delete leg.DisconnectTimestamp;
  delete leg.NextContactId;
  from.NextContactId = id;
  state.connect.contacts.set(id, leg);
  return { contact: leg, artifacts };
}

/**
 * Writes an ended contact's files now (the late-artifact case the executor must re-scan for): typically after
 * an `end` with `deferArtifacts`; writing again adds new versions under the same keys.
 */
export function addLateArtifacts(state: EmulatorState, contactId: string, at: Date, opts: ArtifactOptions = {}): WrittenArtifact[] {
  const contact = state.connect.contacts.get(contactId);
  if (!contact) throw new LifecycleError(404, `Contact ${contactId} not found`);
  if (!contact.DisconnectTimestamp) throw new LifecycleError(409, `Contact ${contactId} is still live`);
  return writeContactArtifacts(state, contact, { ...opts, writtenAt: at });
}
