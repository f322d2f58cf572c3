/**
 * Resolves which contacts an erasure covers: the raised contact's whole transfer chain (InitialContactId,
 * PreviousContactId, RelatedContactId, NextContacts, ListAssociatedContacts) and, with customer-history scope, the
 * customer's past contacts found through Customer Profiles (profiles linked by `_ctrContactId`, their CTR objects).
 * Only ids, channels and times are kept.
 */
import type { Contact } from "@aws-sdk/client-connect";
import type { ConnectGateway } from "../aws/connect-gateway.ts";
import type { ProfilesGateway } from "../aws/profiles-gateway.ts";
import { AppError } from "../errors.ts";
import type { ScopedContact } from "./step-context.ts";

/** Upper bound on contacts in one request: a runaway chain or a shared inferred profile must not erase the world. */
const MAX_SCOPE_CONTACTS = 500;

export interface ResolvedScope {
  contacts: ScopedContact[];
  /** Profiles consulted for customer history. */
  profilesSearched: number;
}

function toScoped(contact: Contact, id: string): ScopedContact {
  return {
    id,
    initialContactId: contact.InitialContactId ?? id,
    channel: contact.Channel ?? "VOICE",
    ...(contact.InitiationTimestamp ? { initiatedAt: contact.InitiationTimestamp.toISOString() } : {}),
    ...(contact.DisconnectTimestamp ? { disconnectedAt: contact.DisconnectTimestamp.toISOString() } : {}),
    recordingLocations: (contact.Recordings ?? []).map((r) => r.Location ?? "").filter((l) => l.length > 0),
    hasCustomerEndpoint: Boolean(contact.CustomerEndpoint?.Address),
  };
}

/** Ids a contact points at: its chain links and quick-connect next contacts. */
function linkedIds(contact: Contact): string[] {
  const ids = [contact.InitialContactId, contact.PreviousContactId, contact.RelatedContactId];
  for (const next of contact.NextContacts ?? []) ids.push(next.NextContactMetadata?.QuickConnectContactData?.ContactId);
  return ids.filter((id): id is string => typeof id === "string" && id.length > 0);
}

/**
 * Walks the chain (and optionally the customer's history) breadth-first from `rootContactId`.
 * @throws AppError `ContactNotFound` when the raised contact itself does not exist.
 */
export async function resolveScope(
  connect: ConnectGateway,
  profiles: ProfilesGateway | undefined,
  rootContactId: string,
  customerHistory: boolean,
): Promise<ResolvedScope> {
  const found = new Map<string, ScopedContact>();
  const queued = new Set<string>([rootContactId]);
  const queue = [rootContactId];
  const associatedDone = new Set<string>();
  const profilesDone = new Set<string>();
  const enqueue = (id: string) => {
    if (queued.has(id) || queued.size >= MAX_SCOPE_CONTACTS) return;
    queued.add(id);
    queue.push(id);
  };
  while (queue.length > 0) {
    const id = queue.shift() as string;
    let contact: Contact;
    try {
      contact = await connect.describeContact(id);
    } catch (err) {
      // A linked leg past its 24-month retention is already gone; the raised contact itself must exist.
      if (err instanceof AppError && err.code === "AwsNotFound") {
        if (id === rootContactId) throw new AppError("ContactNotFound", "the raised contact does not exist", { cause: err });
        continue;
      }
      throw err;
    }
    const scoped = toScoped(contact, id);
    found.set(id, scoped);
    for (const linked of linkedIds(contact)) enqueue(linked);
    if (!associatedDone.has(scoped.initialContactId)) {
      associatedDone.add(scoped.initialContactId);
      for (const summary of await connect.listAssociatedContacts(scoped.initialContactId)) {
        if (summary.ContactId) enqueue(summary.ContactId);
      }
    }
    if (customerHistory && profiles) {
      for (const profileId of await profiles.searchProfileIds("_ctrContactId", id)) {
        if (profilesDone.has(profileId)) continue;
        profilesDone.add(profileId);
        for (const past of await profiles.listCtrContactIds(profileId)) enqueue(past);
      }
    }
  }
  return { contacts: [...found.values()], profilesSearched: profilesDone.size };
}
