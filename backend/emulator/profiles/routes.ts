/** Customer Profiles restJson1 bindings (paths and kebab-case query names as in the 2020-08-15 model). */
import { jsonHandler as as, restJsonAdapter, type JsonRoute, type ServiceAdapter } from "../router.ts";
import * as h from "./handlers.ts";
import { badRequest } from "./errors.ts";

const paging = { "max-results": ["MaxResults", "int"], "next-token": ["NextToken", "string"] } as const satisfies JsonRoute["query"];

const ROUTES: JsonRoute[] = [
  { method: "POST", path: "/domains/{DomainName}/profiles/search", op: "SearchProfiles", query: paging, handler: as(h.searchProfiles) },
  { method: "POST", path: "/domains/{DomainName}/profiles/delete", op: "DeleteProfile", mutating: true, handler: as(h.deleteProfile) },
  { method: "POST", path: "/domains/{DomainName}/profiles/objects", op: "ListProfileObjects", query: paging, handler: as(h.listProfileObjects) },
  { method: "POST", path: "/domains/{DomainName}/profiles/objects/delete", op: "DeleteProfileObject", mutating: true, handler: as(h.deleteProfileObject) },
  { method: "GET", path: "/domains/{DomainName}/object-types/{ObjectTypeName}", op: "GetProfileObjectType", handler: as(h.getProfileObjectType) },
  { method: "POST", path: "/domains/{DomainName}/profiles/keys", op: "AddProfileKey", mutating: true, handler: as(h.addProfileKey) },
  { method: "POST", path: "/domains/{DomainName}/profiles/keys/delete", op: "DeleteProfileKey", mutating: true, handler: as(h.deleteProfileKey) },
];

/** The Customer Profiles adapter the server dispatches `profile`-scoped requests to. */
export const profilesAdapter: ServiceAdapter = restJsonAdapter(ROUTES, badRequest);
