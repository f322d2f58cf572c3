/** Writes `deploy/iam-policy.json` from the policy generator; `test/iam-policy-file.test.ts` fails if it is stale. */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { renderPolicyJson } from "../lib/erasure-policy.ts";

const target = resolve(import.meta.dirname, "..", "iam-policy.json");
writeFileSync(target, renderPolicyJson());
process.stdout.write(`wrote ${target}\n`);
