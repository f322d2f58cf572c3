/**
 * `cdk synth` offline, then assertions on the template: the backend role holds exactly the §5 policy, scoped to the
 * instance, the profiles domain and the recording buckets' prefixes; the retention denies are there; no wildcard
 * action anywhere; no static keys; the CloudFront CSP names the instance's origins; the data tier is private.
 */
import { readFileSync } from "node:fs";
import { Match } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { buildAppCsp } from "../lib/content-security-policy.ts";
import { buildErasurePolicyDocument, RETENTION_DENY_ACTIONS } from "../lib/erasure-policy.ts";
import { TEST_CONTEXT } from "./fixtures.ts";
import { asArray, synthesise, type Synthesised } from "./synth.ts";
import { backendCommands, COMMAND_ACTIONS } from "./backend-calls.ts";
import { scanForCredentials } from "./credential-scan.ts";
import { parseConfig } from "../../backend/config.ts";

interface Statement {
  Sid: string;
  Effect: "Allow" | "Deny";
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string[]>>;
}

/** What the backend calls, written out by hand from reliability.md §5 (the specification, not the generator). */
const EXPECTED_ALLOW_ACTIONS = [
  "connect:DescribeContact",
  "connect:ListAssociatedContacts",
  "connect:GetContactAttributes",
  "connect:UpdateContactAttributes",
  "connect:DeleteContactData",
  "connect:UpdateContact",
  "connect:ListContactReferences",
  "connect:ListInstanceStorageConfigs",
  "connect:SearchUsers",
  "connect:DescribeUser",
  "connect:DescribeSecurityProfile",
  "connect:ListSecurityProfilePermissions",
  "s3:ListBucket",
  "s3:ListBucketVersions",
  "s3:GetBucketVersioning",
  "s3:GetBucketObjectLockConfiguration",
  // Not in the §5 table: backend/aws/s3-gateway.ts isReplicated() calls GetBucketReplication (replica residue).
  "s3:GetReplicationConfiguration",
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
  "s3:GetObjectRetention",
  "s3:GetObjectLegalHold",
  "profile:SearchProfiles",
  "profile:DeleteProfile",
  "profile:ListProfileObjects",
  "profile:DeleteProfileObject",
  "profile:DeleteProfileKey",
  "profile:GetProfileObjectType",
].sort();
const EXPECTED_DENY_ACTIONS = [
  "s3:BypassGovernanceRetention",
  "s3:PutBucketVersioning",
  "s3:PutLifecycleConfiguration",
  "s3:PutObjectLegalHold",
  "s3:PutBucketPolicy",
].sort();

const INSTANCE_ARN = TEST_CONTEXT.connectInstanceArn;
const DOMAIN_ARN = "arn:aws:profile:eu-west-2:123456789012:domains/amazon-connect-acme-care";
const BUCKETS = TEST_CONTEXT.recordingBuckets.split(",");

let synth: Synthesised;
let taskStatements: Statement[];
let generated: Statement[];

function normalise(statement: Record<string, unknown>): Statement {
  return {
    Sid: String(statement.Sid ?? ""),
    Effect: statement.Effect as "Allow" | "Deny",
    Action: asArray(statement.Action as string | string[]).slice().sort(),
    Resource: asArray(statement.Resource as string | string[]).slice().sort(),
    ...(statement.Condition ? { Condition: statement.Condition as Statement["Condition"] } : {}),
  };
}

/** Every IAM policy statement in the template, with the logical id of the resource that holds it. */
function allStatements(): { owner: string; statement: Record<string, unknown> }[] {
  const out: { owner: string; statement: Record<string, unknown> }[] = [];
  for (const [id, resource] of Object.entries(synth.json.Resources)) {
    const p = resource.Properties ?? {};
    const docs: unknown[] = [];
    if (resource.Type === "AWS::IAM::Role") docs.push(...asArray(p.Policies as { PolicyDocument: unknown }[]).map((x) => x.PolicyDocument));
    if (["AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::S3::BucketPolicy"].includes(resource.Type)) docs.push(p.PolicyDocument);
    for (const doc of docs) {
      for (const statement of asArray((doc as { Statement: Record<string, unknown>[] }).Statement)) out.push({ owner: id, statement });
    }
  }
  return out;
}

/** Statements that grant or restrict by action; a Deny of everything over plain HTTP (enforceSSL) is left out. */
function grantingStatements(): ReturnType<typeof allStatements> {
  return allStatements().filter(({ statement }) => {
    const condition = statement.Condition as { Bool?: Record<string, string> } | undefined;
    return !(statement.Effect === "Deny" && condition?.Bool?.["aws:SecureTransport"] === "false");
  });
}

beforeAll(() => {
  synth = synthesise();
  const role = synth.template.findResources("AWS::IAM::Role", {
    Properties: { Description: Match.stringLikeRegexp("least-privilege erasure policy") },
  });
  const [roleResource] = Object.values(role);
  const policies = asArray((roleResource?.Properties as { Policies: { PolicyName: string; PolicyDocument: { Statement: Record<string, unknown>[] } }[] }).Policies);
  expect(policies.map((p) => p.PolicyName)).toEqual(["ConnectErasure"]);
  taskStatements = policies[0]!.PolicyDocument.Statement.map(normalise);
});

describe("cdk synth", () => {
  it("writes a template offline with no context lookups left", () => {
    expect(synth.missingContext).toBe(0);
    const written = JSON.parse(readFileSync(synth.templateFile, "utf8")) as { Resources: object };
    expect(Object.keys(written.Resources).length).toBe(Object.keys(synth.json.Resources).length);
  });
});

describe("backend task role", () => {
  it("holds exactly the generated policy (one source, no drift)", () => {
    generated = buildErasurePolicyDocument({
      region: "eu-west-2",
      account: "123456789012",
      instanceId: synth.props.connectInstanceId,
      instanceAlias: TEST_CONTEXT.connectInstanceAlias,
      recordingBuckets: BUCKETS,
      profilesDomain: TEST_CONTEXT.profilesDomain,
    }).Statement.map((s) => normalise(s as unknown as Record<string, unknown>));
    expect(taskStatements).toEqual(generated);
  });

  it("allows every action the backend needs and nothing more", () => {
    const allowed = taskStatements.filter((s) => s.Effect === "Allow").flatMap((s) => s.Action);
    expect(new Set(allowed).size).toBe(allowed.length);
    expect([...allowed].sort()).toEqual(EXPECTED_ALLOW_ACTIONS);
  });

  it("grants every action the backend's code calls (each SDK command under backend/ mapped to IAM)", () => {
    const commands = backendCommands();
    expect(commands.length).toBeGreaterThan(10);
    expect(commands.filter((c) => !COMMAND_ACTIONS[c]), "map new SDK commands in test/backend-calls.ts").toEqual([]);
    const needed = [...new Set(commands.flatMap((c) => COMMAND_ACTIONS[c] ?? []))];
    const allowed = taskStatements.filter((s) => s.Effect === "Allow").flatMap((s) => s.Action);
    expect(needed.filter((a) => !allowed.includes(a))).toEqual([]);
  });

  it("denies every retention-weakening action on everything", () => {
    const denies = taskStatements.filter((s) => s.Effect === "Deny");
    expect(denies).toHaveLength(1);
    expect(denies[0]!.Action).toEqual(EXPECTED_DENY_ACTIONS);
    expect([...RETENTION_DENY_ACTIONS].sort()).toEqual(EXPECTED_DENY_ACTIONS);
    expect(denies[0]!.Resource).toEqual(["*"]);
    expect(denies[0]!.Condition).toBeUndefined();
  });

  it("scopes Connect to the instance, Profiles to the domain and S3 to the buckets' Connect prefixes", () => {
    for (const s of taskStatements.filter((x) => x.Effect === "Allow")) {
      const service = s.Action[0]!.split(":")[0];
      expect(s.Action.every((a) => a.startsWith(`${service}:`))).toBe(true);
      for (const resource of s.Resource) {
        expect(resource).not.toBe("*");
        if (service === "connect") expect(resource.startsWith(INSTANCE_ARN)).toBe(true);
        if (service === "profile") expect([DOMAIN_ARN, `${DOMAIN_ARN}/object-types/*`]).toContain(resource);
        if (service === "s3") {
          const ok = BUCKETS.some((b) =>
            [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/connect/acme-care/*`, `arn:aws:s3:::${b}/Analysis/*`].includes(resource),
          );
          expect(ok, resource).toBe(true);
        }
      }
    }
    const contactWrites = taskStatements.find((s) => s.Action.includes("connect:DeleteContactData"))!;
    expect(contactWrites.Resource).toEqual([`${INSTANCE_ARN}/contact/*`]);
    const deletes = taskStatements.find((s) => s.Action.includes("s3:DeleteObjectVersion"))!;
    expect(deletes.Resource).toHaveLength(BUCKETS.length * 2);
    const listing = taskStatements.find((s) => s.Action.includes("s3:ListBucketVersions"))!;
    expect(listing.Condition).toEqual({ StringLike: { "s3:prefix": ["connect/acme-care/*", "Analysis/*"] } });
  });

  it("is assumable only by ECS tasks of this account", () => {
    synth.template.hasResourceProperties("AWS::IAM::Role", {
      Description: Match.stringLikeRegexp("least-privilege"),
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: "sts:AssumeRole",
            Effect: "Allow",
            Principal: { Service: "ecs-tasks.amazonaws.com" },
            Condition: { StringEquals: { "aws:SourceAccount": "123456789012" }, ArnLike: Match.anyValue() },
          },
        ],
      },
    });
    synth.template.hasResourceProperties("AWS::ECS::TaskDefinition", {
      TaskRoleArn: { "Fn::GetAtt": [Match.stringLikeRegexp("^BackendTaskRole"), "Arn"] },
    });
  });

  it("is the only holder of Connect, Profiles or S3 object rights in the template", () => {
    const taskRoleId = Object.keys(synth.template.findResources("AWS::IAM::Role", { Properties: { Description: Match.stringLikeRegexp("least-privilege") } }))[0];
    for (const { owner, statement } of allStatements()) {
      if (owner === taskRoleId || statement.Effect !== "Allow") continue;
      for (const action of asArray(statement.Action as string | string[])) {
        expect(/^(connect|profile):/.test(action), `${owner} ${action}`).toBe(false);
        expect(/^s3:(Delete|Put|Bypass)/.test(action), `${owner} ${action}`).toBe(false);
      }
    }
  });
});

describe("whole template", () => {
  it("has no * action and no service:* action in any policy (bar the deny of plain-HTTP access)", () => {
    const bad = grantingStatements()
      .flatMap(({ statement }) => asArray(statement.Action as string | string[]))
      .filter((a) => a === "*" || a.endsWith(":*"));
    expect(bad).toEqual([]);
    const insecureTransportDenies = allStatements().filter(({ statement }) => !grantingStatements().some((g) => g.statement === statement));
    expect(insecureTransportDenies.length).toBe(1);
  });

  it("has no IAM users, access keys or credentials in environment variables", () => {
    expect(Object.keys(synth.template.findResources("AWS::IAM::User"))).toEqual([]);
    expect(Object.keys(synth.template.findResources("AWS::IAM::AccessKey"))).toEqual([]);
    const [task] = Object.values(synth.template.findResources("AWS::ECS::TaskDefinition"));
    const containers = (task!.Properties as { ContainerDefinitions: { Environment: { Name: string }[]; Secrets: { Name: string; ValueFrom: unknown }[] }[] }).ContainerDefinitions;
    const names = containers.flatMap((c) => c.Environment.map((e) => e.Name));
    expect(names.filter((n) => /ACCESS_KEY|SECRET|PASSWORD|HMAC/.test(n))).toEqual([]);
    expect(containers.flatMap((c) => c.Secrets.map((s) => s.Name)).sort()).toEqual(["AUDIT_HMAC_KEY", "PGPASSWORD"]);
    expect(names).toEqual(expect.arrayContaining(["ERASURE_MODE", "CONNECT_INSTANCE_ID", "OIDC_ISSUER", "FRAME_ANCESTORS", "DATABASE_URL"]));
  });

  it("runs the backend in production mode against the configured instance", () => {
    synth.template.hasResourceProperties("AWS::ECS::TaskDefinition", {
      ContainerDefinitions: [
        Match.objectLike({
          Command: ["serve"],
          StopTimeout: 60,
          Environment: Match.arrayWith([
            { Name: "ERASURE_MODE", Value: "production" },
            { Name: "CONNECT_INSTANCE_ID", Value: synth.props.connectInstanceId },
            { Name: "CUSTOMER_PROFILES_DOMAIN", Value: TEST_CONTEXT.profilesDomain },
            { Name: "FRAME_ANCESTORS", Value: "https://acme-care.my.connect.aws,https://acme-care.awsapps.com" },
            { Name: "PUBLIC_URL", Value: { "Fn::Join": ["", ["https://", { "Fn::GetAtt": [Match.stringLikeRegexp("^AppDistribution"), "DomainName"] }]] } },
          ]),
        }),
      ],
    });
  });
});

describe("static hosting", () => {
  it("sends the CSP with frame-ancestors = the instance's origins on the app and fills it in on the API", () => {
    const expected = buildAppCsp({
      frameAncestors: TEST_CONTEXT.frameAncestors.split(" "),
      oidcIssuer: TEST_CONTEXT.oidcIssuer,
      idpOrigins: [TEST_CONTEXT.idpOrigins],
    });
    expect(expected).toContain("frame-ancestors https://acme-care.my.connect.aws https://acme-care.awsapps.com");
    expect(expected).toContain("object-src 'none'");
    expect(expected).toContain("base-uri 'none'");
    for (const override of [true, false]) {
      synth.template.hasResourceProperties("AWS::CloudFront::ResponseHeadersPolicy", {
        ResponseHeadersPolicyConfig: {
          SecurityHeadersConfig: {
            ContentSecurityPolicy: { ContentSecurityPolicy: expected, Override: override },
            StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 31536000, Override: override }),
            ContentTypeOptions: { Override: override },
            FrameOptions: Match.absent(),
          },
        },
      });
    }
    synth.template.resourceCountIs("AWS::CloudFront::ResponseHeadersPolicy", 2);
    const [distribution] = Object.values(synth.template.findResources("AWS::CloudFront::Distribution"));
    const config = (distribution!.Properties as { DistributionConfig: { DefaultCacheBehavior: { ResponseHeadersPolicyId: unknown }; CacheBehaviors: { PathPattern: string; ResponseHeadersPolicyId: unknown }[] } }).DistributionConfig;
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: expect.stringMatching(/^AppHeaders/) });
    expect(config.CacheBehaviors.map((b) => b.PathPattern)).toEqual(["/api/*"]);
    // The API keeps the backend's own headers; CloudFront adds only missing ones.
    expect(config.CacheBehaviors[0]!.ResponseHeadersPolicyId).toEqual({ Ref: expect.stringMatching(/^ApiHeaders/) });
  });

  it("serves the app on its own name when one is given, and tells the backend", () => {
    const custom = synthesise({
      appDomainName: "erasure.acme.example",
      appCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/66666666-7777-8888-9999-000000000000",
    });
    custom.template.hasResourceProperties("AWS::CloudFront::Distribution", {
      DistributionConfig: Match.objectLike({ Aliases: ["erasure.acme.example"], ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: "TLSv1.2_2021" }) }),
    });
    custom.template.hasResourceProperties("AWS::ECS::TaskDefinition", {
      ContainerDefinitions: [Match.objectLike({ Environment: Match.arrayWith([{ Name: "PUBLIC_URL", Value: "https://erasure.acme.example" }]) })],
    });
    custom.template.hasOutput("AppAccessUrl", { Value: "https://erasure.acme.example" });
    expect(() => synthesise({ appDomainName: "erasure.acme.example", appCertificateArn: TEST_CONTEXT.apiCertificateArn })).toThrow(/us-east-1/);
  });

  it("refuses a wildcard frame ancestor", () => {
    expect(() => synthesise({ frameAncestors: "*" })).toThrow(/frame ancestor/);
    expect(() => buildAppCsp({ frameAncestors: ["*"], oidcIssuer: "https://idp.example" })).toThrow();
  });

  it("keeps the app bucket private behind origin access control", () => {
    synth.template.hasResourceProperties("AWS::S3::Bucket", {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    synth.template.resourceCountIs("AWS::CloudFront::OriginAccessControl", 1);
  });
});

describe("backend service, database, secrets, logs", () => {
  it("serves HTTPS only (HTTP redirects) with the given certificate, and hides /metrics from the internet", () => {
    synth.template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", {
      Protocol: "HTTPS",
      Port: 443,
      Certificates: [{ CertificateArn: TEST_CONTEXT.apiCertificateArn }],
    });
    synth.template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", {
      Protocol: "HTTP",
      DefaultActions: [Match.objectLike({ Type: "redirect", RedirectConfig: Match.objectLike({ Protocol: "HTTPS" }) })],
    });
    synth.template.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", { HealthCheckPath: "/readyz" });
    synth.template.hasResourceProperties("AWS::ElasticLoadBalancingV2::ListenerRule", {
      Priority: 1,
      Conditions: [{ Field: "path-pattern", PathPatternConfig: { Values: ["/metrics", "/metrics/*"] } }],
      Actions: [Match.objectLike({ Type: "fixed-response", FixedResponseConfig: Match.objectLike({ StatusCode: "404" }) })],
    });
    synth.template.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", {
      LoadBalancerAttributes: Match.arrayWith([{ Key: "routing.http.drop_invalid_header_fields.enabled", Value: "true" }]),
    });
  });

  it("keeps PostgreSQL private, encrypted and protected", () => {
    synth.template.hasResourceProperties("AWS::RDS::DBInstance", {
      Engine: "postgres",
      PubliclyAccessible: false,
      StorageEncrypted: true,
      DeletionProtection: true,
      EnableCloudwatchLogsExports: ["postgresql"],
    });
    synth.template.resourceCountIs("AWS::SecretsManager::Secret", 2);
  });

  it("sets a retention on every log group", () => {
    const groups = Object.values(synth.template.findResources("AWS::Logs::LogGroup"));
    expect(groups.length).toBe(2);
    for (const g of groups) expect((g.Properties as { RetentionInDays: number }).RetentionInDays).toBe(90);
  });
});

describe("deployment context", () => {
  it("reports every missing value at once", () => {
    expect(() => synthesise({ connectInstanceArn: "", connectInstanceAlias: "", oidcIssuer: "" })).toThrow(
      /connectInstanceId[\s\S]*connectInstanceAlias[\s\S]*oidcIssuer/,
    );
  });

  it("refuses a region that differs from the instance ARN", () => {
    expect(() => synthesise({ region: "us-east-1" })).toThrow(/differs from the instance ARN/);
  });

  it("leaves the profiles statement out when the instance has no domain", () => {
    const statements = buildErasurePolicyDocument({
      region: "eu-west-2",
      account: "123456789012",
      instanceId: "i",
      instanceAlias: "a",
      recordingBuckets: ["b"],
    }).Statement;
    expect(statements.flatMap((s) => s.Action).some((a) => a.startsWith("profile:"))).toBe(false);
  });
});

describe("S6 least privilege as code", () => {
  it("prints the S6 figures", () => {
    const sameStatement = (a: Statement, b: Statement | undefined) => JSON.stringify(a) === JSON.stringify(b);
    const allowed = taskStatements.filter((s) => s.Effect === "Allow").flatMap((s) => s.Action);
    const policyDiff =
      taskStatements.filter((s, i) => !sameStatement(s, generated[i])).length +
      Math.abs(taskStatements.length - generated.length) +
      allowed.filter((a) => !EXPECTED_ALLOW_ACTIONS.includes(a)).length +
      EXPECTED_ALLOW_ACTIONS.filter((a) => !allowed.includes(a)).length;
    const templateActions = grantingStatements().flatMap(({ statement }) => asArray(statement.Action as string | string[]));
    const wildcardActions =
      taskStatements.flatMap((s) => s.Action).filter((a) => a.includes("*")).length +
      templateActions.filter((a) => a === "*" || a.endsWith(":*")).length;
    const scoped = (r: string) =>
      r.startsWith(`${INSTANCE_ARN}/`) || r.startsWith(DOMAIN_ARN) || BUCKETS.some((b) => r.startsWith(`arn:aws:s3:::${b}/connect/acme-care/`) || r.startsWith(`arn:aws:s3:::${b}/Analysis/`));
    const wildcardWriteResources = taskStatements
      .filter((s) => s.Effect === "Allow" && s.Action.some((a) => /:(Delete|Update|Put)/.test(a)))
      .flatMap((s) => s.Resource)
      .filter((r) => !scoped(r)).length;
    const denies = taskStatements.filter((s) => s.Effect === "Deny" && s.Resource.includes("*")).flatMap((s) => s.Action);
    const deniesPresent = EXPECTED_DENY_ACTIONS.filter((a) => denies.includes(a)).length;
    const scan = scanForCredentials([synth.templateFile]);
    const commands = backendCommands();
    const needed = [...new Set(commands.flatMap((c) => COMMAND_ACTIONS[c] ?? [`unmapped:${c}`]))];
    const callsCovered = needed.filter((a) => allowed.includes(a)).length;
    const grantedUnused = allowed.filter((a) => !needed.includes(a)).length;
    let staticKeysRefused = false;
    try {
      parseConfig({
        ERASURE_MODE: "production",
        CONNECT_INSTANCE_ID: synth.props.connectInstanceId,
        OIDC_ISSUER: TEST_CONTEXT.oidcIssuer,
        OIDC_AUDIENCE: TEST_CONTEXT.oidcAudience,
        AUDIT_HMAC_KEY: "k".repeat(32),
        AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
      });
    } catch (e) {
      staticKeysRefused = /static AWS access keys/.test((e as Error).message);
    }
    const pass =
      callsCovered === needed.length &&
      policyDiff === 0 && wildcardActions === 0 && wildcardWriteResources === 0 && deniesPresent === 5 &&
      scan.keyIds === 0 && scan.secrets === 0 && staticKeysRefused;
    process.stdout.write(
      `S6 policy_diff=${policyDiff} wildcard_actions=${wildcardActions} wildcard_write_resources=${wildcardWriteResources} ` +
        `denies_present=${deniesPresent} key_ids_found=${scan.keyIds} secrets_found=${scan.secrets} ` +
        `static_keys_refused=${staticKeysRefused} files_scanned=${scan.files} backend_actions_covered=${callsCovered}/${needed.length} ` +
        `granted_not_called=${grantedUnused} => ${pass ? "PASS" : "FAIL"}\n`,
    );
    expect(scan.files).toBeGreaterThan(10);
    expect(pass).toBe(true);
  });
});
