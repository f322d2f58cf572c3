/**
 * Customer Profiles state: domains with their object types (the CTR template decides ingestion) and profiles
 * with search keys and objects.
 */

export type CtrTemplateId = "CTR" | "CTR-NoInferred" | "CTR-AutoAssociateOnly";

export interface ObjectTypeRecord {
  ObjectTypeName: string;
  TemplateId?: string;
  Description: string;
  ExpirationDays: number;
  AllowProfileCreation: boolean;
  CreatedAt: string;
  LastUpdatedAt: string;
}

export interface ProfileObjectRecord {
  ObjectTypeName: string;
  ProfileObjectUniqueKey: string;
  /** The object as the JSON string the API returns. */
  Object: string;
}

export interface ProfileRecord {
  ProfileId: string;
  /** True when CTR ingestion created the profile rather than a person or an import. */
  Inferred: boolean;
  FirstName?: string;
  LastName?: string;
  PhoneNumber?: string;
  EmailAddress?: string;
  Attributes?: Record<string, string>;
  /** Search keys (`_ctrContactId`, `_phone`, `_email`, custom); `_profileId` is implicit. */
  Keys: Record<string, string[]>;
  Objects: ProfileObjectRecord[];
}

export interface DomainRecord {
  DomainName: string;
  /** Connect instance whose contact records this domain ingests (the integration). */
  InstanceId?: string;
  DefaultExpirationDays: number;
  CreatedAt: string;
  objectTypes: Map<string, ObjectTypeRecord>;
  profiles: Map<string, ProfileRecord>;
}

export interface ProfilesState {
  domains: Map<string, DomainRecord>;
}

/** A Customer Profiles state with no domains. */
export function emptyProfilesState(): ProfilesState {
  return { domains: new Map() };
}

/** Values a profile answers to for a search key, including the implicit and standard-field keys. */
export function keyValues(profile: ProfileRecord, keyName: string): string[] {
  const own = profile.Keys[keyName] ?? [];
  if (keyName === "_profileId") return [profile.ProfileId, ...own];
  if (keyName === "_phone" && profile.PhoneNumber) return [profile.PhoneNumber, ...own];
  if (keyName === "_email" && profile.EmailAddress) return [profile.EmailAddress, ...own];
  return own;
}
