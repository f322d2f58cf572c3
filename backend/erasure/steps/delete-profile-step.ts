/**
 * Step 6: delete the Customer Profiles linked to the contacts (`_ctrContactId`). Runs after the attribute scrub,
 * whose re-delivered contact records can re-create an inferred profile; the read-back search catches such a
 * profile and deletes it too. A 404 on DeleteProfile can mean "access denied", so absence is only trusted after
 * the search confirms it.
 */
import { AppError } from "../../errors.ts";
import { verificationFailed, type Step, type StepContext, type StepOutcome } from "../step-context.ts";
import type { ProfilesGateway } from "../../aws/profiles-gateway.ts";

/** Rounds of search → delete before giving the step back to the backoff (ingestion may still be running). */
const ROUNDS = 3;

/** Ids of every profile linked to one of the contacts by `_ctrContactId`. */
export async function linkedProfiles(profiles: ProfilesGateway, contactIds: readonly string[]): Promise<string[]> {
  const ids = new Set<string>();
  for (const contactId of contactIds) for (const id of await profiles.searchProfileIds("_ctrContactId", contactId)) ids.add(id);
  return [...ids];
}

async function deleteAll(profiles: ProfilesGateway, ids: readonly string[]): Promise<number> {
  let deleted = 0;
  for (const id of ids) {
    try {
      await profiles.deleteProfile(id);
      deleted++;
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== "AwsNotFound") throw err;
    }
  }
  return deleted;
}

/** Finds, deletes and re-searches until no linked profile is left. */
export const deleteProfileStep: Step = async (ctx: StepContext): Promise<StepOutcome> => {
  const profiles = ctx.gateways.profiles;
  if (!profiles) {
    return {
      kind: "done",
      counts: { profilesDeleted: 0 },
      result: { residue: [{ kind: "other", reason: "no Customer Profiles domain configured: linked profiles were not checked" }] },
    };
  }
  const contactIds = ctx.scope.contacts.map((c) => c.id);
  let deleted = 0;
  let recreated = 0;
  let remaining = await linkedProfiles(profiles, contactIds);
  for (let round = 0; round < ROUNDS && remaining.length > 0; round++) {
    if (round > 0) recreated += remaining.length;
    deleted += await deleteAll(profiles, remaining);
    remaining = await linkedProfiles(profiles, contactIds);
  }
  if (remaining.length > 0) throw verificationFailed("delete-profile", "linked profiles", remaining.length);
  return { kind: "done", counts: { profilesDeleted: deleted, profilesRecreatedAndDeleted: recreated }, result: {} };
};
