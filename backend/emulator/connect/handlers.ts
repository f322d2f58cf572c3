/**
 * Amazon Connect operations, typed with the SDK's own command shapes.
 *
 * Emulated: DescribeContact, GetContactAttributes, UpdateContactAttributes, DeleteContactData, UpdateContact,
 * ListContactReferences, ListAssociatedContacts, ListInstanceStorageConfigs, SearchUsers, DescribeUser,
 * ListSecurityProfiles, DescribeSecurityProfile, ListSecurityProfilePermissions.
 *
 * LIMITATIONS
 * - One account and Region per emulator; the Region in the credential scope is ignored.
 * - UpdateContactAttributes accepts a non-initial leg id and writes to that chain's initial contact map.
 * - ListAssociatedContacts returns the legs sharing the InitialContactId or ContactAssociationId.
 * - SearchUsers supports StringCondition (username, firstname, lastname, resourceId, routingProfileId,
 *   securityProfileId) with And/Or nesting; no hierarchy or tag filters.
 * - No 24-month expiry, no contacts before 12 Sep 2018 checks, no IAM.
 */
import type {
  DeleteContactDataCommandInput,
  DescribeContactCommandInput,
  DescribeContactCommandOutput,
  DescribeSecurityProfileCommandInput,
  DescribeSecurityProfileCommandOutput,
  DescribeUserCommandInput,
  DescribeUserCommandOutput,
  GetContactAttributesCommandInput,
  GetContactAttributesCommandOutput,
  ListAssociatedContactsCommandInput,
  ListAssociatedContactsCommandOutput,
  ListContactReferencesCommandInput,
  ListContactReferencesCommandOutput,
  ListInstanceStorageConfigsCommandInput,
  ListInstanceStorageConfigsCommandOutput,
  ListSecurityProfilePermissionsCommandInput,
  ListSecurityProfilePermissionsCommandOutput,
  ListSecurityProfilesCommandInput,
  ListSecurityProfilesCommandOutput,
  ReferenceSummary,
  SearchUsersCommandInput,
  SearchUsersCommandOutput,
  UpdateContactAttributesCommandInput,
  UpdateContactCommandInput,
  UserSearchCriteria,
} from "@aws-sdk/client-connect";
import type { CallContext } from "../router.ts";
import { decodeToken, isoToDate, pageOf } from "../wire.ts";
import { ingestChain } from "../profiles/ingest.ts";
import { contactArn, instanceArn, type ContactRecord, type InstanceRecord, type UserRecord } from "./store.ts";
import { contactNotTerminated, invalidParameter, invalidRequest, resourceNotFound } from "./errors.ts";

type Out<T> = Omit<T, "$metadata">;

const ATTRIBUTE_KEY = /^[a-zA-Z0-9_-]+$/;
const MAX_ATTRIBUTES_BYTES = 32_768;
const CONTACT_FIELDS = new Set(["CUSTOMER_ENDPOINT", "ADDITIONAL_EMAIL_RECIPIENTS", "EMAIL_SUBJECT"]);
const REFERENCE_MEMBERS: Record<string, string> = {
  URL: "Url",
  ATTACHMENT: "Attachment",
  CONTACT_ANALYSIS: "ContactAnalysis",
  NUMBER: "Number",
  STRING: "String",
  DATE: "Date",
  EMAIL: "Email",
  EMAIL_MESSAGE: "EmailMessage",
  EMAIL_MESSAGE_REDACTED: "EmailMessageRedacted",
  EMAIL_MESSAGE_PLAIN_TEXT: "EmailMessagePlainText",
  EMAIL_MESSAGE_PLAIN_TEXT_REDACTED: "EmailMessagePlainTextRedacted",
};

function requireString(value: unknown, name: string): string {
  if (typeof value !== "string" || value === "") throw invalidParameter(`${name} is required`);
  return value;
}

function instanceOf(ctx: CallContext, instanceId: unknown): InstanceRecord {
  const id = requireString(instanceId, "InstanceId");
  const instance = ctx.state.connect.instances.get(id);
  if (!instance) throw resourceNotFound(`Instance not found: ${id}`);
  return instance;
}

function contactOf(ctx: CallContext, instanceId: unknown, contactId: unknown): ContactRecord {
  const instance = instanceOf(ctx, instanceId);
  const id = requireString(contactId, "ContactId");
  const contact = ctx.state.connect.contacts.get(id);
  if (!contact || contact.InstanceId !== instance.Id) throw resourceNotFound("Contact not found");
  return contact;
}

function maxResults(value: unknown, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) throw invalidParameter(`MaxResults must be between 1 and ${max}`);
  return value;
}

function startOffset(token: unknown, scope: string): number {
  const offset = decodeToken(typeof token === "string" ? token : undefined, scope);
  if (offset === null) throw invalidParameter("Invalid NextToken");
  return offset ?? 0;
}

/** DescribeContact: the contact as Connect reports it (no attributes; those come from GetContactAttributes). */
export function describeContact(input: DescribeContactCommandInput, ctx: CallContext): Out<DescribeContactCommandOutput> {
  const c = contactOf(ctx, input.InstanceId, input.ContactId);
  const { region, accountId } = ctx.state;
  return {
    Contact: {
      Arn: contactArn(region, accountId, c.InstanceId, c.Id),
      Id: c.Id,
      InitialContactId: c.InitialContactId,
      PreviousContactId: c.PreviousContactId,
      RelatedContactId: c.RelatedContactId,
      ContactAssociationId: c.ContactAssociationId,
      Channel: c.Channel,
      InitiationMethod: c.InitiationMethod as DescribeContactOutputMethod,
      Name: c.Name,
      Description: c.Description,
      InitiationTimestamp: isoToDate(c.InitiationTimestamp),
      DisconnectTimestamp: isoToDate(c.DisconnectTimestamp),
      LastUpdateTimestamp: isoToDate(c.LastUpdateTimestamp),
      ...(c.AgentInfo ? { AgentInfo: { Id: c.AgentInfo.Id, ConnectedToAgentTimestamp: isoToDate(c.AgentInfo.ConnectedToAgentTimestamp) } } : {}),
      ...(c.QueueInfo ? { QueueInfo: { Id: c.QueueInfo.Id, EnqueueTimestamp: isoToDate(c.QueueInfo.EnqueueTimestamp) } } : {}),
      ...(c.CustomerEndpoint ? { CustomerEndpoint: { ...c.CustomerEndpoint } as EndpointOut } : {}),
      ...(c.SystemEndpoint ? { SystemEndpoint: { ...c.SystemEndpoint } as EndpointOut } : {}),
      ...(c.AdditionalEmailRecipients ? { AdditionalEmailRecipients: c.AdditionalEmailRecipients } : {}),
      ...(c.Recordings.length > 0
        ? {
            Recordings: c.Recordings.map((r) => ({
              ...r,
              StartTimestamp: isoToDate(r.StartTimestamp),
              StopTimestamp: isoToDate(r.StopTimestamp),
            })) as RecordingsOut,
          }
        : {}),
    },
  };
}

type ContactOut = NonNullable<DescribeContactCommandOutput["Contact"]>;
type DescribeContactOutputMethod = NonNullable<ContactOut["InitiationMethod"]>;
type EndpointOut = NonNullable<ContactOut["CustomerEndpoint"]>;
type RecordingsOut = NonNullable<ContactOut["Recordings"]>;

/** GetContactAttributes: the chain's shared map (empty object when none were set). */
export function getContactAttributes(input: GetContactAttributesCommandInput, ctx: CallContext): Out<GetContactAttributesCommandOutput> {
  const c = contactOf(ctx, input.InstanceId, input.InitialContactId);
  return { Attributes: { ...(ctx.state.connect.attributes.get(c.InitialContactId) ?? {}) } };
}

/**
 * UpdateContactAttributes: merges into the chain's map (keys are never removed, values may be ""), then
 * re-delivers the contact record of every ended leg to Customer Profiles, as Connect does.
 */
export function updateContactAttributes(input: UpdateContactAttributesCommandInput, ctx: CallContext): Record<string, never> {
  const c = contactOf(ctx, input.InstanceId, input.InitialContactId);
  const attrs = input.Attributes;
  if (!attrs || typeof attrs !== "object" || Array.isArray(attrs)) throw invalidParameter("Attributes is required");
  for (const [k, v] of Object.entries(attrs)) {
    if (!ATTRIBUTE_KEY.test(k) || k.length > 32_767) throw invalidParameter("Attribute keys must match ^[a-zA-Z0-9_-]+$");
    if (typeof v !== "string" || v.length > 32_767) throw invalidParameter("Attribute values must be strings of at most 32767 characters");
  }
  const merged = { ...(ctx.state.connect.attributes.get(c.InitialContactId) ?? {}), ...attrs };
  let bytes = 0;
  for (const [k, v] of Object.entries(merged)) bytes += Buffer.byteLength(k) + Buffer.byteLength(v);
  if (bytes > MAX_ATTRIBUTES_BYTES) throw invalidRequest(`The total size of contact attributes exceeds ${MAX_ATTRIBUTES_BYTES} bytes`);
  ctx.state.connect.attributes.set(c.InitialContactId, merged);
  ctx.note({ initialContactId: c.InitialContactId, keyCount: Object.keys(attrs).length });
  ingestChain(ctx.state, c.InitialContactId, ctx.journal);
  return {};
}

/** DeleteContactData: redacts the customer endpoint (and email fields) of an ended contact; 409 while live. */
export function deleteContactData(input: DeleteContactDataCommandInput, ctx: CallContext): Record<string, never> {
  const c = contactOf(ctx, input.InstanceId, input.ContactId);
  const fields = input.ContactFields;
  if (!Array.isArray(fields) || fields.length === 0) throw invalidParameter("ContactFields is required");
  for (const f of fields) {
    if (!CONTACT_FIELDS.has(f)) throw invalidParameter(`Unknown contact field: ${String(f)}`);
    if (f !== "CUSTOMER_ENDPOINT" && c.Channel !== "EMAIL") throw invalidRequest(`${f} applies to EMAIL contacts only`);
  }
  if (!c.DisconnectTimestamp) throw contactNotTerminated("Contact is still active; contact data can be deleted after it ends");
  if (fields.includes("CUSTOMER_ENDPOINT")) delete c.CustomerEndpoint;
  if (fields.includes("ADDITIONAL_EMAIL_RECIPIENTS")) delete c.AdditionalEmailRecipients;
  if (fields.includes("EMAIL_SUBJECT")) delete c.EmailSubject;
  c.RedactedFields = [...new Set([...(c.RedactedFields ?? []), ...fields])];
  c.LastUpdateTimestamp = ctx.now().toISOString();
  ctx.note({ contactId: c.Id, fields: [...fields] });
  return {};
}

/** UpdateContact: name, description and references (merged by reference name). */
export function updateContact(input: UpdateContactCommandInput, ctx: CallContext): Record<string, never> {
  const c = contactOf(ctx, input.InstanceId, input.ContactId);
  const changed: string[] = [];
  if (input.Name !== undefined) {
    if (input.Name.length > 1024) throw invalidParameter("Name must be at most 1024 characters");
    c.Name = input.Name;
    changed.push("Name");
  }
  if (input.Description !== undefined) {
    if (input.Description.length > 4096) throw invalidParameter("Description must be at most 4096 characters");
    c.Description = input.Description;
    changed.push("Description");
  }
  if (input.References !== undefined) {
    for (const [name, ref] of Object.entries(input.References)) {
      if (!ref.Type || !(ref.Type in REFERENCE_MEMBERS)) throw invalidParameter(`Invalid reference type for ${name}`);
      c.References[name] = { Type: ref.Type, ...(ref.Value !== undefined ? { Value: ref.Value } : {}), ...(ref.Status ? { Status: ref.Status } : {}) };
    }
    changed.push("References");
  }
  if (changed.length === 0) throw invalidRequest("At least one field must be provided");
  c.LastUpdateTimestamp = ctx.now().toISOString();
  ctx.note({ contactId: c.Id, fields: changed });
  return {};
}

/** ListContactReferences: references of the given types, as the SDK's tagged union. */
export function listContactReferences(input: ListContactReferencesCommandInput, ctx: CallContext): Out<ListContactReferencesCommandOutput> {
  const c = contactOf(ctx, input.InstanceId, input.ContactId);
  const types = input.ReferenceTypes ?? [];
  if (types.length < 1 || types.length > 6) throw invalidParameter("ReferenceTypes must list 1 to 6 types");
  const list: Record<string, unknown>[] = [];
  for (const [name, ref] of Object.entries(c.References)) {
    if (!types.includes(ref.Type as (typeof types)[number])) continue;
    const member = REFERENCE_MEMBERS[ref.Type]!;
    const body: Record<string, unknown> = { Name: name };
    if (ref.Type.startsWith("EMAIL_MESSAGE")) body.Arn = ref.Arn;
    else body.Value = ref.Value;
    if (ref.Type === "ATTACHMENT") Object.assign(body, { Status: ref.Status, Arn: ref.Arn });
    list.push({ [member]: body });
  }
  return { ReferenceSummaryList: list as unknown as ReferenceSummary[] };
}

/** ListAssociatedContacts: every leg related to the contact (same chain or same association). */
export function listAssociatedContacts(input: ListAssociatedContactsCommandInput, ctx: CallContext): Out<ListAssociatedContactsCommandOutput> {
  const c = contactOf(ctx, input.InstanceId, input.ContactId);
  const size = maxResults(input.MaxResults, 100, 100);
  const scope = `assoc:${c.Id}`;
  const related = [...ctx.state.connect.contacts.values()]
    .filter(
      (o) =>
        o.InstanceId === c.InstanceId &&
        (o.InitialContactId === c.InitialContactId || (c.ContactAssociationId !== undefined && o.ContactAssociationId === c.ContactAssociationId)),
    )
    .sort((a, b) => a.InitiationTimestamp.localeCompare(b.InitiationTimestamp) || a.Id.localeCompare(b.Id));
  const { page, next } = pageOf(related, startOffset(input.NextToken, scope), size, scope);
  const { region, accountId } = ctx.state;
  return {
    ContactSummaryList: page.map((o) => ({
      ContactId: o.Id,
      ContactArn: contactArn(region, accountId, o.InstanceId, o.Id),
      InitiationTimestamp: isoToDate(o.InitiationTimestamp),
      DisconnectTimestamp: isoToDate(o.DisconnectTimestamp),
      InitialContactId: o.InitialContactId,
      PreviousContactId: o.PreviousContactId,
      RelatedContactId: o.RelatedContactId,
      InitiationMethod: o.InitiationMethod as DescribeContactOutputMethod,
      Channel: o.Channel,
    })),
    ...next,
  };
}

/** ListInstanceStorageConfigs: the S3 locations of one resource type. */
export function listInstanceStorageConfigs(input: ListInstanceStorageConfigsCommandInput, ctx: CallContext): Out<ListInstanceStorageConfigsCommandOutput> {
  const instance = instanceOf(ctx, input.InstanceId);
  const type = requireString(input.ResourceType, "ResourceType");
  const size = maxResults(input.MaxResults, 10, 10);
  const scope = `storage:${instance.Id}:${type}`;
  const configs = instance.storageConfigs.filter((s) => s.ResourceType === type);
  const { page, next } = pageOf(configs, startOffset(input.NextToken, scope), size, scope);
  return {
    StorageConfigs: page.map((s) => ({ AssociationId: s.AssociationId, StorageType: s.StorageType, S3Config: { ...s.S3Config } })),
    ...next,
  };
}

function userMatches(user: UserRecord, criteria: UserSearchCriteria | undefined): boolean {
  if (!criteria) return true;
  if (criteria.AndConditions && !criteria.AndConditions.every((c) => userMatches(user, c))) return false;
  if (criteria.OrConditions && !criteria.OrConditions.some((c) => userMatches(user, c))) return false;
  const cond = criteria.StringCondition;
  if (!cond) return true;
  const candidates = userField(user, cond.FieldName ?? "");
  const value = cond.Value ?? "";
  return candidates.some((v) => {
    if (cond.ComparisonType === "EXACT") return v === value;
    if (cond.ComparisonType === "STARTS_WITH") return v.toLowerCase().startsWith(value.toLowerCase());
    if (cond.ComparisonType === "CONTAINS") return v.toLowerCase().includes(value.toLowerCase());
    throw invalidParameter(`Unsupported ComparisonType: ${String(cond.ComparisonType)}`);
  });
}

function userField(user: UserRecord, fieldName: string): string[] {
  switch (fieldName.toLowerCase()) {
    case "username":
      return [user.Username];
    case "firstname":
      return user.IdentityInfo?.FirstName ? [user.IdentityInfo.FirstName] : [];
    case "lastname":
      return user.IdentityInfo?.LastName ? [user.IdentityInfo.LastName] : [];
    case "resourceid":
      return [user.Id];
    case "routingprofileid":
      return [user.RoutingProfileId];
    case "securityprofileid":
      return user.SecurityProfileIds;
    default:
      throw invalidParameter(`Unsupported FieldName: ${fieldName}`);
  }
}

function userOut(ctx: CallContext, instance: InstanceRecord, u: UserRecord) {
  return {
    Id: u.Id,
    Arn: `${instanceArn(ctx.state.region, ctx.state.accountId, instance.Id)}/agent/${u.Id}`,
    Username: u.Username,
    SecurityProfileIds: [...u.SecurityProfileIds],
    RoutingProfileId: u.RoutingProfileId,
    ...(u.HierarchyGroupId ? { HierarchyGroupId: u.HierarchyGroupId } : {}),
    ...(u.IdentityInfo ? { IdentityInfo: { ...u.IdentityInfo } } : {}),
  };
}

/** SearchUsers: users matching the criteria, in username order. */
export function searchUsers(input: SearchUsersCommandInput, ctx: CallContext): Out<SearchUsersCommandOutput> {
  const instance = instanceOf(ctx, input.InstanceId);
  const size = maxResults(input.MaxResults, 500, 100);
  const scope = `users:${instance.Id}:${JSON.stringify(input.SearchCriteria ?? {})}`;
  const matches = instance.users.filter((u) => userMatches(u, input.SearchCriteria)).sort((a, b) => a.Username.localeCompare(b.Username));
  const { page, next } = pageOf(matches, startOffset(input.NextToken, scope), size, scope);
  return {
    Users: page.map((u) => userOut(ctx, instance, u)),
    ApproximateTotalCount: matches.length,
    ...next,
  };
}

/** DescribeUser: one user with its security profile ids. */
export function describeUser(input: DescribeUserCommandInput, ctx: CallContext): Out<DescribeUserCommandOutput> {
  const instance = instanceOf(ctx, input.InstanceId);
  const user = instance.users.find((u) => u.Id === input.UserId);
  if (!user) throw resourceNotFound("User not found");
  return { User: { ...userOut(ctx, instance, user), PhoneConfig: { PhoneType: "SOFT_PHONE" } } };
}

function securityProfileArn(ctx: CallContext, instance: InstanceRecord, id: string): string {
  return `${instanceArn(ctx.state.region, ctx.state.accountId, instance.Id)}/security-profile/${id}`;
}

/** ListSecurityProfiles: summaries in name order. */
export function listSecurityProfiles(input: ListSecurityProfilesCommandInput, ctx: CallContext): Out<ListSecurityProfilesCommandOutput> {
  const instance = instanceOf(ctx, input.InstanceId);
  const size = maxResults(input.MaxResults, 1000, 1000);
  const scope = `sp:${instance.Id}`;
  const sorted = [...instance.securityProfiles].sort((a, b) => a.Name.localeCompare(b.Name));
  const { page, next } = pageOf(sorted, startOffset(input.NextToken, scope), size, scope);
  return {
    SecurityProfileSummaryList: page.map((p) => ({ Id: p.Id, Arn: securityProfileArn(ctx, instance, p.Id), Name: p.Name, LastModifiedRegion: ctx.state.region })),
    ...next,
  };
}

/** DescribeSecurityProfile. */
export function describeSecurityProfile(input: DescribeSecurityProfileCommandInput, ctx: CallContext): Out<DescribeSecurityProfileCommandOutput> {
  const instance = instanceOf(ctx, input.InstanceId);
  const p = instance.securityProfiles.find((s) => s.Id === input.SecurityProfileId);
  if (!p) throw resourceNotFound("Security profile not found");
  return {
    SecurityProfile: { Id: p.Id, Arn: securityProfileArn(ctx, instance, p.Id), SecurityProfileName: p.Name, Description: p.Description, LastModifiedRegion: ctx.state.region },
  };
}

/** ListSecurityProfilePermissions: permission strings such as `DeleteCallRecordings`. */
export function listSecurityProfilePermissions(
  input: ListSecurityProfilePermissionsCommandInput,
  ctx: CallContext,
): Out<ListSecurityProfilePermissionsCommandOutput> {
  const instance = instanceOf(ctx, input.InstanceId);
  const p = instance.securityProfiles.find((s) => s.Id === input.SecurityProfileId);
  if (!p) throw resourceNotFound("Security profile not found");
  const size = maxResults(input.MaxResults, 1000, 1000);
  const scope = `spp:${p.Id}`;
  const { page, next } = pageOf(p.Permissions, startOffset(input.NextToken, scope), size, scope);
  return { Permissions: page, ...next };
}
