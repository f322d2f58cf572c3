/**
 * Step 3: blank the free-text Name and Description of TASK and EMAIL contacts (Connect treats both as sensitive;
 * voice and chat contacts rarely carry them, and UpdateContact is checked for every channel anyway when set).
 */
import { AppError } from "../../errors.ts";
import { verificationFailed, type Step } from "../step-context.ts";

/** Scrubs Name/Description wherever set and verifies with DescribeContact. */
export const scrubTaskFieldsStep: Step = async (ctx) => {
  let fieldsScrubbed = 0;
  let contactsChecked = 0;
  let remaining = 0;
  for (const contact of ctx.scope.contacts) {
    let described;
    try {
      described = await ctx.gateways.connect.describeContact(contact.id);
    } catch (err) {
      if (err instanceof AppError && err.code === "AwsNotFound") continue;
      throw err;
    }
    contactsChecked++;
    const fields: { Name?: string; Description?: string } = {};
    if (described.Name) fields.Name = "";
    if (described.Description) fields.Description = "";
    const count = Object.keys(fields).length;
    if (count === 0) continue;
    await ctx.gateways.connect.updateContactText(contact.id, fields);
    fieldsScrubbed += count;
    const after = await ctx.gateways.connect.describeContact(contact.id);
    if (after.Name || after.Description) remaining++;
  }
  if (remaining > 0) throw verificationFailed("scrub-task-fields", "contact names or descriptions", remaining);
  return { kind: "done", counts: { contactsChecked, fieldsScrubbed }, result: {} };
};
