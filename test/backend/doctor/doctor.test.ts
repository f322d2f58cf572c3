/**
 * The doctor against the emulator over HTTP with the real SDK clients: a healthy account, a denied permission, a
 * locked bucket, an unversioned bucket, the CTR template, a missing instance and an unreachable or wrong IdP.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAwsClients } from "../../../backend/aws/clients.ts";
import { parseConfig } from "../../../backend/config.ts";
import { formatDoctorTable } from "../../../backend/doctor/doctor-table.ts";
import { hasBlocker, runDoctor, type DoctorCheck } from "../../../backend/doctor/doctor.ts";
import type { CtrTemplateId } from "../../../backend/emulator/profiles/store.ts";
import { ScenarioBuilder } from "../../../backend/emulator/scenario.ts";
import { startEmulator, type RunningEmulator } from "../../../backend/emulator/server.ts";

const INSTANCE_ID = "7c1a3b52-9e0d-4f6a-8b2c-1d3e5f7a9b0c";
const DOMAIN = "amazon-connect-acme";
const RECORDINGS = "acme-connect-recordings";
const TRANSCRIPTS = "acme-connect-transcripts";

interface ScenarioOptions {
  recordings?: { versioning?: "Enabled" | "Suspended" | "Unversioned"; objectLock?: { mode: "GOVERNANCE" | "COMPLIANCE"; days: number } };
  template?: CtrTemplateId;
  /** Custom prefix of the chat transcripts' storage config. */
  transcriptPrefix?: string;
}

function scenario(opts: ScenarioOptions = {}) {
  const b = new ScenarioBuilder({ id: INSTANCE_ID, alias: "acme" })
    .bucket(RECORDINGS, {
      versioning: opts.recordings?.versioning ?? "Enabled",
      ...(opts.recordings?.objectLock ? { objectLock: opts.recordings.objectLock } : {}),
    })
    .bucket(TRANSCRIPTS, { versioning: "Enabled" })
    .storage("CALL_RECORDINGS", RECORDINGS)
    .storage("SCREEN_RECORDINGS", RECORDINGS)
    .storage("CHAT_TRANSCRIPTS", TRANSCRIPTS, opts.transcriptPrefix)
    .user({ Id: "a1000000-0000-4000-8000-000000000001", Username: "agent.alice" })
    .profilesDomain(DOMAIN, opts.template ?? "CTR-AutoAssociateOnly");
  b.addVoiceContact({ agent: "agent.alice" });
  return b.build();
}

/** A loopback OIDC issuer: discovery document and a JWKS with one public key. */
async function startIssuer(): Promise<{ url: string; close(): Promise<void>; setIssuerName(name: string): void }> {
  const { publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  let url = "";
  let issuerName = "";
  const server: Server = createServer((req, res) => {
    if (req.url === "/.well-known/openid-configuration") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ issuer: issuerName, jwks_uri: `${url}/jwks.json` }));
    } else if (req.url === "/jwks.json") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuerName = url;
  return {
    url,
    setIssuerName: (name) => (issuerName = name),
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

let issuer: Awaited<ReturnType<typeof startIssuer>>;
const emulators: RunningEmulator[] = [];

beforeAll(async () => {
  issuer = await startIssuer();
});
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
  issuer.setIssuerName(issuer.url);
});
afterAll(async () => {
  await issuer.close();
});

async function doctorAgainst(
  opts: ScenarioOptions & { faults?: object[]; instanceId?: string; domain?: string; oidcIssuer?: string } = {},
): Promise<DoctorCheck[]> {
  const emulator = await startEmulator({ port: 0, scenario: scenario(opts) });
  emulators.push(emulator);
  for (const fault of opts.faults ?? []) {
    const res = await fetch(`${emulator.url}/_emulator/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(fault) });
    expect(res.status).toBe(200);
  }
  const config = parseConfig({
    CONNECT_INSTANCE_ID: opts.instanceId ?? INSTANCE_ID,
    CUSTOMER_PROFILES_DOMAIN: opts.domain ?? DOMAIN,
    OIDC_ISSUER: opts.oidcIssuer ?? issuer.url,
    AWS_ENDPOINT_URL_CONNECT: emulator.url,
    AWS_ENDPOINT_URL_CUSTOMER_PROFILES: emulator.url,
    AWS_ENDPOINT_URL_S3: emulator.url,
    AWS_MAX_ATTEMPTS: "1",
  });
  return runDoctor(config, createAwsClients(config, emulator.url), { httpTimeoutMs: 2000 });
}

function check(checks: DoctorCheck[], name: string): DoctorCheck {
  const found = checks.find((c) => c.name === name);
  if (!found) throw new Error(`no check named "${name}" in ${checks.map((c) => c.name).join(", ")}`);
  return found;
}

describe("doctor against the emulator", () => {
  it("finds nothing wrong with a healthy configuration", async () => {
    const checks = await doctorAgainst();
    expect(checks.filter((c) => c.status !== "ok")).toEqual([]);
    expect(hasBlocker(checks)).toBe(false);
    expect(check(checks, "connect instance").detail).toMatch(/answers/);
    expect(check(checks, "storage CALL_RECORDINGS").detail).toBe(`s3://${RECORDINGS}/connect/acme/CallRecordings/`);
    expect(check(checks, "storage CHAT_TRANSCRIPTS").detail).toBe(`s3://${TRANSCRIPTS}/connect/acme/ChatTranscripts/`);
    expect(check(checks, "storage EMAIL_MESSAGES").detail).toBe("not stored in S3: nothing to erase there");
    expect(check(checks, `bucket ${RECORDINGS} versioning`).detail).toMatch(/every version and delete marker/);
    expect(check(checks, `bucket ${RECORDINGS} object lock`).detail).toMatch(/no Object Lock/);
    expect(check(checks, "permission connect:DescribeContact").detail).toMatch(/permitted/);
    expect(check(checks, "permission connect:DeleteContactData").detail).toMatch(/permitted/);
    expect(checks.filter((c) => c.name === "permission s3:ListBucketVersions").map((c) => c.detail)).toEqual([
      `s3://${RECORDINGS}/Analysis/: permitted`,
      `s3://${RECORDINGS}/connect/acme/CallRecordings/: permitted`,
      `s3://${RECORDINGS}/connect/acme/ScreenRecordings/: permitted`,
      `s3://${TRANSCRIPTS}/Analysis/: permitted`,
      `s3://${TRANSCRIPTS}/connect/acme/ChatTranscripts/: permitted`,
    ]);
    expect(check(checks, "profiles CTR template").detail).toMatch(/CTR-AutoAssociateOnly/);
    expect(check(checks, "oidc issuer").detail).toMatch(/1 key/);
    // Probes changed nothing: the only mutating calls the journal saw are the write probes, each refused.
    const journal = emulators[0]!.journal().filter((e) => e.service !== "control");
    expect(journal.map((e) => [e.operation, e.outcome, e.errorCode])).toEqual([
      ["UpdateContactAttributes", "error", "ResourceNotFoundException"],
      ["UpdateContact", "error", "ResourceNotFoundException"],
      ["DeleteContactData", "error", "ResourceNotFoundException"],
    ]);
    expect(check(checks, "permission connect:UpdateContactAttributes").detail).toMatch(/permitted/);
  });

  it("reports a denied Connect permission as a blocker", async () => {
    const checks = await doctorAgainst({ faults: [{ service: "connect", operation: "DescribeContact", errorCode: "AccessDeniedException" }] });
    const denied = check(checks, "permission connect:DescribeContact");
    expect(denied.status).toBe("blocker");
    expect(denied.detail).toMatch(/AccessDeniedException.*grant connect:DescribeContact/);
    expect(hasBlocker(checks)).toBe(true);
    expect(checks.filter((c) => c.status === "blocker")).toHaveLength(1);
    expect(check(checks, "permission connect:GetContactAttributes").status).toBe("ok");
  });

  it("reports a denied S3 listing and a denied profiles search as blockers", async () => {
    const checks = await doctorAgainst({
      faults: [
        { service: "s3", operation: "ListObjectVersions", errorCode: "AccessDenied" },
        { service: "profile", operation: "SearchProfiles", errorCode: "AccessDeniedException" },
      ],
    });
    const blockers = checks.filter((c) => c.status === "blocker");
    expect(blockers.map((c) => c.name)).toContain("profiles domain");
    expect(blockers.find((c) => c.detail.startsWith(`s3://${RECORDINGS}/connect/acme/CallRecordings/:`))).toMatchObject({
      name: "permission s3:ListBucketVersions",
      detail: expect.stringMatching(/denied \(AccessDenied\): grant s3:ListBucketVersions/),
    });
    expect(blockers).toHaveLength(6);
    expect(hasBlocker(checks)).toBe(true);
  });

  it("explains that locked versions become residue in an Object Lock bucket", async () => {
    const checks = await doctorAgainst({ recordings: { objectLock: { mode: "COMPLIANCE", days: 365 } } });
    const lock = check(checks, `bucket ${RECORDINGS} object lock`);
    expect(lock.status).toBe("warn");
    expect(lock.detail).toMatch(/COMPLIANCE default retention 365 days/);
    expect(lock.detail).toMatch(/residue until their retain-until date/);
    expect(check(checks, `bucket ${TRANSCRIPTS} object lock`).status).toBe("ok");
    expect(hasBlocker(checks)).toBe(false);
  });

  it("explains that deletes are permanent in an unversioned bucket", async () => {
    const checks = await doctorAgainst({ recordings: { versioning: "Unversioned" } });
    const versioning = check(checks, `bucket ${RECORDINGS} versioning`);
    expect(versioning.status).toBe("ok");
    expect(versioning.detail).toMatch(/unversioned: deletes are permanent/);
    expect(check(checks, `bucket ${TRANSCRIPTS} versioning`).detail).toMatch(/^versioned/);
  });

  it("warns that the CTR template can re-create inferred profiles", async () => {
    const checks = await doctorAgainst({ template: "CTR" });
    const template = check(checks, "profiles CTR template");
    expect(template.status).toBe("warn");
    expect(template.detail).toMatch(/inferred profile.*CTR-AutoAssociateOnly/);
  });

  it("blocks on an instance or domain that does not exist", async () => {
    const checks = await doctorAgainst({ instanceId: "00000000-0000-4000-8000-000000000000", domain: "no-such-domain" });
    expect(check(checks, "connect instance")).toMatchObject({ status: "blocker", detail: expect.stringMatching(/not found/) });
    expect(check(checks, "profiles domain")).toMatchObject({ status: "blocker", detail: expect.stringMatching(/not found/) });
    expect(checks.some((c) => c.name.startsWith("bucket "))).toBe(false);
  });

  it("warns when Connect writes outside connect/<alias>/, where the policy allows no deletes", async () => {
    const checks = await doctorAgainst({ transcriptPrefix: "transcripts/acme" });
    const storage = check(checks, "storage CHAT_TRANSCRIPTS");
    expect(storage.status).toBe("warn");
    expect(storage.detail).toMatch(/^s3:\/\/acme-connect-transcripts\/transcripts\/acme\/ is outside connect\/<alias>\/: widen/);
  });

  it("never throws when nothing answers: every AWS check is a blocker or a warning", async () => {
    const config = parseConfig({
      CONNECT_INSTANCE_ID: INSTANCE_ID,
      CUSTOMER_PROFILES_DOMAIN: DOMAIN,
      AWS_ENDPOINT_URL_CONNECT: "http://127.0.0.1:9",
      AWS_ENDPOINT_URL_CUSTOMER_PROFILES: "http://127.0.0.1:9",
      AWS_ENDPOINT_URL_S3: "http://127.0.0.1:9",
      AWS_MAX_ATTEMPTS: "1",
      AWS_TIMEOUT_MS: "2000",
    });
    const checks = await runDoctor(config, createAwsClients(config, "http://127.0.0.1:9"));
    expect(check(checks, "connect instance")).toMatchObject({ status: "blocker", detail: expect.stringMatching(/does not answer/) });
    expect(check(checks, "profiles domain")).toMatchObject({ status: "blocker", detail: expect.stringMatching(/does not answer/) });
    expect(hasBlocker(checks)).toBe(true);
  });

  it("blocks when the IdP is unreachable or names another issuer", async () => {
    const unreachable = await doctorAgainst({ oidcIssuer: "http://127.0.0.1:9/realms/none" });
    expect(check(unreachable, "oidc issuer")).toMatchObject({ status: "blocker", detail: expect.stringMatching(/unreachable/) });
    issuer.setIssuerName("https://someone-else.example");
    const mismatch = await doctorAgainst();
    expect(check(mismatch, "oidc issuer")).toMatchObject({ status: "blocker", detail: expect.stringMatching(/someone-else/) });
  });
});

describe("formatDoctorTable", () => {
  const checks: DoctorCheck[] = [
    { name: "connect instance", status: "ok", detail: "answers" },
    { name: "bucket b object lock", status: "warn", detail: "Object Lock enabled" },
    { name: "permission connect:DescribeContact", status: "blocker", detail: "denied (AccessDeniedException)" },
  ];

  it("aligns the columns and ends with the verdict", () => {
    const lines = formatDoctorTable(checks).split("\n");
    expect(lines[0]).toBe("STATUS   CHECK                               DETAIL");
    expect(lines[2]).toBe("OK       connect instance                    answers");
    expect(lines[3]).toBe("WARN     bucket b object lock                Object Lock enabled");
    expect(lines[4]).toBe("BLOCKER  permission connect:DescribeContact  denied (AccessDeniedException)");
    expect(lines.at(-1)).toBe("3 checks: 1 ok, 1 warn, 1 blocker => NOT READY (fix the blockers)");
  });

  it("says READY when nothing blocks, and keeps each check on one line", () => {
    const text = formatDoctorTable([{ name: "x", status: "ok", detail: "two\nlines" }]);
    expect(text.split("\n")).toEqual(["STATUS  CHECK  DETAIL", "------  -----  ------", "OK      x      two lines", "", "1 checks: 1 ok, 0 warn, 0 blocker => READY"]);
  });
});
