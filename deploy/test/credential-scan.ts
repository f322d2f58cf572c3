/**
 * Scans the repository (tracked and untracked, not ignored) and extra files such as the synthesised template for
 * AWS access key ids and embedded secrets, for the S6 "repo and build scan".
 */
import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";

const KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g;
/** AWS's own documentation key id, used on purpose by tests that check static keys are refused. */
const DOCUMENTATION_KEY = /EXAMPLE$/;
const SECRETS = [
  /-----BEGIN (?:RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----/g,
  /aws_secret_access_key\s*[=:]\s*["']?[A-Za-z0-9/+]{40}/gi,
  /"SecretString"\s*:\s*"/g,
];

export interface ScanResult {
  files: number;
  keyIds: number;
  secrets: number;
}

/** Counts key ids and secrets in the repository's files plus `extraFiles`. */
export function scanForCredentials(extraFiles: readonly string[]): ScanResult {
  const root = resolve(import.meta.dirname, "..", "..");
  const listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: root, encoding: "utf8" })
    .split("\0")
    .filter((f) => f.length > 0)
    .map((f) => resolve(root, f));
  const result: ScanResult = { files: 0, keyIds: 0, secrets: 0 };
  for (const file of [...listed, ...extraFiles]) {
    let text: string;
    try {
      if (statSync(file).size > 5_000_000) continue;
      text = readFileSync(file, "utf8");
    } catch {
      continue; // listed but deleted in the working tree
    }
    result.files += 1;
    result.keyIds += [...text.matchAll(KEY_ID)].filter((m) => !DOCUMENTATION_KEY.test(m[0])).length;
    for (const pattern of SECRETS) result.secrets += [...text.matchAll(pattern)].length;
  }
  return result;
}
