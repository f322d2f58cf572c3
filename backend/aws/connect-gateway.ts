/**
 * Thin Amazon Connect gateway for the erasure executor: one method per API operation, paging handled, every call
 * through a `CallRunner` (which translates errors with `awsCall`). Returns SDK shapes narrowed to what callers use.
 */
import {
  DeleteContactDataCommand,
  DescribeContactCommand,
  GetContactAttributesCommand,
  ListAssociatedContactsCommand,
  ListContactReferencesCommand,
  ListInstanceStorageConfigsCommand,
  UpdateContactAttributesCommand,
  UpdateContactCommand,
  type Contact,
  type ConnectClient,
  type ContactField,
  type AssociatedContactSummary,
  type InstanceStorageConfig,
  type InstanceStorageResourceType,
  type ReferenceSummary,
  type ReferenceType,
} from "@aws-sdk/client-connect";
import { directRunner, type CallRunner } from "./call-runner.ts";

/** One contact reference flattened from the SDK's tagged union: name, type and value (value absent for files/messages). */
export interface ContactReference {
  name: string;
  type: ReferenceType;
  value?: string;
}

export interface ConnectGateway {
  describeContact(contactId: string): Promise<Contact>;
  getContactAttributes(initialContactId: string): Promise<Record<string, string>>;
  updateContactAttributes(initialContactId: string, attributes: Record<string, string>): Promise<void>;
  updateContactText(contactId: string, fields: { Name?: string; Description?: string }): Promise<void>;
  listContactReferences(contactId: string, types: ReferenceType[]): Promise<ContactReference[]>;
  updateContactReferences(contactId: string, references: Record<string, { Value: string; Type: ReferenceType }>): Promise<void>;
  deleteContactData(contactId: string, fields: ContactField[]): Promise<void>;
  listAssociatedContacts(contactId: string): Promise<AssociatedContactSummary[]>;
  listStorageConfigs(resourceType: InstanceStorageResourceType): Promise<InstanceStorageConfig[]>;
}

/** Page limit for list operations: a runaway NextToken loop must end. */
const MAX_PAGES = 100;

/** Follows NextToken through at most MAX_PAGES pages of one list operation and concatenates their items. */
export async function collectPages<T>(fetchPage: (nextToken: string | undefined) => Promise<{ items: T[]; nextToken: string | undefined }>): Promise<T[]> {
  const all: T[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await fetchPage(nextToken);
    all.push(...out.items);
    nextToken = out.nextToken;
    if (!nextToken) break;
  }
  return all;
}

/** Union member name of ReferenceSummary → the reference type it carries. */
const REFERENCE_MEMBER_TYPES: Readonly<Record<string, ReferenceType>> = {
  Url: "URL",
  Attachment: "ATTACHMENT",
  String: "STRING",
  Number: "NUMBER",
  Date: "DATE",
  Email: "EMAIL",
  EmailMessage: "EMAIL_MESSAGE",
  EmailMessagePlainText: "EMAIL_MESSAGE_PLAIN_TEXT",
};

/** Flattens one ReferenceSummary union value; members this SDK does not know are skipped. */
function flattenReference(summary: ReferenceSummary): ContactReference[] {
  const out: ContactReference[] = [];
  for (const [member, body] of Object.entries(summary)) {
    const type = REFERENCE_MEMBER_TYPES[member];
    const fields = body as { Name?: string; Value?: string } | undefined;
    if (!type || !fields?.Name) continue;
    out.push({ name: fields.Name, type, ...(fields.Value !== undefined ? { value: fields.Value } : {}) });
  }
  return out;
}

/** Builds the Connect gateway bound to one instance. */
export function createConnectGateway(client: ConnectClient, instanceId: string, run: CallRunner = directRunner): ConnectGateway {
  return {
    async describeContact(contactId) {
      const out = await run("DescribeContact", () =>
        client.send(new DescribeContactCommand({ InstanceId: instanceId, ContactId: contactId })),
      );
      return out.Contact ?? {};
    },
    async getContactAttributes(initialContactId) {
      const out = await run("GetContactAttributes", () =>
        client.send(new GetContactAttributesCommand({ InstanceId: instanceId, InitialContactId: initialContactId })),
      );
      return out.Attributes ?? {};
    },
    async updateContactAttributes(initialContactId, attributes) {
      await run("UpdateContactAttributes", () =>
        client.send(
          new UpdateContactAttributesCommand({ InstanceId: instanceId, InitialContactId: initialContactId, Attributes: attributes }),
        ),
      );
    },
    async updateContactText(contactId, fields) {
      await run("UpdateContact", () =>
        client.send(new UpdateContactCommand({ InstanceId: instanceId, ContactId: contactId, ...fields })),
      );
    },
    listContactReferences(contactId, types) {
      return collectPages(async (nextToken) => {
        const out = await run("ListContactReferences", () =>
          client.send(new ListContactReferencesCommand({ InstanceId: instanceId, ContactId: contactId, ReferenceTypes: types, NextToken: nextToken })),
        );
        return { items: (out.ReferenceSummaryList ?? []).flatMap(flattenReference), nextToken: out.NextToken };
      });
    },
    async updateContactReferences(contactId, references) {
      await run("UpdateContact", () =>
        client.send(new UpdateContactCommand({ InstanceId: instanceId, ContactId: contactId, References: references })),
      );
    },
    async deleteContactData(contactId, fields) {
      await run("DeleteContactData", () =>
        client.send(new DeleteContactDataCommand({ InstanceId: instanceId, ContactId: contactId, ContactFields: fields })),
      );
    },
    listAssociatedContacts(contactId) {
      return collectPages(async (nextToken) => {
        const out = await run("ListAssociatedContacts", () =>
          client.send(
            new ListAssociatedContactsCommand({ InstanceId: instanceId, ContactId: contactId, MaxResults: 100, NextToken: nextToken }),
          ),
        );
        return { items: out.ContactSummaryList ?? [], nextToken: out.NextToken };
      });
    },
    listStorageConfigs(resourceType) {
      return collectPages(async (nextToken) => {
        const out = await run("ListInstanceStorageConfigs", () =>
          client.send(
            new ListInstanceStorageConfigsCommand({ InstanceId: instanceId, ResourceType: resourceType, MaxResults: 10, NextToken: nextToken }),
          ),
        );
        return { items: out.StorageConfigs ?? [], nextToken: out.NextToken };
      });
    },
  };
}
