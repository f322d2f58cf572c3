/**
 * Thin Customer Profiles gateway for the erasure executor: search by key, list CTR objects, delete profiles.
 * Paging handled; every call through a `CallRunner`. Profile contents never leave this module except the
 * contact ids read from CTR objects.
 */
import {
  DeleteProfileCommand,
  ListProfileObjectsCommand,
  SearchProfilesCommand,
  type CustomerProfilesClient,
} from "@aws-sdk/client-customer-profiles";
import { directRunner, type CallRunner } from "./call-runner.ts";
import { collectPages } from "./connect-gateway.ts";

export interface ProfilesGateway {
  /** Profile ids whose `keyName` matches `value`. */
  searchProfileIds(keyName: string, value: string): Promise<string[]>;
  /** Contact ids referenced by the profile's CTR objects (the customer's past contacts). */
  listCtrContactIds(profileId: string): Promise<string[]>;
  deleteProfile(profileId: string): Promise<void>;
}

/** Builds the Customer Profiles gateway bound to one domain. */
export function createProfilesGateway(client: CustomerProfilesClient, domainName: string, run: CallRunner = directRunner): ProfilesGateway {
  return {
    searchProfileIds(keyName, value) {
      return collectPages(async (nextToken) => {
        const out = await run("SearchProfiles", () =>
          client.send(new SearchProfilesCommand({ DomainName: domainName, KeyName: keyName, Values: [value], MaxResults: 100, NextToken: nextToken })),
        );
        return { items: (out.Items ?? []).flatMap((item) => (item.ProfileId ? [item.ProfileId] : [])), nextToken: out.NextToken };
      });
    },
    async listCtrContactIds(profileId) {
      const ids = await collectPages(async (nextToken) => {
        const out = await run("ListProfileObjects", () =>
          client.send(
            new ListProfileObjectsCommand({ DomainName: domainName, ProfileId: profileId, ObjectTypeName: "CTR", MaxResults: 100, NextToken: nextToken }),
          ),
        );
        return { items: (out.Items ?? []).flatMap((item) => ctrContactId(item.Object) ?? []), nextToken: out.NextToken };
      });
      return [...new Set(ids)];
    },
    async deleteProfile(profileId) {
      await run("DeleteProfile", () => client.send(new DeleteProfileCommand({ DomainName: domainName, ProfileId: profileId })));
    },
  };
}

/** Reads only the ContactId of a CTR profile object; everything else in it is discarded unread. */
function ctrContactId(objectJson: string | undefined): string | undefined {
  if (!objectJson) return undefined;
  try {
    const parsed = JSON.parse(objectJson) as { ContactId?: unknown };
    return typeof parsed.ContactId === "string" ? parsed.ContactId : undefined;
  } catch {
    return undefined;
  }
}
