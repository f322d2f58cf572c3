/**
 * Customer Profiles operations, typed with the SDK's own command shapes.
 *
 * Emulated: SearchProfiles, DeleteProfile, ListProfileObjects, DeleteProfileObject, GetProfileObjectType,
 * AddProfileKey, DeleteProfileKey; contact-record ingestion lives in `ingest.ts`.
 *
 * LIMITATIONS
 * - Search keys are exact-match; `_profileId`, `_phone` and `_email` also match the standard fields.
 * - ListProfileObjects' ObjectFilter matches the unique key, `_ctrContactId` (the record's ContactId) or a
 *   top-level field of the object JSON.
 * - No profile expiry, no merging, no identity resolution; DeleteProfile never answers 404 for "access denied".
 */
import type {
  AddProfileKeyCommandInput,
  AddProfileKeyCommandOutput,
  DeleteProfileCommandInput,
  DeleteProfileCommandOutput,
  DeleteProfileKeyCommandInput,
  DeleteProfileKeyCommandOutput,
  DeleteProfileObjectCommandInput,
  DeleteProfileObjectCommandOutput,
  GetProfileObjectTypeCommandInput,
  GetProfileObjectTypeCommandOutput,
  ListProfileObjectsCommandInput,
  ListProfileObjectsCommandOutput,
  SearchProfilesCommandInput,
  SearchProfilesCommandOutput,
} from "@aws-sdk/client-customer-profiles";
import type { CallContext } from "../router.ts";
import { decodeToken, isoToDate, pageOf } from "../wire.ts";
import { keyValues, type DomainRecord, type ProfileRecord } from "./store.ts";
import { badRequest, resourceNotFound } from "./errors.ts";

type Out<T> = Omit<T, "$metadata">;

const DOMAIN_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const PROFILE_ID = /^[a-f0-9]{32}$/;

function domainOf(ctx: CallContext, name: unknown): DomainRecord {
  if (typeof name !== "string" || !DOMAIN_NAME.test(name)) throw badRequest("Invalid DomainName");
  const domain = ctx.state.profiles.domains.get(name);
  if (!domain) throw resourceNotFound(`Domain ${name} not found`);
  return domain;
}

function profileOf(domain: DomainRecord, id: unknown): ProfileRecord {
  if (typeof id !== "string" || !PROFILE_ID.test(id)) throw badRequest("Invalid ProfileId");
  const profile = domain.profiles.get(id);
  if (!profile) throw resourceNotFound(`Profile ${id} not found`);
  return profile;
}

function pageParams(input: { MaxResults?: number; NextToken?: string }, scope: string): { size: number; offset: number } {
  const size = input.MaxResults ?? 20;
  if (!Number.isInteger(size) || size < 1 || size > 100) throw badRequest("max-results must be between 1 and 100");
  const offset = decodeToken(input.NextToken, scope);
  if (offset === null) throw badRequest("Invalid next-token");
  return { size, offset: offset ?? 0 };
}

function requireValues(values: unknown, name: string): string[] {
  if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === "string" && v.length >= 1 && v.length <= 255)) {
    throw badRequest(`${name} must list 1 or more values of 1 to 255 characters`);
  }
  return values as string[];
}

/** SearchProfiles: profiles whose key matches any value, combined with AdditionalSearchKeys by AND or OR. */
export function searchProfiles(input: SearchProfilesCommandInput, ctx: CallContext): Out<SearchProfilesCommandOutput> {
  const domain = domainOf(ctx, input.DomainName);
  if (typeof input.KeyName !== "string" || input.KeyName === "") throw badRequest("KeyName is required");
  const searches = [{ KeyName: input.KeyName, Values: requireValues(input.Values, "Values") }];
  for (const extra of input.AdditionalSearchKeys ?? []) {
    if (!extra.KeyName) throw badRequest("AdditionalSearchKeys KeyName is required");
    searches.push({ KeyName: extra.KeyName, Values: requireValues(extra.Values, "AdditionalSearchKeys Values") });
  }
  const useOr = input.LogicalOperator === "OR";
  const items: { profile: ProfileRecord; found: { KeyName: string; Values: string[] }[] }[] = [];
  for (const profile of domain.profiles.values()) {
    const found = searches
      .map((s) => ({ KeyName: s.KeyName, Values: keyValues(profile, s.KeyName).filter((v) => s.Values.includes(v)) }))
      .filter((f) => f.Values.length > 0);
    if (useOr ? found.length > 0 : found.length === searches.length) items.push({ profile, found });
  }
  items.sort((a, b) => a.profile.ProfileId.localeCompare(b.profile.ProfileId));
  const scope = `search:${domain.DomainName}:${JSON.stringify(searches)}:${useOr}`;
  const { size, offset } = pageParams(input, scope);
  const { page, next } = pageOf(items, offset, size, scope);
  return {
    Items: page.map(({ profile: p, found }) => ({
      ProfileId: p.ProfileId,
      ...(p.FirstName ? { FirstName: p.FirstName } : {}),
      ...(p.LastName ? { LastName: p.LastName } : {}),
      ...(p.PhoneNumber ? { PhoneNumber: p.PhoneNumber } : {}),
      ...(p.EmailAddress ? { EmailAddress: p.EmailAddress } : {}),
      ...(p.Attributes ? { Attributes: { ...p.Attributes } } : {}),
      FoundByItems: found,
    })),
    ...next,
  };
}

/** DeleteProfile: removes the profile with all its keys and objects. */
export function deleteProfile(input: DeleteProfileCommandInput, ctx: CallContext): Out<DeleteProfileCommandOutput> {
  const domain = domainOf(ctx, input.DomainName);
  const profile = profileOf(domain, input.ProfileId);
  domain.profiles.delete(profile.ProfileId);
  ctx.note({ domain: domain.DomainName, profileId: profile.ProfileId });
  return { Message: "Profile deleted" };
}

function objectMatches(o: ProfileRecord["Objects"][number], keyName: string, values: string[]): boolean {
  if (values.includes(o.ProfileObjectUniqueKey) && (keyName === "_ctrContactId" || keyName === "ProfileObjectUniqueKey")) return true;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(o.Object) as Record<string, unknown>;
  } catch {
    return false;
  }
  const field = keyName === "_ctrContactId" ? parsed.ContactId : parsed[keyName];
  return typeof field === "string" && values.includes(field);
}

/** ListProfileObjects: objects of one type attached to a profile. */
export function listProfileObjects(input: ListProfileObjectsCommandInput, ctx: CallContext): Out<ListProfileObjectsCommandOutput> {
  const domain = domainOf(ctx, input.DomainName);
  if (typeof input.ObjectTypeName !== "string" || input.ObjectTypeName === "") throw badRequest("ObjectTypeName is required");
  const profile = profileOf(domain, input.ProfileId);
  const filter = input.ObjectFilter;
  const objects = profile.Objects.filter(
    (o) => o.ObjectTypeName === input.ObjectTypeName && (!filter || objectMatches(o, filter.KeyName ?? "", filter.Values ?? [])),
  );
  const scope = `objects:${domain.DomainName}:${profile.ProfileId}:${input.ObjectTypeName}:${JSON.stringify(filter ?? null)}`;
  const { size, offset } = pageParams(input, scope);
  const { page, next } = pageOf(objects, offset, size, scope);
  return { Items: page.map((o) => ({ ...o })), ...next };
}

/** DeleteProfileObject: removes one object by unique key. */
export function deleteProfileObject(input: DeleteProfileObjectCommandInput, ctx: CallContext): Out<DeleteProfileObjectCommandOutput> {
  const domain = domainOf(ctx, input.DomainName);
  const profile = profileOf(domain, input.ProfileId);
  const index = profile.Objects.findIndex((o) => o.ObjectTypeName === input.ObjectTypeName && o.ProfileObjectUniqueKey === input.ProfileObjectUniqueKey);
  if (index < 0) throw resourceNotFound("Profile object not found");
  profile.Objects.splice(index, 1);
  ctx.note({ domain: domain.DomainName, profileId: profile.ProfileId, objectTypeName: input.ObjectTypeName, uniqueKey: input.ProfileObjectUniqueKey });
  return { Message: "Profile object deleted" };
}

/** GetProfileObjectType: the object type, including the CTR template that drives ingestion. */
export function getProfileObjectType(input: GetProfileObjectTypeCommandInput, ctx: CallContext): Out<GetProfileObjectTypeCommandOutput> {
  const domain = domainOf(ctx, input.DomainName);
  const type = domain.objectTypes.get(String(input.ObjectTypeName));
  if (!type) throw resourceNotFound(`Object type ${String(input.ObjectTypeName)} not found`);
  return {
    ObjectTypeName: type.ObjectTypeName,
    Description: type.Description,
    ...(type.TemplateId ? { TemplateId: type.TemplateId } : {}),
    ExpirationDays: type.ExpirationDays,
    AllowProfileCreation: type.AllowProfileCreation,
    CreatedAt: isoToDate(type.CreatedAt),
    LastUpdatedAt: isoToDate(type.LastUpdatedAt),
  };
}

function keyName(value: unknown): string {
  if (typeof value !== "string" || value === "" || value.length > 255) throw badRequest("KeyName is required");
  return value;
}

/** AddProfileKey: adds search-key values to a profile. */
export function addProfileKey(input: AddProfileKeyCommandInput, ctx: CallContext): Out<AddProfileKeyCommandOutput> {
  const domain = domainOf(ctx, input.DomainName);
  const profile = profileOf(domain, input.ProfileId);
  const name = keyName(input.KeyName);
  const values = requireValues(input.Values, "Values");
  profile.Keys[name] = [...new Set([...(profile.Keys[name] ?? []), ...values])];
  ctx.note({ domain: domain.DomainName, profileId: profile.ProfileId, keyName: name, valueCount: values.length });
  return { KeyName: name, Values: [...values] };
}

/** DeleteProfileKey: removes search-key values (e.g. `_ctrContactId`) from a profile. */
export function deleteProfileKey(input: DeleteProfileKeyCommandInput, ctx: CallContext): Out<DeleteProfileKeyCommandOutput> {
  const domain = domainOf(ctx, input.DomainName);
  const profile = profileOf(domain, input.ProfileId);
  const name = keyName(input.KeyName);
  const values = requireValues(input.Values, "Values");
  const current = profile.Keys[name];
  if (!current || !values.some((v) => current.includes(v))) throw resourceNotFound("Profile key not found");
  const remaining = current.filter((v) => !values.includes(v));
  if (remaining.length > 0) profile.Keys[name] = remaining;
  else delete profile.Keys[name];
  ctx.note({ domain: domain.DomainName, profileId: profile.ProfileId, keyName: name, valueCount: values.length });
  return { Message: "Profile key deleted" };
}
