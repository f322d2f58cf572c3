/**
 * Dry run of an erasure: resolves the scope and counts what the steps would touch, changing nothing. Returns
 * counts and booleans only, never values.
 */
import type { AwsClients } from "../aws/clients.ts";
import type { CallRunner } from "../aws/call-runner.ts";
import { createConnectGateway } from "../aws/connect-gateway.ts";
import { createProfilesGateway } from "../aws/profiles-gateway.ts";
import { createS3Gateway } from "../aws/s3-gateway.ts";
import type { Config } from "../config.ts";
import type { PreviewView } from "../contract/schemas.ts";
import { scanTargets } from "./artifact-locations.ts";
import { resolveScope } from "./scope.ts";
import { unlessNotFound } from "./step-context.ts";
import type { StorageConfigCache } from "./storage-config-cache.ts";
import { findContactVersions } from "./steps/delete-recordings-step.ts";
import { linkedProfiles } from "./steps/delete-profile-step.ts";

export interface PreviewDeps {
  config: Config;
  clients: AwsClients;
  run: CallRunner;
  storageConfigs: StorageConfigCache;
  now: () => Date;
}

/** Counts what erasing `contactId` (and its chain; with `customerHistory`, past contacts) would touch. */
export async function previewErasure(deps: PreviewDeps, contactId: string, customerHistory: boolean): Promise<PreviewView> {
  const instanceId = deps.config.connectInstanceId;
  const connect = createConnectGateway(deps.clients.connect, instanceId, deps.run);
  const profiles = deps.config.profilesDomain ? createProfilesGateway(deps.clients.profiles, deps.config.profilesDomain, deps.run) : undefined;
  const s3 = createS3Gateway(deps.clients.s3, deps.run);
  const { contacts } = await resolveScope(connect, profiles, contactId, customerHistory);
  const keep = new Set(deps.config.attributeKeepList);
  let attributeKeys = 0;
  for (const initialContactId of new Set(contacts.map((c) => c.initialContactId))) {
    const attributes = (await unlessNotFound(() => connect.getContactAttributes(initialContactId))) ?? {};
    attributeKeys += Object.entries(attributes).filter(([k, v]) => !keep.has(k) && v !== "").length;
  }
  const targets = await scanTargets(connect, deps.storageConfigs, instanceId, contacts, deps.now());
  const versions = await findContactVersions(s3, targets, contacts.map((c) => c.id));
  return {
    contactId,
    contactEnded: contacts.every((c) => c.disconnectedAt !== undefined),
    contacts: contacts.length,
    attributeKeys,
    hasCustomerEndpoint: contacts.some((c) => c.hasCustomerEndpoint),
    s3ObjectVersions: versions.length,
    profiles: profiles ? (await linkedProfiles(profiles, contacts.map((c) => c.id))).length : 0,
  };
}
