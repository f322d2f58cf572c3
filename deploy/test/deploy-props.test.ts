/** Context parsing: the values a team types in cdk.context.json, checked before CloudFormation sees them. */
import { describe, expect, it } from "vitest";
import { propsFromContext } from "../lib/deploy-props.ts";
import { TEST_CONTEXT } from "./fixtures.ts";

const parse = (overrides: Record<string, unknown> = {}) => {
  const context: Record<string, unknown> = { ...TEST_CONTEXT, ...overrides };
  return propsFromContext((key) => context[key]);
};

describe("propsFromContext", () => {
  it("takes account, Region and instance id from the instance ARN and applies defaults", () => {
    const props = parse();
    expect(props).toMatchObject({
      account: "123456789012",
      region: "eu-west-2",
      connectInstanceId: "0f6d8a4e-3c1b-4b7a-9d2e-5a6b7c8d9e0f",
      recordingBuckets: ["amazon-connect-acme-recordings", "amazon-connect-acme-analysis"],
      frameAncestors: ["https://acme-care.my.connect.aws", "https://acme-care.awsapps.com"],
      roleClaim: "cognito:groups",
      supervisorGroups: ["erasure-supervisors"],
      agentGroups: ["erasure-agents"],
      desiredCount: 2,
      logRetentionDays: 90,
      databaseMultiAz: false,
    });
  });

  it("accepts lists as JSON arrays and deduplicates buckets", () => {
    const props = parse({ recordingBuckets: ["b-one", "b-one", "b-two"], frameAncestors: ["https://x.my.connect.aws"] });
    expect(props.recordingBuckets).toEqual(["b-one", "b-two"]);
    expect(props.frameAncestors).toEqual(["https://x.my.connect.aws"]);
  });

  it("accepts account, Region and instance id given separately", () => {
    const props = parse({ connectInstanceArn: "", account: "210987654321", region: "us-east-1", connectInstanceId: "0f6d8a4e-3c1b-4b7a-9d2e-5a6b7c8d9e0f" });
    expect(props).toMatchObject({ account: "210987654321", region: "us-east-1" });
  });

  it.each([
    [{ connectInstanceArn: "arn:aws:connect:eu-west-2:123456789012:instance/not-a-uuid" }, /not an instance ARN/],
    [{ account: "999999999999" }, /differs from the instance ARN/],
    [{ connectInstanceAlias: "has spaces" }, /not a Connect alias/],
    [{ recordingBuckets: "Bad_Bucket" }, /not an S3 bucket name/],
    [{ recordingBuckets: "" }, /at least one bucket/],
    [{ profilesDomain: "bad domain!" }, /not a domain name/],
    [{ oidcIssuer: "http://idp.example" }, /https URL/],
    [{ frameAncestors: "https://ok.my.connect.aws/path" }, /https origin/],
    [{ frameAncestors: "http://acme.my.connect.aws" }, /https origin/],
    [{ idpOrigins: "idp.example" }, /IdP origin/],
    [{ appDomainName: "erasure.example" }, /go together/],
    [{ desiredCount: "0" }, /desiredCount/],
    [{ logRetentionDays: "100" }, /logRetentionDays/],
  ])("refuses %j", (overrides, message) => {
    expect(() => parse(overrides)).toThrow(message);
  });
});
