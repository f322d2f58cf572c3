/**
 * Step 4: DeleteContactData redacts the customer endpoint (and for e-mail the extra recipients and subject) from
 * the contact and its record, permanently. Only ended contacts are accepted (a live one is a retryable
 * `ContactNotEnded`). Verified by DescribeContact showing no customer endpoint address.
 */
import type { Contact, ContactField } from "@aws-sdk/client-connect";
import { unlessNotFound, verificationFailed, type Step } from "../step-context.ts";

function hasCustomerData(contact: Contact): boolean {
  return Boolean(contact.CustomerEndpoint?.Address) || (contact.AdditionalEmailRecipients?.ToList ?? []).length > 0 || (contact.AdditionalEmailRecipients?.CcList ?? []).length > 0;
}

/** Redacts every contact's customer endpoint and reads it back. */
export const deleteContactDataStep: Step = async (ctx) => {
  let redacted = 0;
  let alreadyClean = 0;
  let remaining = 0;
  for (const contact of ctx.scope.contacts) {
    const described = await unlessNotFound(() => ctx.gateways.connect.describeContact(contact.id));
    if (!described) continue;
    if (!hasCustomerData(described)) {
      alreadyClean++;
      continue;
    }
    const fields: ContactField[] = ["CUSTOMER_ENDPOINT"];
    if (described.Channel === "EMAIL") fields.push("ADDITIONAL_EMAIL_RECIPIENTS", "EMAIL_SUBJECT");
    await ctx.gateways.connect.deleteContactData(contact.id, fields);
    redacted++;
    if (hasCustomerData(await ctx.gateways.connect.describeContact(contact.id))) remaining++;
  }
  if (remaining > 0) throw verificationFailed("delete-contact-data", "customer endpoints", remaining);
  return { kind: "done", counts: { contactsRedacted: redacted, contactsAlreadyClean: alreadyClean }, result: {} };
};
