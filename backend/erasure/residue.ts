/**
 * The residue of an erasure and what it means for the outcome (gdpr.md §4 "Reporting honestly").
 *
 * Decision (the kinds live in `domain/request.ts`): a request is `completed` when every step verified by read-back and everything left is *declared
 * residue by design*: contact-record metadata Connect keeps until its 24-month retention with no API to delete it
 * (RETAINED with basis and end date), copies outside this tool's reach that the controller must handle (CTR stream
 * consumers and Art. 19 recipients: notification tasks), and the analytics data lake whose propagation is
 * unverifiable for every request alike. Those items are listed on the request and the certificate either way.
 * Any *blocking* residue (Object Lock, legal hold, access denied, a replica bucket, or anything else the tool found
 * but could not erase) makes it `completed_with_residue`: personal data of the caller remains in a store the tool
 * covers, and saying "completed" would be false.
 */
import type { ResidueItem } from "../contract/schemas.ts";
import type { Config } from "../config.ts";
import type { ScopedContact } from "./step-context.ts";

/** Initiation + 24 months: when Connect deletes the contact record itself. */
function ctrRetentionEnd(contact: ScopedContact): string | undefined {
  if (!contact.initiatedAt) return undefined;
  const d = new Date(contact.initiatedAt);
  d.setUTCMonth(d.getUTCMonth() + 24);
  return d.toISOString();
}

/** The by-design residue of every erasure: CTR metadata per contact, stream copies, data lake, Art. 19 recipients. */
export function declaredResidue(contacts: readonly ScopedContact[], config: Pick<Config, "ctrStreams" | "art19Recipients">): ResidueItem[] {
  const items: ResidueItem[] = [];
  for (const contact of contacts) {
    const until = ctrRetentionEnd(contact);
    items.push({
      kind: "ctr_metadata",
      reason: "contact record metadata (ids, timestamps, queue, agent, attribute keys with emptied values) is retained by Amazon Connect for 24 months from initiation; no API deletes it",
      ...(until ? { until } : {}),
      location: `connect:contact/${contact.id}`,
    });
  }
  for (const stream of config.ctrStreams) {
    items.push({
      kind: "stream_copies",
      reason: "earlier contact records with the original values were delivered to this stream; its consumers keep their own copies",
      location: `stream:${stream}`,
    });
  }
  items.push({
    kind: "data_lake",
    reason: "the Connect analytics data lake keeps a rolling 25 months; whether redaction and overwrites propagate to it is unverified",
    location: "connect:analytics-data-lake",
  });
  for (const recipient of config.art19Recipients) {
    items.push({ kind: "art19_recipient", reason: "received the caller's contact data: notify it of the erasure (Art. 19)", location: `recipient:${recipient}` });
  }
  return items;
}
