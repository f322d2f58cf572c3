import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SYSTEM_ACTOR } from "../../../backend/domain/request.ts";
import { transitionRequest } from "../../../backend/requests/request-service.ts";
import { buildTestApp, CONNECT_USER_IDS, databaseDigest, raiseBody } from "../../support/app.ts";
import { useTestApp } from "../../support/app-fixture.ts";
import { createTestDatabase, forEachDialect } from "../../support/db.ts";

forEachDialect((dialect, getDb) => {
  const fx = useTestApp(getDb);

  const as = async (username: string) => fx.t.auth(username);
  const raise = async (username: string, contactId: string, extra: { note?: string; key?: string } = {}) =>
    fx.t.app.inject({
      method: "POST",
      url: "/api/requests",
      headers: { ...(await as(username)), ...(extra.key ? { "idempotency-key": extra.key } : {}) },
      payload: raiseBody(contactId, extra.note),
    });
  const post = async (username: string, url: string, payload?: unknown) =>
    fx.t.app.inject({ method: "POST", url, headers: await as(username), ...(payload !== undefined ? { payload: payload as object } : {}) });
  const get = async (username: string, url: string) => fx.t.app.inject({ method: "GET", url, headers: await as(username) });
  let address: string | undefined;
  /** Event streams need a real socket (inject waits for the end of the response). */
  const listening = async () => (address ??= await fx.t.app.listen({ port: 0, host: "127.0.0.1" }));

  it("When a demo user asks who they are, then role and mapped Connect user id come back", async () => {
    const alice = (await get("agent.alice", "/api/me")).json();
    expect(alice).toEqual({ subject: "demo|agent.alice", username: "agent.alice", role: "agent", connectUserId: CONNECT_USER_IDS["agent.alice"] });
    expect((await get("supervisor.sue", "/api/me")).json().role).toBe("supervisor");
  });

  it("When an agent raises on their contact and another supervisor approves, then the request is approved with seven pending steps and audited", async () => {
    const contactId = await fx.emulator.newContact("agent.alice");
    const raised = await raise("agent.alice", contactId);
    expect(raised.statusCode).toBe(201);
    const view = raised.json();
    expect(raised.headers.location).toBe(`/api/requests/${view.id}`);
    expect(view).toMatchObject({ status: "pending_approval", contactId, instanceId: fx.t.config.connectInstanceId, requestedBy: "agent.alice", steps: [], residue: [] });
    expect(view).not.toHaveProperty("requestedBySubject");

    const listed = (await get("agent.alice", "/api/requests")).json().items as { id: string }[];
    expect(listed.map((r) => r.id)).toContain(view.id);
    expect(((await get("agent.bob", "/api/requests")).json().items as { id: string }[]).map((r) => r.id)).not.toContain(view.id);
    expect((await get("agent.bob", `/api/requests/${view.id}`)).statusCode).toBe(404);

    const approved = await post("supervisor.sam", `/api/requests/${view.id}/approve`);
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: "approved", approvedBy: "supervisor.sam" });
    expect(approved.json().steps.map((s: { name: string }) => s.name)).toEqual([
      "resolve-scope", "scrub-attributes", "scrub-task-fields", "delete-contact-data", "delete-recordings", "delete-profile", "report",
    ]);

    const audit = (await get("supervisor.sue", `/api/audit?requestId=${view.id}`)).json().items as { action: string; actor: string }[];
    expect(audit.map((a) => [a.action, a.actor])).toEqual([["request.raised", "agent.alice"], ["request.approve", "supervisor.sam"]]);
    expect((await get("supervisor.sue", "/api/audit/verify")).json()).toMatchObject({ ok: true });
  });

  it("When a supervisor raises and then approves their own request, then 403 SelfApproval, and a second supervisor may approve", async () => {
    const contactId = await fx.emulator.newContact("agent.bob");
    const id = (await raise("supervisor.sam", contactId)).json().id as string;
    const self = await post("supervisor.sam", `/api/requests/${id}/approve`);
    expect(self.statusCode).toBe(403);
    expect(self.json().error.code).toBe("SelfApproval");
    expect((await get("supervisor.sam", `/api/requests/${id}`)).json().status).toBe("pending_approval");
    expect((await post("supervisor.sue", `/api/requests/${id}/approve`)).json().status).toBe("approved");
  });

  it("When a supervisor rejects with a reason, then the request is rejected with that reason", async () => {
    const id = (await raise("agent.bob", await fx.emulator.newContact("agent.bob"))).json().id as string;
    const res = await post("supervisor.sue", `/api/requests/${id}/reject`, { reasonCode: "legal_claims", note: "pending litigation" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: "rejected", rejection: { reasonCode: "legal_claims", rejectedBy: "supervisor.sue" } });
  });

  it("When the requester cancels while pending, then it is cancelled, and a second cancel is 409", async () => {
    const id = (await raise("agent.alice", await fx.emulator.newContact("agent.alice"))).json().id as string;
    expect((await post("agent.alice", `/api/requests/${id}/cancel`)).json().status).toBe("cancelled");
    const again = await post("agent.alice", `/api/requests/${id}/cancel`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe("InvalidTransition");
  });

  it("When a supervisor extends the deadline, then it moves two months once, and a second extension is 409", async () => {
    const raised = (await raise("agent.alice", await fx.emulator.newContact("agent.alice"))).json();
    const res = await post("supervisor.sam", `/api/requests/${raised.id}/extend`, { reason: "complex chain across systems" });
    expect(res.statusCode).toBe(200);
    expect(res.json().extendedDueAt > raised.dueAt).toBe(true);
    const again = await post("supervisor.sam", `/api/requests/${raised.id}/extend`, { reason: "again" });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe("ExtensionNotAllowed");
  });

  it("When a failed request is retried by a supervisor, then it is approved again", async () => {
    const id = (await raise("agent.alice", await fx.emulator.newContact("agent.alice"))).json().id as string;
    await post("supervisor.sam", `/api/requests/${id}/approve`);
    const { db } = getDb();
    await transitionRequest(db, id, "start", SYSTEM_ACTOR, new Date());
    await transitionRequest(db, id, "fail", SYSTEM_ACTOR, new Date(), { auditData: { errorCode: "AwsAccessDenied" } });
    expect((await post("agent.alice", `/api/requests/${id}/retry`)).statusCode).toBe(403);
    const res = await post("supervisor.sue", `/api/requests/${id}/retry`);
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe("approved");
  });

  it("When an agent raises on another agent's contact or an unknown one, then 403 or 404 and nothing is stored", async () => {
    const { db } = getDb();
    const before = await databaseDigest(db);
    const foreign = await raise("agent.alice", await fx.emulator.newContact("agent.bob"));
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.message).toMatch(/contact you handled/);
    const unknown = await raise("agent.alice", randomUUID());
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe("ContactNotFound");
    expect(await databaseDigest(db)).toBe(before);
  });

  it("When the same Idempotency-Key is replayed, then the same request returns without a second row; another body with it is 422", async () => {
    const { db } = getDb();
    const contactId = await fx.emulator.newContact("agent.alice");
    const key = `k-${randomUUID()}`;
    const first = await raise("agent.alice", contactId, { key });
    const replay = await raise("agent.alice", contactId, { key });
    expect(first.statusCode).toBe(201);
    expect(replay.statusCode).toBe(200);
    expect(replay.json().id).toBe(first.json().id);
    const rows = await db.selectFrom("erasure_requests").select("id").where("contact_id", "=", contactId).execute();
    expect(rows).toHaveLength(1);
    const before = await databaseDigest(db);
    const reused = await raise("agent.alice", contactId, { key, note: "different body" });
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error.code).toBe("IdempotencyKeyReused");
    for (const bad of ["has space", "x".repeat(129), "tab\tkey"]) {
      const res = await raise("agent.alice", contactId, { key: bad });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(/idempotency-key/i);
    }
    expect(await databaseDigest(db)).toBe(before);
  });

  it("When a second open request is raised for the same contact, then 409 names the existing request", async () => {
    const contactId = await fx.emulator.newContact("agent.alice");
    const first = (await raise("agent.alice", contactId)).json();
    const dup = await raise("agent.alice", contactId);
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toMatchObject({ code: "DuplicateRequest", details: { requestId: first.id } });
  });

  it("When a marker is planted in a note, then it is in no log line and no audit row", async () => {
    const marker = `CANARY-${randomUUID()}`;
    const id = (await raise("agent.alice", await fx.emulator.newContact("agent.alice"), { note: marker })).json().id as string;
    await post("supervisor.sue", `/api/requests/${id}/reject`, { reasonCode: "duplicate", note: marker });
    await post("agent.alice", "/api/requests", { ...raiseBody(randomUUID(), marker), extra: marker });
    await fx.t.app.inject({ method: "GET", url: `/api/requests?contactId=${marker}`, headers: { authorization: `Bearer ${marker}` } });
    await fx.t.app.inject({ method: "GET", url: `/api/requests?status=${marker}`, headers: await as("agent.alice"), cookies: { session: marker } });
    const { db } = getDb();
    const audit = await db.selectFrom("audit_log").selectAll().execute();
    const encodings = [marker, Buffer.from(marker).toString("base64"), encodeURIComponent(marker)];
    expect(fx.t.logs.length).toBeGreaterThan(0);
    expect(fx.t.logs.filter((l) => encodings.some((e) => l.includes(e)))).toEqual([]);
    expect(audit.filter((a) => encodings.some((e) => JSON.stringify(a).includes(e)))).toEqual([]);
    const requestLines = fx.t.logs.map((l) => JSON.parse(l) as { msg?: string; requestId?: string }).filter((l) => /^(incoming request|request completed|request refused|request failed)$/.test(l.msg ?? ""));
    expect(requestLines.length).toBeGreaterThan(0);
    expect(requestLines.filter((l) => !l.requestId)).toEqual([]);
    expect(fx.t.logs.filter((l) => /authorization|Bearer ey/i.test(l) && !l.includes("[redacted]"))).toEqual([]);
  });

  it("When the events stream is opened, then it sends the view at once and again after a change", async () => {
    const id = (await raise("agent.alice", await fx.emulator.newContact("agent.alice"))).json().id as string;
    const address = await listening();
    const abort = new AbortController();
    try {
      const res = await fetch(`${address}/api/requests/${id}/events`, { headers: await as("agent.alice"), signal: abort.signal });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
      expect(res.headers.get("content-security-policy")).toMatch(/frame-ancestors/);
      const reader = res.body!.getReader();
      let text = "";
      const readUntil = async (pattern: RegExp) => {
        while (!pattern.test(text)) {
          const { value, done } = await reader.read();
          if (done) throw new Error("stream ended");
          text += new TextDecoder().decode(value);
        }
      };
      await readUntil(/"status":"pending_approval"/);
      await post("supervisor.sam", `/api/requests/${id}/approve`);
      await readUntil(/"status":"approved"/);
      expect(text.match(/event: request/g)?.length).toBeGreaterThanOrEqual(2);
    } finally {
      abort.abort();
    }
    const foreign = await fetch(`${address}/api/requests/${id}/events`, { headers: await as("agent.bob") });
    expect(foreign.status).toBe(404);
  });

  it("When the token that opened an events stream expires, then the server says so and closes the stream", async () => {
    const id = (await raise("agent.alice", await fx.emulator.newContact("agent.alice"))).json().id as string;
    const address = await listening();
    const nowS = Math.floor(Date.now() / 1000);
    const shortLived = await fx.t.issuer.sign({ iss: fx.t.issuer.issuer, aud: fx.t.issuer.audience, sub: "demo|agent.alice", preferred_username: "agent.alice", groups: ["erasure-agents"], iat: nowS, exp: nowS + 2 });
    const started = Date.now();
    const res = await fetch(`${address}/api/requests/${id}/events`, { headers: { authorization: `Bearer ${shortLived}` } });
    expect(res.status).toBe(200);
    const text = await res.text(); // resolves only when the server ends the stream
    expect(text).toMatch(/event: request/);
    expect(text).toMatch(/event: token-expired/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("When metrics are scraped, then requests by state and overdue are reported without ids or usernames", async () => {
    const text = (await fx.t.app.inject({ method: "GET", url: "/metrics" })).body;
    expect(text).toMatch(/erasure_requests\{status="approved"\} \d+/);
    expect(text).toMatch(/erasure_requests_overdue 0/);
    expect(text).toMatch(/http_requests_total\{method="POST",route="\/api\/requests\/:id\/approve",status="200"\}/);
    expect(text).not.toMatch(/agent\.alice|supervisor\.|[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  describe("readiness", () => {
    it(`When the ${dialect} store is closed, then /readyz answers 503 while /healthz stays 200`, async () => {
      const extra = await createTestDatabase(dialect);
      const probe = buildTestApp({ db: extra.db, databaseUrl: extra.databaseUrl, emulatorUrl: fx.emulator.url });
      expect((await probe.app.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(200);
      await extra.destroy();
      const res = await probe.app.inject({ method: "GET", url: "/readyz" });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe("StoreUnavailable");
      expect((await probe.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
      await probe.close();
    });
  });
});
