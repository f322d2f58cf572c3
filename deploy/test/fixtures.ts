/** Context of a fictitious deployment used by the synth tests. */
export const TEST_CONTEXT = {
  connectInstanceArn: "arn:aws:connect:eu-west-2:123456789012:instance/0f6d8a4e-3c1b-4b7a-9d2e-5a6b7c8d9e0f",
  connectInstanceAlias: "acme-care",
  recordingBuckets: "amazon-connect-acme-recordings,amazon-connect-acme-analysis",
  profilesDomain: "amazon-connect-acme-care",
  oidcIssuer: "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123",
  oidcAudience: "5k2n1b2c3d4e5f6g7h8i9j0k1l",
  oidcClientId: "5k2n1b2c3d4e5f6g7h8i9j0k1l",
  idpOrigins: "https://acme-erasure.auth.eu-west-2.amazoncognito.com",
  frameAncestors: "https://acme-care.my.connect.aws https://acme-care.awsapps.com",
  backendImage: "123456789012.dkr.ecr.eu-west-2.amazonaws.com/connect-erasure:1.0.0",
  apiDomainName: "erasure-api.acme.example",
  apiCertificateArn: "arn:aws:acm:eu-west-2:123456789012:certificate/11111111-2222-3333-4444-555555555555",
  // Normally looked up by the CDK CLI and cached in cdk.context.json; given here so synth never leaves the box.
  "availability-zones:account=123456789012:region=eu-west-2": ["eu-west-2a", "eu-west-2b", "eu-west-2c"],
} as const;
