import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DescribeContactCommand, GetContactAttributesCommand, InternalServiceException, ThrottlingException, UpdateContactAttributesCommand } from "@aws-sdk/client-connect";
import { SearchProfilesCommand, ThrottlingException as ProfilesThrottlingException } from "@aws-sdk/client-customer-profiles";
import { DeleteObjectCommand, ListObjectVersionsCommand, PutObjectCommand, S3ServiceException } from "@aws-sdk/client-s3";
import { control, startRig, type TestRig } from "./clients.ts";
import { ScenarioBuilder } from "../../backend/emulator/scenario.ts";

const INSTANCE = "99999999-8888-4777-8666-555555555555";

/** A rig on its own scenario (one instance, bucket, agent, domain and one voice contact), so each describe starts clean. */
async function startScenarioRig(): Promise<{ rig: TestRig; contactId: string }> {
  const b = new ScenarioBuilder({ id: INSTANCE, alias: "q" }).bucket("b", { versioning: "Enabled" }).user({ Id: "a0000000-0000-4000-8000-000000000001", Username: "agent.alice" }).profilesDomain("d");
  const c = b.addVoiceContact({ attributes: { x: "1" } });
  return { rig: await startRig({ scenario: b.build() }), contactId: c.initialContactId };
}

describe("emulator: quotas", () => {
  let rig: TestRig;
  let contactId: string;
  beforeAll(async () => {
    ({ rig, contactId } = await startScenarioRig());
  });
  afterAll(() => rig.close());
  beforeEach(async () => {
    rig.emulator.reset();
    await control(rig.emulator, "POST", "/_emulator/quotas", { enabled: false, scale: 1 });
  });

  it("DescribeContact's achieved rate at a scaled quota is within 10% of the configured rate", async () => {
    const scale = 5;
    const configured = 10 * scale;
    await control(rig.emulator, "POST", "/_emulator/quotas", { enabled: true, scale });
    const deadline = performance.now() + 3000;
    let firstThrottle: number | undefined;
    let okAfterThrottle = 0;
    let ok = 0;
    let throttled = 0;
    const worker = async () => {
      while (performance.now() < deadline) {
        try {
          await rig.connect.send(new DescribeContactCommand({ InstanceId: INSTANCE, ContactId: contactId }));
          ok++;
          if (firstThrottle !== undefined) okAfterThrottle++;
        } catch (err) {
          expect(err).toBeInstanceOf(ThrottlingException);
          throttled++;
          firstThrottle ??= performance.now();
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    const end = performance.now();
    expect(firstThrottle).toBeDefined();
    const measured = okAfterThrottle / ((end - firstThrottle!) / 1000);
    console.log(`quota accuracy: DescribeContact configured ${configured}/s (burst ${15 * scale}), measured ${measured.toFixed(2)}/s over ${((end - firstThrottle!) / 1000).toFixed(2)} s; ${ok} ok, ${throttled} throttled (${(((measured - configured) / configured) * 100).toFixed(1)}%)`);
    expect(Math.abs(measured - configured) / configured).toBeLessThan(0.1);
    expect(ok).toBeLessThan(15 * scale + configured * 3.1 + 4);
  });

  it("throttling answers: Connect/Profiles 429 ThrottlingException with x-amzn-ErrorType; S3 503 SlowDown", async () => {
    await control(rig.emulator, "POST", "/_emulator/quotas", { enabled: true, scale: 0.01 });
    await rig.connect.send(new GetContactAttributesCommand({ InstanceId: INSTANCE, InitialContactId: contactId }));
    const err = await rig.connect.send(new GetContactAttributesCommand({ InstanceId: INSTANCE, InitialContactId: contactId })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ThrottlingException);
    expect((err as ThrottlingException).$metadata.httpStatusCode).toBe(429);
    expect((err as ThrottlingException).$retryable?.throttling ?? true).toBe(true);

    await rig.profiles.send(new SearchProfilesCommand({ DomainName: "d", KeyName: "_phone", Values: ["x"] }));
    await expect(rig.profiles.send(new SearchProfilesCommand({ DomainName: "d", KeyName: "_phone", Values: ["x"] }))).rejects.toBeInstanceOf(ProfilesThrottlingException);

    await control(rig.emulator, "POST", "/_emulator/quotas", { enabled: true, scale: 0.001 });
    const results: string[] = [];
    for (let i = 0; i < 5; i++) {
      results.push(await rig.s3.send(new PutObjectCommand({ Bucket: "b", Key: `k${i}`, Body: "x" })).then(() => "ok", (e: S3ServiceException) => `${e.name}:${e.$metadata.httpStatusCode}`));
    }
    expect(results).toEqual(["ok", "ok", "ok", "SlowDown:503", "SlowDown:503"]);
    const journal = rig.emulator.journal().filter((e) => e.operation === "PutObject");
    expect(journal.map((e) => e.outcome)).toEqual(["ok", "ok", "ok", "throttled", "throttled"]);
  });
});

describe("emulator: fault plans", () => {
  let rig: TestRig;
  let contactId: string;
  beforeAll(async () => {
    ({ rig, contactId } = await startScenarioRig());
  });
  afterAll(() => rig.close());
  beforeEach(() => rig.emulator.reset());

  const describeOnce = () => rig.connect.send(new DescribeContactCommand({ InstanceId: INSTANCE, ContactId: contactId })).then(() => "ok", (e: Error) => e.name);

  it("failNth fails exactly the Nth call with the default 500 InternalServiceException", async () => {
    await control(rig.emulator, "POST", "/_emulator/faults", { service: "connect", operation: "DescribeContact", failNth: 3 });
    const outcomes = [await describeOnce(), await describeOnce(), await describeOnce(), await describeOnce()];
    expect(outcomes).toEqual(["ok", "ok", "InternalServiceException", "ok"]);
    await control(rig.emulator, "POST", "/_emulator/faults", { operation: "DescribeContact", failNth: 1 });
    const err = await rig.connect.send(new DescribeContactCommand({ InstanceId: INSTANCE, ContactId: contactId })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalServiceException);
    expect((err as InternalServiceException).$fault).toBe("server");
  });

  it("errorRate with a chosen code; DELETE clears every plan", async () => {
    await control(rig.emulator, "POST", "/_emulator/faults", { operation: "*", service: "connect", errorRate: 1, errorCode: "ThrottlingException" });
    expect(await describeOnce()).toBe("ThrottlingException");
    await control(rig.emulator, "DELETE", "/_emulator/faults");
    expect(await describeOnce()).toBe("ok");
    await control(rig.emulator, "POST", "/_emulator/faults", { operation: "DescribeContact", errorRate: 0.5, seed: 7 });
    const outcomes = [];
    for (let i = 0; i < 40; i++) outcomes.push(await describeOnce());
    const failures = outcomes.filter((o) => o !== "ok").length;
    expect(failures).toBeGreaterThan(8);
    expect(failures).toBeLessThan(32);
    const bad = await control(rig.emulator, "POST", "/_emulator/faults", { operation: "X", errorRate: 2 });
    expect(bad.status).toBe(400);
  });

  it("latencyMs delays the answer", async () => {
    await control(rig.emulator, "POST", "/_emulator/faults", { operation: "DescribeContact", latencyMs: 150 });
    const t0 = performance.now();
    expect(await describeOnce()).toBe("ok");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(145);
  });

  it("timeoutAfterCommit applies the effect, then drops the connection", async () => {
    await control(rig.emulator, "POST", "/_emulator/faults", { operation: "UpdateContactAttributes", timeoutAfterCommit: true, failNth: 1 });
    const err = await rig.connect.send(new UpdateContactAttributesCommand({ InstanceId: INSTANCE, InitialContactId: contactId, Attributes: { x: "" } })).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect(rig.emulator.state.connect.attributes.get(contactId)).toEqual({ x: "" });
    const entry = rig.emulator.journal().find((e) => e.operation === "UpdateContactAttributes");
    expect(entry).toMatchObject({ outcome: "ok", dropped: true });

    await rig.s3.send(new PutObjectCommand({ Bucket: "b", Key: "gone", Body: "x" }));
    const v = await rig.s3.send(new ListObjectVersionsCommand({ Bucket: "b", Prefix: "gone" }));
    await control(rig.emulator, "POST", "/_emulator/faults", { service: "s3", operation: "DeleteObject", timeoutAfterCommit: true, latencyMs: 50 });
    await expect(rig.s3.send(new DeleteObjectCommand({ Bucket: "b", Key: "gone", VersionId: v.Versions![0]!.VersionId }))).rejects.toBeInstanceOf(Error);
    expect(rig.emulator.state.s3.buckets.get("b")?.objects.has("gone")).toBe(false);
  });

  it("connectionReset drops the connection before the effect", async () => {
    await control(rig.emulator, "POST", "/_emulator/faults", { operation: "UpdateContactAttributes", connectionReset: true, failNth: 1 });
    await expect(rig.connect.send(new UpdateContactAttributesCommand({ InstanceId: INSTANCE, InitialContactId: contactId, Attributes: { x: "3" } }))).rejects.toBeInstanceOf(Error);
    expect(rig.emulator.state.connect.attributes.get(contactId)).toEqual({ x: "1" });
    await rig.connect.send(new UpdateContactAttributesCommand({ InstanceId: INSTANCE, InitialContactId: contactId, Attributes: { x: "4" } }));
    expect(rig.emulator.state.connect.attributes.get(contactId)).toEqual({ x: "4" });
    expect(rig.emulator.journal().filter((e) => e.operation === "UpdateContactAttributes").map((e) => [e.outcome, e.errorCode])).toEqual([
      ["fault", "ConnectionReset"],
      ["ok", undefined],
    ]);
  });

  it("injected faults on mutating calls are journaled without applying the effect", async () => {
    await control(rig.emulator, "POST", "/_emulator/faults", { operation: "UpdateContactAttributes", errorCode: "InternalServiceException" });
    await expect(rig.connect.send(new UpdateContactAttributesCommand({ InstanceId: INSTANCE, InitialContactId: contactId, Attributes: { x: "2" } }))).rejects.toBeInstanceOf(
      InternalServiceException,
    );
    expect(rig.emulator.state.connect.attributes.get(contactId)).toEqual({ x: "1" });
    expect(rig.emulator.journal()).toEqual([expect.objectContaining({ operation: "UpdateContactAttributes", outcome: "fault", errorCode: "InternalServiceException", status: 500 })]);
  });
});
