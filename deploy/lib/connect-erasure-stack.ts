/**
 * Connect Erasure on AWS: the built app in a private S3 bucket behind CloudFront (CSP frame-ancestors = the
 * instance's origins), the backend on ECS Fargate behind an HTTPS load balancer (CloudFront forwards `/api/*`, so
 * the app and its API share one origin), PostgreSQL on RDS in isolated subnets, secrets in Secrets Manager, logs
 * with retention, and a task role holding exactly the policy of `erasure-policy.ts`.
 *
 * Fargate rather than Lambda: the worker is a long-running loop that leases steps and must drain on SIGTERM, the
 * API streams server-sent events, and both share one process and connection pool (ARCHITECTURE.md §7).
 */
import { CfnOutput, Duration, Lazy, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import * as acm from "aws-cdk-lib/aws-certificatemanager";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import * as origins from "aws-cdk-lib/aws-cloudfront-origins";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as ecr from "aws-cdk-lib/aws-ecr";
import * as ecs from "aws-cdk-lib/aws-ecs";
import * as ecsPatterns from "aws-cdk-lib/aws-ecs-patterns";
import * as elbv2 from "aws-cdk-lib/aws-elasticloadbalancingv2";
import * as iam from "aws-cdk-lib/aws-iam";
import * as logs from "aws-cdk-lib/aws-logs";
import * as rds from "aws-cdk-lib/aws-rds";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import { buildAppCsp } from "./content-security-policy.ts";
import type { ErasureDeployProps } from "./deploy-props.ts";
import { buildErasurePolicyDocument } from "./erasure-policy.ts";

export type ConnectErasureStackProps = StackProps & { deploy: ErasureDeployProps };

const CONTAINER_PORT = 8080;
const DATABASE_NAME = "erasure";
const DATABASE_USER = "erasure";
const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([^:@]+)(?::([^@]+)|@(sha256:[0-9a-f]{64}))$/;

/** The whole deployment in one stack, so one `cdk deploy` takes a team from nothing to a running service. */
export class ConnectErasureStack extends Stack {
  /** The task role; exposed for tests and for teams that attach it elsewhere. */
  readonly taskRole: iam.Role;

  constructor(scope: Construct, id: string, props: ConnectErasureStackProps) {
    super(scope, id, { ...props, env: { account: props.deploy.account, region: props.deploy.region } });
    const d = props.deploy;
    const retention = d.logRetentionDays as logs.RetentionDays;

    const vpc = new ec2.Vpc(this, "Vpc", {
      maxAzs: 2,
      natGateways: 1,
      subnetConfiguration: [
        { name: "public", subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: "app", subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        { name: "data", subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
    });
    vpc.addGatewayEndpoint("S3Endpoint", { service: ec2.GatewayVpcEndpointAwsService.S3 });

    // Secrets: the database password (generated without punctuation so it never needs URL encoding) and the key
    // of the audit log's HMACs of contact ids. Only the execution role reads them, to inject them at start.
    const dbInstanceIdentifier = `${id.toLowerCase()}-db`;
    const dbLogGroup = new logs.LogGroup(this, "DatabaseLogs", {
      logGroupName: `/aws/rds/instance/${dbInstanceIdentifier}/postgresql`,
      retention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const database = new rds.DatabaseInstance(this, "Database", {
      instanceIdentifier: dbInstanceIdentifier,
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_13 }),
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      multiAz: d.databaseMultiAz,
      databaseName: DATABASE_NAME,
      credentials: rds.Credentials.fromGeneratedSecret(DATABASE_USER, {
        secretName: `${id}/database`,
        excludeCharacters: " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
      }),
      storageEncrypted: true,
      allocatedStorage: 20,
      maxAllocatedStorage: 100,
      backupRetention: Duration.days(7),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      cloudwatchLogsExports: ["postgresql"],
      publiclyAccessible: false,
    });
    database.node.addDependency(dbLogGroup);
    const auditHmacKey = new secretsmanager.Secret(this, "AuditHmacKey", {
      secretName: `${id}/audit-hmac-key`,
      description: "Key of the keyed HMACs of contact ids in the Connect Erasure audit log",
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // The task role: temporary credentials only, trusted by ECS tasks of this account, with the one policy.
    this.taskRole = new iam.Role(this, "BackendTaskRole", {
      description: "Connect Erasure backend: least-privilege erasure policy (reliability.md §5)",
      assumedBy: new iam.ServicePrincipal("ecs-tasks.amazonaws.com").withConditions({
        StringEquals: { "aws:SourceAccount": d.account },
        ArnLike: { "aws:SourceArn": `arn:${this.partition}:ecs:${d.region}:${d.account}:*` },
      }),
      inlinePolicies: {
        ConnectErasure: iam.PolicyDocument.fromJson(
          buildErasurePolicyDocument({
            region: d.region,
            account: d.account,
            instanceId: d.connectInstanceId,
            instanceAlias: d.connectInstanceAlias,
            recordingBuckets: d.recordingBuckets,
            ...(d.profilesDomain ? { profilesDomain: d.profilesDomain } : {}),
          }),
        ),
      },
    });

    const backendLogs = new logs.LogGroup(this, "BackendLogs", {
      logGroupName: `/connect-erasure/${id}/backend`,
      retention,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // The app's own origin; the distribution is created below, its name resolves at synth time.
    const appUrl = d.appDomainName
      ? `https://${d.appDomainName}`
      : Lazy.string({ produce: () => `https://${distribution.distributionDomainName}` });
    const taskDefinition = new ecs.FargateTaskDefinition(this, "BackendTask", {
      cpu: 512,
      memoryLimitMiB: 1024,
      taskRole: this.taskRole,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    taskDefinition.addContainer("backend", {
      image: containerImage(this, d.backendImage),
      command: ["serve"],
      portMappings: [{ containerPort: CONTAINER_PORT }],
      // Time for the worker to finish or release its leased steps after SIGTERM.
      stopTimeout: Duration.seconds(60),
      logging: ecs.LogDrivers.awsLogs({ logGroup: backendLogs, streamPrefix: "backend" }),
      environment: {
        ERASURE_MODE: "production",
        HOST: "0.0.0.0",
        PORT: String(CONTAINER_PORT),
        // The password comes from PGPASSWORD, which node-postgres reads when the URL has none.
        DATABASE_URL: `postgres://${DATABASE_USER}@${database.dbInstanceEndpointAddress}:${database.dbInstanceEndpointPort}/${DATABASE_NAME}?sslmode=no-verify`,
        AWS_REGION: d.region,
        CONNECT_INSTANCE_ID: d.connectInstanceId,
        CUSTOMER_PROFILES_DOMAIN: d.profilesDomain ?? "",
        OIDC_ISSUER: d.oidcIssuer,
        OIDC_AUDIENCE: d.oidcAudience,
        OIDC_CLIENT_ID: d.oidcClientId,
        ROLE_CLAIM: d.roleClaim,
        SUPERVISOR_GROUPS: d.supervisorGroups.join(","),
        AGENT_GROUPS: d.agentGroups.join(","),
        FRAME_ANCESTORS: d.frameAncestors.join(","),
        WORKER_ENABLED: "true",
        LOG_LEVEL: "info",
        PUBLIC_URL: appUrl,
      },
      secrets: {
        PGPASSWORD: ecs.Secret.fromSecretsManager(database.secret!, "password"),
        AUDIT_HMAC_KEY: ecs.Secret.fromSecretsManager(auditHmacKey),
      },
    });

    const cluster = new ecs.Cluster(this, "Cluster", { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    const api = new ecsPatterns.ApplicationLoadBalancedFargateService(this, "Api", {
      cluster,
      taskDefinition,
      desiredCount: d.desiredCount,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { rollback: true },
      taskSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      publicLoadBalancer: true,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificate: acm.Certificate.fromCertificateArn(this, "ApiCertificate", d.apiCertificateArn),
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      redirectHTTP: true,
      healthCheckGracePeriod: Duration.seconds(60),
    });
    api.targetGroup.configureHealthCheck({ path: "/readyz", healthyHttpCodes: "200", interval: Duration.seconds(15) });
    api.targetGroup.setAttribute("deregistration_delay.timeout_seconds", "30");
    api.loadBalancer.setAttribute("routing.http.drop_invalid_header_fields.enabled", "true");
    // Metrics are for a scraper inside the VPC (task port 8080), not for the internet.
    api.listener.addAction("HideMetrics", {
      priority: 1,
      conditions: [elbv2.ListenerCondition.pathPatterns(["/metrics", "/metrics/*"])],
      action: elbv2.ListenerAction.fixedResponse(404, { contentType: "application/json", messageBody: '{"error":{"code":"NotFound","message":"Not found"}}' }),
    });
    database.connections.allowDefaultPortFrom(api.service, "backend tasks to PostgreSQL");

    // Static hosting: private bucket, reachable only through CloudFront's origin access control.
    const appBucket = new s3.Bucket(this, "AppBucket", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const csp = buildAppCsp({ frameAncestors: d.frameAncestors, oidcIssuer: d.oidcIssuer, idpOrigins: d.idpOrigins });
    // No X-Frame-Options in either policy: it cannot express "framed by the Connect workspace only"; frame-ancestors does.
    const securityHeaders = (override: boolean): cloudfront.ResponseSecurityHeadersBehavior => ({
      contentSecurityPolicy: { contentSecurityPolicy: csp, override },
      strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override },
      contentTypeOptions: { override },
      referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override },
    });
    const headers = new cloudfront.ResponseHeadersPolicy(this, "AppHeaders", {
      comment: "Connect Erasure app: CSP frame-ancestors = the instance's agent-workspace origins",
      securityHeadersBehavior: securityHeaders(true),
    });
    // The API sets its own (stricter) headers; CloudFront only fills in any that are missing.
    const apiHeaders = new cloudfront.ResponseHeadersPolicy(this, "ApiHeaders", {
      comment: "Connect Erasure API: the backend's own security headers win",
      securityHeadersBehavior: securityHeaders(false),
    });
    const distribution = new cloudfront.Distribution(this, "AppDistribution", {
      comment: "Connect Erasure app and API",
      defaultRootObject: "index.html",
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      ...(d.appDomainName && d.appCertificateArn
        ? {
            domainNames: [d.appDomainName],
            certificate: acm.Certificate.fromCertificateArn(this, "AppCertificate", d.appCertificateArn),
          }
        : {}),
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(appBucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
      },
      additionalBehaviors: {
        "/api/*": {
          origin: new origins.HttpOrigin(d.apiDomainName, {
            protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
            readTimeout: Duration.seconds(60),
          }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: apiHeaders,
        },
      },
    });

    new CfnOutput(this, "AppAccessUrl", { value: appUrl, description: "AccessUrl for the Connect app registration" });
    new CfnOutput(this, "AppBucketName", { value: appBucket.bucketName, description: "upload dist/ here (without harness.html)" });
    new CfnOutput(this, "DistributionId", { value: distribution.distributionId });
    new CfnOutput(this, "ApiLoadBalancerDns", { value: api.loadBalancer.loadBalancerDnsName, description: `point ${d.apiDomainName} here` });
    new CfnOutput(this, "TaskRoleArn", { value: this.taskRole.roleArn });
    new CfnOutput(this, "ClusterName", { value: cluster.clusterName });
    new CfnOutput(this, "TaskDefinitionArn", { value: taskDefinition.taskDefinitionArn, description: "run once with command [\"migrate\"] / [\"doctor\"]" });
    new CfnOutput(this, "DatabaseSecretArn", { value: database.secret!.secretArn });
    new CfnOutput(this, "AuditHmacKeySecretArn", { value: auditHmacKey.secretArn });
  }
}

/** A private ECR image gets pull rights for the execution role; any other registry is used as named. */
function containerImage(scope: Construct, image: string): ecs.ContainerImage {
  const match = ECR_IMAGE.exec(image);
  if (!match) return ecs.ContainerImage.fromRegistry(image);
  const [, , , repositoryName = "", tag, digest] = match;
  const repository = ecr.Repository.fromRepositoryName(scope, "BackendRepository", repositoryName);
  return ecs.ContainerImage.fromEcrRepository(repository, tag ?? digest);
}
