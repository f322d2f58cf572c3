/**
 * Which IAM actions the backend's code actually needs: every `new XxxCommand` of the AWS SDK under `backend/`
 * (the emulator and demo wiring excluded), mapped to its IAM action. A command missing from the map fails the
 * test, so a new AWS call cannot ship without a decision about its permission.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

/** SDK command → IAM action(s) (Service Authorization Reference names). */
export const COMMAND_ACTIONS: Record<string, string[]> = {
  DescribeContact: ["connect:DescribeContact"],
  GetContactAttributes: ["connect:GetContactAttributes"],
  UpdateContactAttributes: ["connect:UpdateContactAttributes"],
  UpdateContact: ["connect:UpdateContact"],
  DeleteContactData: ["connect:DeleteContactData"],
  ListAssociatedContacts: ["connect:ListAssociatedContacts"],
  ListContactReferences: ["connect:ListContactReferences"],
  ListInstanceStorageConfigs: ["connect:ListInstanceStorageConfigs"],
  SearchUsers: ["connect:SearchUsers"],
  DescribeUser: ["connect:DescribeUser"],
  DescribeSecurityProfile: ["connect:DescribeSecurityProfile"],
  ListSecurityProfilePermissions: ["connect:ListSecurityProfilePermissions"],
  SearchProfiles: ["profile:SearchProfiles"],
  ListProfileObjects: ["profile:ListProfileObjects"],
  DeleteProfile: ["profile:DeleteProfile"],
  DeleteProfileObject: ["profile:DeleteProfileObject"],
  DeleteProfileKey: ["profile:DeleteProfileKey"],
  GetProfileObjectType: ["profile:GetProfileObjectType"],
  ListObjectVersions: ["s3:ListBucketVersions"],
  ListObjectsV2: ["s3:ListBucket"],
  GetBucketVersioning: ["s3:GetBucketVersioning"],
  GetObjectLockConfiguration: ["s3:GetBucketObjectLockConfiguration"],
  GetBucketReplication: ["s3:GetReplicationConfiguration"],
  GetObjectRetention: ["s3:GetObjectRetention"],
  GetObjectLegalHold: ["s3:GetObjectLegalHold"],
  DeleteObject: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
  DeleteObjects: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
};

const EXCLUDED_DIRS = new Set(["emulator", "demo"]);

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return EXCLUDED_DIRS.has(name) ? [] : tsFiles(path);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [path] : [];
  });
}

/** SDK command names used by the backend (without the `Command` suffix), sorted. */
export function backendCommands(): string[] {
  const root = resolve(import.meta.dirname, "..", "..", "backend");
  const names = new Set<string>();
  for (const file of tsFiles(root)) {
    for (const m of readFileSync(file, "utf8").matchAll(/\bnew ([A-Z][A-Za-z0-9]+)Command\(/g)) names.add(m[1]!);
  }
  return [...names].sort();
}
