/**
 * Step 3: blank the free-text Name and Description of TASK and EMAIL contacts (Connect treats both as sensitive;
 * voice and chat contacts rarely carry them, and UpdateContact is checked for every channel anyway when set), and
 * overwrite the value of every contact reference (URL, STRING, NUMBER, DATE, EMAIL) with "". Attachment references
 * point at a file UpdateContact cannot remove: they are declared as blocking residue.
 */
import type { ReferenceType } from "@aws-sdk/client-connect";
import type { ConnectGateway, ContactReference } from "../../aws/connect-gateway.ts";
import type { ResidueItem } from "../../contract/schemas.ts";
import { unlessNotFound, verificationFailed, type Step } from "../step-context.ts";

/** Reference types whose value UpdateContact can overwrite. */
const VALUE_REFERENCE_TYPES: readonly ReferenceType[] = ["URL", "STRING", "NUMBER", "DATE", "EMAIL"];
/** Listed as well (6 types is the API's maximum) so attachments become declared residue, not silent leftovers. */
const LISTED_REFERENCE_TYPES: ReferenceType[] = [...VALUE_REFERENCE_TYPES, "ATTACHMENT"];

/** References of one contact that still hold a value UpdateContact can blank. */
function withValue(references: readonly ContactReference[]): ContactReference[] {
  return references.filter((r) => VALUE_REFERENCE_TYPES.includes(r.type) && r.value !== undefined && r.value !== "");
}

interface ReferenceOutcome {
  checked: number;
  scrubbed: number;
  remaining: number;
  attachments: number;
}

/** Blanks the references of one contact and reads them back; undefined when Connect no longer knows the contact. */
async function scrubReferences(connect: ConnectGateway, contactId: string): Promise<ReferenceOutcome | undefined> {
  const listed = await unlessNotFound(() => connect.listContactReferences(contactId, LISTED_REFERENCE_TYPES));
  if (!listed) return undefined;
  const attachments = listed.filter((r) => r.type === "ATTACHMENT").length;
  const toBlank = withValue(listed);
  if (toBlank.length === 0) return { checked: listed.length, scrubbed: 0, remaining: 0, attachments };
  await connect.updateContactReferences(contactId, Object.fromEntries(toBlank.map((r) => [r.name, { Value: "", Type: r.type }])));
  const after = await connect.listContactReferences(contactId, LISTED_REFERENCE_TYPES);
  return { checked: listed.length, scrubbed: toBlank.length, remaining: withValue(after).length, attachments };
}

/** Scrubs Name/Description and reference values wherever set and verifies by reading back. */
export const scrubTaskFieldsStep: Step = async (ctx) => {
  const connect = ctx.gateways.connect;
  let fieldsScrubbed = 0;
  let contactsChecked = 0;
  let referencesScrubbed = 0;
  let referencesChecked = 0;
  let remaining = 0;
  let remainingReferences = 0;
  for (const contact of ctx.scope.contacts) {
    const described = await unlessNotFound(() => connect.describeContact(contact.id));
    if (!described) continue;
    contactsChecked++;
    const fields: { Name?: string; Description?: string } = {};
    if (described.Name) fields.Name = "";
    if (described.Description) fields.Description = "";
    const count = Object.keys(fields).length;
    if (count === 0) continue;
    await connect.updateContactText(contact.id, fields);
    fieldsScrubbed += count;
    const after = await connect.describeContact(contact.id);
    if (after.Name || after.Description) remaining++;
  }
  // AWS documents the initial contact id for ListContactReferences while references are set per contact: ask for both.
  const referenceHolders = [...new Set(ctx.scope.contacts.flatMap((c) => [c.id, c.initialContactId]))];
  const residue: ResidueItem[] = [];
  for (const contactId of referenceHolders) {
    const outcome = await scrubReferences(connect, contactId);
    if (!outcome) continue;
    referencesChecked += outcome.checked;
    referencesScrubbed += outcome.scrubbed;
    remainingReferences += outcome.remaining;
    if (outcome.attachments > 0) {
      residue.push({
        kind: "other",
        reason: "attachment reference: delete the file with DeleteAttachedFile / S3 (not covered)",
        location: `connect:contact/${contactId}/references`,
      });
    }
  }
  if (remaining > 0) throw verificationFailed("scrub-task-fields", "contact names or descriptions", remaining);
  if (remainingReferences > 0) throw verificationFailed("scrub-task-fields", "contact reference values", remainingReferences);
  return { kind: "done", counts: { contactsChecked, fieldsScrubbed, referencesChecked, referencesScrubbed }, result: { residue } };
};
