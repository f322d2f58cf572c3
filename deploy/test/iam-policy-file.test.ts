/** `deploy/iam-policy.json` is what the generator renders, byte for byte: run `npm run policy` after a change. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { buildErasurePolicyDocument, POLICY_PLACEHOLDERS, renderPolicyJson } from "../lib/erasure-policy.ts";

const file = resolve(import.meta.dirname, "..", "iam-policy.json");

describe("deploy/iam-policy.json", () => {
  it("matches the generator exactly", () => {
    expect(readFileSync(file, "utf8")).toBe(renderPolicyJson());
  });

  it("uses placeholders for every deployment-specific value", () => {
    const text = readFileSync(file, "utf8");
    for (const placeholder of ["${Region}", "${Account}", "${InstanceId}", "${InstanceAlias}", "${RecordingBucket}", "${ProfilesDomain}"]) {
      expect(text).toContain(placeholder);
    }
    expect(text).not.toMatch(/\d{12}/);
    expect(JSON.parse(text)).toEqual(buildErasurePolicyDocument(POLICY_PLACEHOLDERS));
  });

  it("is reproduced in deploy/README.md for teams that deploy by other means", () => {
    const readme = readFileSync(resolve(import.meta.dirname, "..", "README.md"), "utf8");
    expect(readme).toContain(renderPolicyJson().trim());
  });
});
