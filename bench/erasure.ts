/**
 * Erasure throughput under AWS quotas, printed (not a timed test). Erases N contacts with the emulator enforcing
 * the default quotas scaled by `--scale` (so the run is short), then prints per operation the calls made, the
 * achieved rate as a fraction of its quota, and the wall time against the quota-bound minimum. Beside it, the
 * naive version an administrator would write from the AWS CLI recipe: the same calls, contact after contact,
 * SDK default retries (maxAttempts 3), no shared limiter; its time and failures.
 *
 *   npx tsx bench/erasure.ts [--contacts 60] [--scale 1] [--concurrency 16]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DeleteContactDataCommand,
  DescribeContactCommand,
  GetContactAttributesCommand,
  ListAssociatedContactsCommand,
  UpdateContactAttributesCommand,
} from "@aws-sdk/client-connect";
import { DeleteProfileCommand, SearchProfilesCommand } from "@aws-sdk/client-customer-profiles";
import { DeleteObjectsCommand, ListObjectVersionsCommand } from "@aws-sdk/client-s3";
import pino from "pino";
import { createAwsClients, type AwsClients } from "../backend/aws/clients.ts";
import { parseConfig } from "../backend/config.ts";
import { ScenarioBuilder } from "../backend/emulator/scenario.ts";
import { startEmulator } from "../backend/emulator/server.ts";
import { createCallStats } from "../backend/erasure/guarded-runner.ts";
import { quotaFor } from "../backend/erasure/quotas.ts";
import { startWorker } from "../backend/erasure/worker.ts";
import { approveRequest, raiseRequest } from "../backend/requests/request-service.ts";
import { migrateToLatest, openDatabase } from "../backend/store/database.ts";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const CONTACTS = arg("contacts", 60);
const SCALE = arg("scale", 1);
const CONCURRENCY = arg("concurrency", 16);

const INSTANCE = "be4c0000-0000-4000-8000-000000000001";
const DOMAIN = "bench-domain";
const BUCKET = "bench-recordings";

function scenario() {
  const b = new ScenarioBuilder({ id: INSTANCE, alias: "bench" })
    .bucket(BUCKET, { versioning: "Enabled" })
    .storage("CALL_RECORDINGS", BUCKET)
    .storage("CHAT_TRANSCRIPTS", BUCKET)
    .profilesDomain(DOMAIN, "CTR");
  b.user({ Id: "be4c0000-0000-4000-8000-0000000000a1", Username: "agent.alice" });
  const contacts = Array.from({ length: CONTACTS }, (_, i) => {
    const start = new Date(Date.UTC(2026, 10, 1 + (i % 28), 9 + (i % 12), 0)).toISOString();
    const spec = { start, attributes: { caller: `FAKE-${i}`, intent: "bench" } };
    return i % 4 === 3 ? b.addChatContact(spec) : b.addVoiceContact(spec);
  });
  return { scenario: b.build(), contacts };
}

function configFor(databaseUrl: string, url: string, maxAttempts: number) {
  return parseConfig({
    DATABASE_URL: databaseUrl,
    AWS_ENDPOINT_URL_CONNECT: url,
    AWS_ENDPOINT_URL_CUSTOMER_PROFILES: url,
    AWS_ENDPOINT_URL_S3: url,
    CONNECT_INSTANCE_ID: INSTANCE,
    CUSTOMER_PROFILES_DOMAIN: DOMAIN,
    AUDIT_HMAC_KEY: "bench",
    AWS_MAX_ATTEMPTS: String(maxAttempts),
    SETTLE_SECONDS: "0",
    WORKER_POLL_MS: "20",
    QUOTA_SCALE: String(SCALE),
    LOG_LEVEL: "silent",
  });
}

/** Minimum wall time the quotas allow for `calls` of each operation: (calls − burst) / rate, worst operation. */
function quotaBound(calls: Map<string, number>): { boundS: number; bottleneck: string } {
  let boundS = 0;
  let bottleneck = "";
  for (const [op, n] of calls) {
    const q = quotaFor(op, SCALE);
    const s = Math.max(0, (n - q.burst) / q.rate);
    if (s > boundS) {
      boundS = s;
      bottleneck = op;
    }
  }
  return { boundS, bottleneck };
}

async function runExecutor(): Promise<void> {
  const { scenario: sc, contacts } = scenario();
  const emulator = await startEmulator({ scenario: sc, quotas: { enabled: true, scale: SCALE } });
  const dir = mkdtempSync(join(tmpdir(), "bench-erasure-"));
  const config = configFor(`sqlite:${join(dir, "bench.db")}`, emulator.url, 1);
  const store = openDatabase(config.databaseUrl);
  await migrateToLatest(store.db);
  const clients = createAwsClients(config, emulator.url);
  const ids: string[] = [];
  const raiser = { subject: "bench-sue", username: "supervisor.sue", role: "supervisor" as const };
  const approver = { subject: "bench-sam", username: "supervisor.sam", role: "supervisor" as const };
  for (const c of contacts) {
    const input = {
      contactId: c.contactIds[0] as string,
      initialContactId: c.initialContactId,
      instanceId: INSTANCE,
      scope: { contactChain: true as const, customerHistory: false },
      verification: { method: "knowledge_based" as const, confirmedByCustomer: true as const },
    };
    const { request } = await raiseRequest(store.db, input, raiser, new Date(), { hmacKey: "bench" });
    await approveRequest(store.db, request.id, approver, new Date());
    ids.push(request.id);
  }
  const stats = createCallStats();
  const started = performance.now();
  const worker = startWorker({ config, db: store.db, clients, logger: pino({ level: "silent" }) }, { concurrency: CONCURRENCY, stats, backoffBaseMs: 200, backoffCapMs: 5000 });
  let statuses: string[] = [];
  for (;;) {
    const rows = await store.db.selectFrom("erasure_requests").select("status").execute();
    statuses = rows.map((r) => r.status);
    if (statuses.every((s) => ["completed", "completed_with_residue", "failed"].includes(s))) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const wallS = (performance.now() - started) / 1000;
  await worker.stop();
  const { boundS, bottleneck } = quotaBound(stats.calls);
  console.log(`op                          calls  retries  rate/s  quota/s  of_quota`);
  for (const [op, n] of [...stats.calls].sort((a, b) => b[1] / quotaFor(b[0], SCALE).rate - a[1] / quotaFor(a[0], SCALE).rate)) {
    const q = quotaFor(op, SCALE);
    const rate = n / wallS;
    console.log(
      `${op.padEnd(26)} ${String(n).padStart(6)} ${String(stats.retries.get(op) ?? 0).padStart(8)} ${rate.toFixed(2).padStart(7)} ${q.rate.toFixed(1).padStart(8)} ${((rate / q.rate) * 100).toFixed(1).padStart(8)}%`,
    );
  }
  const failed = statuses.filter((s) => s !== "completed").length;
  const throttled = [...stats.retries.values()].reduce((a, b) => a + b, 0);
  console.log(
    `BENCH erasure contacts=${CONTACTS} scale=${SCALE} concurrency=${CONCURRENCY} wall_s=${wallS.toFixed(2)} bound_s=${boundS.toFixed(2)} bottleneck=${bottleneck} efficiency=${((boundS / wallS) * 100).toFixed(1)}% failed=${failed} retried_calls=${throttled}`,
  );
  clients.connect.destroy();
  clients.profiles.destroy();
  clients.s3.destroy();
  await store.close();
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
}

/** The CLI recipe as a script: per contact, in sequence, each call once with the SDK's own retries. */
async function naiveErase(clients: AwsClients, contactId: string, initialContactId: string): Promise<void> {
  const { Contact } = await clients.connect.send(new DescribeContactCommand({ InstanceId: INSTANCE, ContactId: contactId }));
  await clients.connect.send(new ListAssociatedContactsCommand({ InstanceId: INSTANCE, ContactId: initialContactId }));
  const { Attributes = {} } = await clients.connect.send(new GetContactAttributesCommand({ InstanceId: INSTANCE, InitialContactId: initialContactId }));
  await clients.connect.send(
    new UpdateContactAttributesCommand({ InstanceId: INSTANCE, InitialContactId: initialContactId, Attributes: Object.fromEntries(Object.keys(Attributes).map((k) => [k, ""])) }),
  );
  await clients.connect.send(new DeleteContactDataCommand({ InstanceId: INSTANCE, ContactId: contactId, ContactFields: ["CUSTOMER_ENDPOINT"] }));
  for (const location of Contact?.Recordings?.map((r) => r.Location ?? "") ?? []) {
    const key = location.slice(location.indexOf("/") + 1);
    const listed = await clients.s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: key }));
    const objects = [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key, VersionId: v.VersionId }));
    if (objects.length > 0) await clients.s3.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: objects } }));
  }
  const found = await clients.profiles.send(new SearchProfilesCommand({ DomainName: DOMAIN, KeyName: "_ctrContactId", Values: [contactId] }));
  for (const p of found.Items ?? []) await clients.profiles.send(new DeleteProfileCommand({ DomainName: DOMAIN, ProfileId: p.ProfileId }));
}

async function runNaive(): Promise<void> {
  const { scenario: sc, contacts } = scenario();
  const emulator = await startEmulator({ scenario: sc, quotas: { enabled: true, scale: SCALE } });
  const clients = createAwsClients(configFor("sqlite::memory:", emulator.url, 3), emulator.url);
  const started = performance.now();
  let failed = 0;
  const failures = new Map<string, number>();
  for (const c of contacts) {
    try {
      await naiveErase(clients, c.contactIds[0] as string, c.initialContactId);
    } catch (err) {
      failed++;
      const name = err instanceof Error ? err.name : "unknown";
      failures.set(name, (failures.get(name) ?? 0) + 1);
    }
  }
  const wallS = (performance.now() - started) / 1000;
  const errors = [...failures].map(([k, v]) => `${k}:${v}`).join(",") || "none";
  console.log(`BENCH naive contacts=${CONTACTS} scale=${SCALE} wall_s=${wallS.toFixed(2)} failed=${failed} errors=${errors} (no S3 date-folder scan, no Contact Lens, no verification)`);
  clients.connect.destroy();
  clients.profiles.destroy();
  clients.s3.destroy();
  await emulator.close();
}

await runExecutor();
await runNaive();
