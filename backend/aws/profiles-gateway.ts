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

export interface ProfilesGateway {
  /** Profile ids whose `keyName` matches `value`. */
  searchProfileIds(keyName: string, value: string): Promise<string[]>;
  /** Contact ids referenced by the profile's CTR objects (the customer's past contacts). */
  listCtrContactIds(profileId: string): Promise<string[]>;
  deleteProfile(profileId: string): Promise<void>;
}

const MAX_PAGES = 100;

/** Builds the Customer Profiles gateway bound to one domain. */
export function createProfilesGateway(client: CustomerProfilesClient, domainName: string, run: CallRunner = directRunner): ProfilesGateway {
  return {
    async searchProfileIds(keyName, value) {
      const ids: string[] = [];
      let nextToken: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const out = await run("SearchProfiles", () =>
          client.send(new SearchProfilesCommand({ DomainName: domainName, KeyName: keyName, Values: [value], MaxResults: 100, NextToken: nextToken })),
        );
        for (const item of out.Items ?? []) if (item.ProfileId) ids.push(item.ProfileId);
        nextToken = out.NextToken;
        if (!nextToken) break;
      }
      return ids;
    },
    async listCtrContactIds(profileId) {
      const ids = new Set<string>();
      let nextToken: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const out = await run("ListProfileObjects", () =>
          client.send(
            new ListProfileObjectsCommand({ DomainName: domainName, ProfileId: profileId, ObjectTypeName: "CTR", MaxResults: 100, NextToken: nextToken }),
          ),
        );
        for (const item of out.Items ?? []) {
          const contactId = ctrContactId(item.Object);
          if (contactId) ids.add(contactId);
        }
        nextToken = out.NextToken;
        if (!nextToken) break;
      }
      return [...ids];
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
