import type { HarnessContact } from "./protocol.ts";

/** A live contact as the emulator's control API reports it (ids only; no caller data here). */
export interface EmulatorContact extends HarnessContact {
  agentUserId?: string;
}

interface ContactAnswer {
  contactId?: string;
  ContactId?: string;
  id?: string;
  initialContactId?: string;
  InitialContactId?: string;
  channel?: string;
  Channel?: string;
  agentUserId?: string;
  agentId?: string;
}

const SUBTYPES: Record<string, string> = {
  voice: "connect:Telephony",
  chat: "connect:Chat",
  task: "connect:Task",
  email: "connect:Email",
};

async function call(emulatorUrl: string, path: string, body: unknown): Promise<ContactAnswer> {
  const response = await fetch(`${emulatorUrl}/_emulator${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`Emulator ${path} answered HTTP ${response.status}: ${await response.text()}`);
  const text = await response.text();
  return text ? (JSON.parse(text) as ContactAnswer) : {};
}

function toContact(answer: ContactAnswer, requestedChannel: string, fallbackInitial?: string): EmulatorContact {
  const contactId = answer.contactId ?? answer.ContactId ?? answer.id;
  if (!contactId) throw new Error("The emulator returned no contact id");
  const channel = (answer.channel ?? answer.Channel ?? requestedChannel).toLowerCase();
  return {
    contactId,
    initialContactId: answer.initialContactId ?? answer.InitialContactId ?? fallbackInitial ?? contactId,
    channel: { type: channel, subtype: SUBTYPES[channel] ?? `connect:${channel}` },
    agentUserId: answer.agentUserId ?? answer.agentId,
  };
}

/**
 * What a contact flow would have stored about a demo caller: obviously fake values (an Ofcom drama-range
 * number) so the demo shows attributes being overwritten and the customer endpoint being redacted.
 */
export const DEMO_CALLER = {
  customerAddress: "+447700900123",
  attributes: { callerName: "FAKE-Demo-Caller", accountNumber: "FAKE-ACCT-000123", intent: "billing" },
};

/** Starts a live (connected) contact routed to the given demo agent. */
export async function startContact(emulatorUrl: string, agentUsername: string, channel = "VOICE"): Promise<EmulatorContact> {
  return toContact(await call(emulatorUrl, "/contacts", { agentUsername, channel, ...DEMO_CALLER }), channel);
}

/** Transfers a live contact to another agent: Connect creates a new contact linked to the previous one. */
export async function transferContact(emulatorUrl: string, contact: EmulatorContact, agentUsername: string): Promise<EmulatorContact> {
  const answer = await call(emulatorUrl, `/contacts/${encodeURIComponent(contact.contactId)}/transfer`, {
    toAgentUsername: agentUsername,
  });
  return toContact(answer, contact.channel.type, contact.initialContactId);
}

/** Ends (disconnects) a contact; the agent then goes through after-contact work. */
export async function endContact(emulatorUrl: string, contact: EmulatorContact): Promise<void> {
  await call(emulatorUrl, `/contacts/${encodeURIComponent(contact.contactId)}/end`, {});
}

/** The emulated Connect instance (id and Region), reported to the app as the workspace would. */
export async function describeInstance(emulatorUrl: string): Promise<{ instanceId?: string; region?: string }> {
  try {
    const response = await fetch(`${emulatorUrl}/_emulator/instance`);
    if (!response.ok) return {};
    const body = (await response.json()) as { id?: string; region?: string };
    return { instanceId: body.id, region: body.region };
  } catch {
    return {};
  }
}
