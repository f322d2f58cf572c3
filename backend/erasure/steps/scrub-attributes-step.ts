/**
 * Step 2: overwrite contact attributes. Attributes cannot be deleted, only overwritten, and they are shared per
 * InitialContactId, so each chain is scrubbed once: every key not on `config.attributeKeepList` is set to "".
 * Runs before the profile step because each update re-delivers the contact record, which may re-create a profile.
 */
import { unlessNotFound, verificationFailed, type Step } from "../step-context.ts";

/** Scrubs and reads back the attributes of every chain in scope. */
export const scrubAttributesStep: Step = async (ctx) => {
  const keep = new Set(ctx.config.attributeKeepList);
  const chains = [...new Set(ctx.scope.contacts.map((c) => c.initialContactId))];
  let keysScrubbed = 0;
  let keysKept = 0;
  let chainsGone = 0;
  let remaining = 0;
  for (const initialContactId of chains) {
    const attributes = await unlessNotFound(() => ctx.gateways.connect.getContactAttributes(initialContactId));
    // Past retention the contact and its attributes are gone: nothing to scrub.
    if (!attributes) {
      chainsGone++;
      continue;
    }
    const keys = Object.keys(attributes);
    keysKept += keys.filter((k) => keep.has(k)).length;
    const toScrub = keys.filter((k) => !keep.has(k) && attributes[k] !== "");
    if (toScrub.length > 0) {
      await ctx.gateways.connect.updateContactAttributes(initialContactId, Object.fromEntries(toScrub.map((k) => [k, ""])));
      keysScrubbed += toScrub.length;
    }
    const after = await ctx.gateways.connect.getContactAttributes(initialContactId);
    remaining += Object.entries(after).filter(([k, v]) => !keep.has(k) && v !== "").length;
  }
  if (remaining > 0) throw verificationFailed("scrub-attributes", "attribute values", remaining);
  return { kind: "done", counts: { chains: chains.length, keysScrubbed, keysKept, chainsGone }, result: {} };
};
