/**
 * The executor's HTTP routes through `buildApp`: the dry-run preview (counts only; agents only for their own
 * contact) and the certificate (owner or supervisor; JSON or printable HTML; its hash entered in the audit chain
 * once, re-issues return the same hash).
 */
import { createHash } from "node:crypto";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "../../../backend/audit/audit-log.ts";
import { createAwsClients } from "../../../backend/aws/clients.ts";
import type { CertificateView, ErasureRequestView, PreviewView } from "../../../backend/contract/schemas.ts";
import { startWorker, type RunningWorker } from "../../../backend/erasure/worker.ts";
import { getRequest } from "../../../backend/requests/request-service.ts";
import { buildTestApp, startTestEmulator, type TestApp, type TestEmulator } from "../../support/app.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";

let emulator: TestEmulator;
let store: TestDatabase;
let t: TestApp;
let worker: RunningWorker | undefined;

beforeAll(async () => {
  emulator = await startTestEmulator();
  store = await createTestDatabase("sqlite");
  t = buildTestApp({ db: store.db, databaseUrl: store.databaseUrl, emulatorUrl: emulator.url, env: { SETTLE_SECONDS: "0", WORKER_POLL_MS: "20" } });
});
afterAll(async () => {
  await worker?.stop();
  await t.close();
  await emulator.close();
  await store.destroy();
});

async function get<T>(url: string, username: string, headers: Record<string, string> = {}): Promise<{ status: number; body: T; type: string; raw: string }> {
  const res = await t.app.inject({ method: "GET", url, headers: { ...(await t.auth(username)), ...headers } });
  return { status: res.statusCode, body: String(res.headers["content-type"] ?? "").includes("json") ? (res.json() as T) : (undefined as T), type: String(res.headers["content-type"]), raw: res.body };
}

describe("preview and certificate routes", () => {
  it("previews counts only, for the handling agent or a supervisor", async () => {
    const contactId = await emulator.newContact("agent.alice");
    await emulator.endContact(contactId);
    const own = await get<PreviewView>(`/api/contacts/${contactId}/preview`, "agent.alice");
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ contactId, contactEnded: true, contacts: 1, hasCustomerEndpoint: true });
    expect(own.body.s3ObjectVersions).toBeGreaterThan(0);
    expect(Object.keys(own.body).sort()).toEqual(["attributeKeys", "contactEnded", "contactId", "contacts", "hasCustomerEndpoint", "profiles", "s3ObjectVersions"]);
    expect((await get(`/api/contacts/${contactId}/preview`, "agent.bob")).status).toBe(404);
    expect((await get<PreviewView>(`/api/contacts/${contactId}/preview`, "supervisor.sam")).body.contacts).toBe(1);
    expect((await get(`/api/contacts/not-a-uuid/preview`, "supervisor.sam")).status).toBe(400);
  });

  it("issues a certificate whose hash enters the audit chain once", async () => {
    const contactId = await emulator.newContact("agent.alice");
    await emulator.endContact(contactId);
    const raised = await t.app.inject({
      method: "POST",
      url: "/api/requests",
      headers: { ...(await t.auth("agent.alice")), "content-type": "application/json" },
      payload: { contactId, scope: { contactChain: true, customerHistory: false }, verification: { method: "knowledge_based", confirmedByCustomer: true } },
    });
    expect(raised.statusCode).toBe(201);
    const id = (raised.json() as ErasureRequestView).id;
    expect((await get(`/api/requests/${id}/certificate`, "agent.alice")).status).toBe(409);
    const approved = await t.app.inject({ method: "POST", url: `/api/requests/${id}/approve`, headers: { ...(await t.auth("supervisor.sam")), "content-type": "application/json" }, payload: {} });
    expect(approved.statusCode).toBe(200);

    worker = startWorker({ config: t.config, db: store.db, clients: createAwsClients(t.config, emulator.url), logger: pino({ level: "silent" }) });
    const deadline = Date.now() + 30_000;
    while (!["completed", "completed_with_residue", "failed"].includes((await getRequest(store.db, id)).status)) {
      if (Date.now() > deadline) throw new Error("request did not finish");
      await new Promise((r) => setTimeout(r, 25));
    }

    const concurrent = await Promise.all(["agent.alice", "supervisor.sam", "supervisor.sue"].map((u) => get<CertificateView>(`/api/requests/${id}/certificate`, u)));
    expect(new Set(concurrent.map((r) => r.body.hash)).size).toBe(1);
    const first = concurrent[0] as { status: number; body: CertificateView };
    expect(first.status).toBe(200);
    const cert = first.body;
    expect(cert).toMatchObject({ requestId: id, status: "completed", requestedBy: "agent.alice", approvedBy: "supervisor.sam", contactIds: [contactId] });
    expect(cert.steps.map((s) => s.name)).toHaveLength(7);
    expect(cert.steps.every((s) => s.verifiedAt)).toBe(true);
    expect(cert.residue.some((r) => r.kind === "ctr_metadata")).toBe(true);
    const { hash, issuedAt, ...body } = cert;
    expect(hash).toBe(createHash("sha256").update(canonicalJson(body)).digest("hex"));

    const again = await get<CertificateView>(`/api/requests/${id}/certificate`, "supervisor.sue");
    expect(again.body.hash).toBe(hash);
    expect(again.body.issuedAt).toBe(issuedAt);
    const entries = await store.db.selectFrom("audit_log").selectAll().where("request_id", "=", id).where("action", "=", "certificate.issued").execute();
    expect(entries).toHaveLength(1);
    expect(JSON.parse(entries[0]?.data_json ?? "{}")).toEqual({ hash });

    const html = await get(`/api/requests/${id}/certificate?format=html`, "agent.alice");
    expect(html.type).toContain("text/html");
    expect(html.raw).toContain(hash);
    expect(html.raw).not.toContain("<script");
    const negotiated = await get(`/api/requests/${id}/certificate`, "supervisor.sam", { accept: "text/html" });
    expect(negotiated.type).toContain("text/html");
    expect((await get(`/api/requests/${id}/certificate`, "agent.bob")).status).toBe(404);
    expect((await get(`/api/requests/${id}/certificate?format=pdf`, "agent.alice")).status).toBe(400);
  });
});
