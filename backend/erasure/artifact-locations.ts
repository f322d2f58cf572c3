/**
 * Where Connect writes a contact's files (aws-facts.md §9): the storage-config prefixes of call recordings (and
 * their `ivr/` sub-folder), chat transcripts and screen recordings, plus Contact Lens output under `Analysis/`
 * (voice, chat, e-mail, each with `Redacted/`) both at the bucket root and under the instance prefix, and e-mail
 * messages under `<instance prefix>/EmailMessages` of every bucket in use (instances without an EMAIL_MESSAGES
 * storage configuration put them beside the recordings). Date folders
 * are UTC and follow when the file was made, so every day from initiation − 1 to disconnect + 1 is scanned.
 */
import type { InstanceStorageResourceType } from "@aws-sdk/client-connect";
import type { ConnectGateway } from "../aws/connect-gateway.ts";
import type { ScopedContact } from "./step-context.ts";
import type { StorageConfigCache, StorageLocation } from "./storage-config-cache.ts";

export interface ScanTarget {
  bucket: string;
  prefix: string;
  /** True for an exact recording location from DescribeContact: every version under it belongs to the contact. */
  exact: boolean;
}

const DAY_MS = 86_400_000;
/** A contact never spans more folders than this; a corrupt timestamp must not turn into a year of scans. */
const MAX_DAYS = 40;
const RESOURCE_TYPES: readonly InstanceStorageResourceType[] = ["CALL_RECORDINGS", "CHAT_TRANSCRIPTS", "SCREEN_RECORDINGS", "EMAIL_MESSAGES"];

/**
 * Which folders can hold a contact's files, by channel: listing only those keeps the S3 calls per contact low
 * (every listing costs a round trip and CPU; a day folder of another channel never holds this contact's files).
 * Screen recordings follow the agent's screen, whatever the channel.
 */
const BY_CHANNEL: Readonly<Record<string, { storage: readonly InstanceStorageResourceType[]; analysis: readonly string[]; emailMessages: boolean }>> = {
  VOICE: { storage: ["CALL_RECORDINGS", "SCREEN_RECORDINGS"], analysis: ["Analysis/Voice", "Analysis/Voice/Redacted"], emailMessages: false },
  CHAT: { storage: ["CHAT_TRANSCRIPTS", "SCREEN_RECORDINGS"], analysis: ["Analysis/Chat", "Analysis/Chat/Redacted"], emailMessages: false },
  EMAIL: { storage: ["EMAIL_MESSAGES", "SCREEN_RECORDINGS"], analysis: ["Analysis/Email", "Analysis/Email/Redacted"], emailMessages: true },
};
/** Channels not listed (TASK, anything new) get every folder: unknown means look everywhere. */
const ALL_FOLDERS = {
  storage: RESOURCE_TYPES,
  analysis: ["Analysis/Voice", "Analysis/Voice/Redacted", "Analysis/Chat", "Analysis/Chat/Redacted", "Analysis/Email", "Analysis/Email/Redacted"],
  emailMessages: true,
};

/** `YYYY/MM/DD` folders from the day before initiation to the day after disconnect (UTC). */
function dayFolders(contact: ScopedContact, now: Date): string[] {
  const start = Date.parse(contact.initiatedAt ?? contact.disconnectedAt ?? now.toISOString());
  const end = Date.parse(contact.disconnectedAt ?? now.toISOString());
  const first = Math.floor(start / DAY_MS) - 1;
  const last = Math.min(Math.floor(Math.max(start, end) / DAY_MS) + 1, first + MAX_DAYS);
  const folders: string[] = [];
  for (let day = first; day <= last; day++) {
    folders.push(new Date(day * DAY_MS).toISOString().slice(0, 10).replaceAll("-", "/"));
  }
  return folders;
}

function join(...parts: string[]): string {
  return parts.filter((p) => p.length > 0).join("/");
}

/** The instance prefix (`connect/<alias>`) above a configured folder such as `connect/<alias>/CallRecordings`. */
function parentOf(prefix: string): string {
  const cut = prefix.lastIndexOf("/");
  return cut < 0 ? "" : prefix.slice(0, cut);
}

/** Every (bucket, prefix) to list for the contacts in scope; duplicates removed. */
export async function scanTargets(
  connect: ConnectGateway,
  cache: StorageConfigCache,
  instanceId: string,
  contacts: readonly ScopedContact[],
  now: Date,
): Promise<ScanTarget[]> {
  const locations = new Map<InstanceStorageResourceType, StorageLocation[]>();
  for (const type of RESOURCE_TYPES) locations.set(type, await cache.get(connect, instanceId, type));
  const analysisRoots = new Map<string, Set<string>>();
  for (const list of locations.values()) {
    for (const loc of list) {
      const roots = analysisRoots.get(loc.bucket) ?? new Set<string>();
      roots.add("");
      roots.add(parentOf(loc.prefix));
      analysisRoots.set(loc.bucket, roots);
    }
  }
  const targets = new Map<string, ScanTarget>();
  const add = (bucket: string, prefix: string, exact: boolean) => {
    const key = `${bucket}\u0000${prefix}`;
    if (!targets.has(key)) targets.set(key, { bucket, prefix, exact });
  };
  for (const contact of contacts) {
    const folders = BY_CHANNEL[contact.channel] ?? ALL_FOLDERS;
    for (const day of dayFolders(contact, now)) {
      for (const type of folders.storage) {
        for (const loc of locations.get(type) ?? []) {
          add(loc.bucket, `${join(loc.prefix, day)}/`, false);
          if (type === "CALL_RECORDINGS") add(loc.bucket, `${join(loc.prefix, "ivr", day)}/`, false);
        }
      }
      for (const [bucket, roots] of analysisRoots) {
        for (const root of roots) {
          for (const folder of folders.analysis) add(bucket, `${join(root, folder, day)}/`, false);
          if (folders.emailMessages && root !== "") add(bucket, `${join(root, "EmailMessages", day)}/`, false);
        }
      }
    }
  }
  for (const contact of contacts) {
    for (const location of contact.recordingLocations) {
      const slash = location.indexOf("/");
      if (slash > 0) add(location.slice(0, slash), location.slice(slash + 1), true);
    }
  }
  return [...targets.values()];
}
