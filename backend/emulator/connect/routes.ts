/** Amazon Connect restJson1 bindings (paths and camelCase query names as in the 2017-08-08 model). */
import { jsonHandler as as, restJsonAdapter, type JsonRoute, type ServiceAdapter } from "../router.ts";
import * as h from "./handlers.ts";
import { invalidParameter } from "./errors.ts";

const paging = { maxResults: ["MaxResults", "int"], nextToken: ["NextToken", "string"] } as const satisfies JsonRoute["query"];

const ROUTES: JsonRoute[] = [
  { method: "GET", path: "/contacts/{InstanceId}/{ContactId}", op: "DescribeContact", handler: as(h.describeContact) },
  { method: "POST", path: "/contacts/{InstanceId}/{ContactId}", op: "UpdateContact", mutating: true, handler: as(h.updateContact) },
  { method: "GET", path: "/contact/attributes/{InstanceId}/{InitialContactId}", op: "GetContactAttributes", handler: as(h.getContactAttributes) },
  { method: "POST", path: "/contact/attributes", op: "UpdateContactAttributes", mutating: true, handler: as(h.updateContactAttributes) },
  { method: "POST", path: "/contact/delete/{InstanceId}/{ContactId}", op: "DeleteContactData", mutating: true, handler: as(h.deleteContactData) },
  {
    method: "GET",
    path: "/contact/references/{InstanceId}/{ContactId}",
    op: "ListContactReferences",
    query: { referenceTypes: ["ReferenceTypes", "list"], nextToken: ["NextToken", "string"] },
    handler: as(h.listContactReferences),
  },
  {
    method: "GET",
    path: "/contact/associated/{InstanceId}",
    op: "ListAssociatedContacts",
    query: { contactId: ["ContactId", "string"], ...paging },
    handler: as(h.listAssociatedContacts),
  },
  {
    method: "GET",
    path: "/instance/{InstanceId}/storage-configs",
    op: "ListInstanceStorageConfigs",
    query: { resourceType: ["ResourceType", "string"], ...paging },
    handler: as(h.listInstanceStorageConfigs),
  },
  { method: "POST", path: "/search-users", op: "SearchUsers", handler: as(h.searchUsers) },
  { method: "GET", path: "/users/{InstanceId}/{UserId}", op: "DescribeUser", handler: as(h.describeUser) },
  { method: "GET", path: "/security-profiles-summary/{InstanceId}", op: "ListSecurityProfiles", query: paging, handler: as(h.listSecurityProfiles) },
  { method: "GET", path: "/security-profiles/{InstanceId}/{SecurityProfileId}", op: "DescribeSecurityProfile", handler: as(h.describeSecurityProfile) },
  {
    method: "GET",
    path: "/security-profiles-permissions/{InstanceId}/{SecurityProfileId}",
    op: "ListSecurityProfilePermissions",
    query: paging,
    handler: as(h.listSecurityProfilePermissions),
  },
];

/** The Connect adapter the server dispatches `connect`-scoped requests to. */
export const connectAdapter: ServiceAdapter = restJsonAdapter(ROUTES, invalidParameter);
