/**
 * Hostile and malformed input: each gets a 4xx with a clear message naming the problem, the standard error
 * shape, and leaves every table exactly as it was.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestApp, databaseDigest, forgeTokens, raiseBody, startTestEmulator, type TestApp, type TestEmulator } from "../../support/app.ts";
import { forEachDialect } from "../../support/db.ts";

interface BadCase {
  name: string;
  method?: "GET" | "POST";
  url?: string;
  body?: string;
  contentType?: string;
  /** Authorization override; default a valid agent token. */
  authorization?: string | undefined;
  extraHeaders?: Record<string, string>;
  status: number;
  message: RegExp;
}

forEachDialect((dialect, getDb) => {
  let emulator: TestEmulator;
  let t: TestApp;
  let contactId: string;
  let pendingId: string;
  beforeAll(async () => {
    emulator = await startTestEmulator();
    const { db, databaseUrl } = getDb();
    t = buildTestApp({ db, databaseUrl, emulatorUrl: emulator.url });
    contactId = await emulator.newContact("agent.alice");
    const raised = await t.app.inject({ method: "POST", url: "/api/requests", headers: await t.auth("agent.alice"), payload: raiseBody(await emulator.newContact("agent.alice")) });
    pendingId = raised.json().id as string;
  });
  afterAll(async () => {
    await t.close();
    await emulator.close();
  });

  it(`When malformed, oversized, mistyped or unauthenticated requests arrive (${dialect}), then each is a clear 4xx and nothing changes`, async () => {
    const valid = raiseBody(contactId);
    const json = (v: unknown) => JSON.stringify(v);
    const deep = "[".repeat(8_000) + "]".repeat(8_000); // as deep as the 16 KB body limit allows
    const cases: BadCase[] = [
      { name: "malformed JSON", body: '{"contactId": ', status: 400, message: /not valid JSON/ },
      { name: "empty JSON body", body: "", status: 400, message: /empty/ },
      { name: "JSON array", body: "[]", status: 400, message: /body must be object/ },
      { name: "text/plain", body: json(valid), contentType: "text/plain", status: 415, message: /application\/json/ },
      { name: "form encoded", body: "contactId=x", contentType: "application/x-www-form-urlencoded", status: 415, message: /application\/json/ },
      { name: "no content type", body: json(valid), contentType: "", status: 415, message: /application\/json/ },
      { name: "oversized body", body: json({ ...valid, note: "x".repeat(20_000) }), status: 413, message: /exceeds the limit of 16384 bytes/ },
      { name: "8k-deep JSON", body: deep, status: 400, message: /body must be object/ },
      { name: "unknown field", body: json({ ...valid, status: "approved" }), status: 400, message: /unknown field "status"/ },
      { name: "mass assignment of requester", body: json({ ...valid, requestedBy: "supervisor.sam" }), status: 400, message: /unknown field "requestedBy"/ },
      { name: "unknown nested field", body: json({ ...valid, scope: { contactChain: true, customerHistory: false, all: true } }), status: 400, message: /body\.scope has an unknown field "all"/ },
      { name: "__proto__ key", body: '{"__proto__":{"admin":true},"contactId":"x"}', status: 400, message: /not valid JSON/ },
      { name: "constructor.prototype key", body: '{"constructor":{"prototype":{"admin":true}}}', status: 400, message: /not valid JSON/ },
      { name: "wrong type: contactId number", body: json({ ...valid, contactId: 42 }), status: 400, message: /body\.contactId must be string/ },
      { name: "wrong type: customerHistory string", body: json({ ...valid, scope: { contactChain: true, customerHistory: "true" } }), status: 400, message: /body\.scope\.customerHistory must be boolean/ },
      { name: "contactChain false", body: json({ ...valid, scope: { contactChain: false, customerHistory: false } }), status: 400, message: /body\.scope\.contactChain/ },
      { name: "not confirmed by customer", body: json({ ...valid, verification: { method: "other", confirmedByCustomer: false } }), status: 400, message: /confirmedByCustomer/ },
      { name: "unknown verification method", body: json({ ...valid, verification: { method: "guess", confirmedByCustomer: true } }), status: 400, message: /body\.verification\.method is not one of the allowed values/ },
      { name: "missing verification", body: json({ contactId, scope: valid.scope }), status: 400, message: /body\.verification is required/ },
      { name: "non-UUID contact id", body: json({ ...valid, contactId: "../../etc/passwd" }), status: 400, message: /body\.contactId has the wrong format \(expected a UUID\)/ },
      { name: "SQL in contact id", body: json({ ...valid, contactId: "' OR 1=1 --" }), status: 400, message: /expected a UUID/ },
      { name: "NUL in contact id", body: json({ ...valid, contactId: "\u0000" }), status: 400, message: /expected a UUID/ },
      { name: "note over 500 chars", body: json({ ...valid, note: "n".repeat(501) }), status: 400, message: /body\.note must be at most 500 characters/ },
      { name: "unknown contact", body: json({ ...valid, contactId: randomUUID() }), status: 404, message: /No such contact/ },
      { name: "non-UUID request id", method: "GET", url: "/api/requests/123", status: 400, message: /params\.id has the wrong format \(expected a UUID\)/ },
      { name: "SQL in request id", method: "GET", url: "/api/requests/1'%20or%20'1'='1", status: 400, message: /expected a UUID/ },
      { name: "unknown request id", method: "GET", url: `/api/requests/${randomUUID()}`, status: 404, message: /No such erasure request/ },
      { name: "unknown list filter", method: "GET", url: "/api/requests?owner=bob", status: 400, message: /querystring has an unknown field "owner"/ },
      { name: "bad status filter", method: "GET", url: "/api/requests?status=deleted", status: 400, message: /querystring\.status is not one of the allowed values/ },
      { name: "limit out of range", method: "GET", url: "/api/requests?limit=100000", status: 400, message: /querystring\.limit/ },
      { name: "approve with a body field", url: `/api/requests/${randomUUID()}/approve`, body: json({ approvedBy: "x" }), authorization: "supervisor", status: 400, message: /unknown field "approvedBy"/ },
      { name: "reject without reason", url: `/api/requests/${randomUUID()}/reject`, body: json({}), authorization: "supervisor", status: 400, message: /body\.reasonCode is required/ },
      { name: "reject with unknown reason", url: `/api/requests/${randomUUID()}/reject`, body: json({ reasonCode: "because" }), authorization: "supervisor", status: 400, message: /reasonCode is not one of the allowed values/ },
      { name: "extend with short reason", url: `/api/requests/${randomUUID()}/extend`, body: json({ reason: "x" }), authorization: "supervisor", status: 400, message: /body\.reason must be at least 3 characters/ },
      { name: "demo token for unknown user", url: "/demo/token", body: json({ username: "mallory" }), authorization: undefined, status: 400, message: /Unknown demo user/ },
      { name: "idempotency key with space", body: json(valid), extraHeaders: { "idempotency-key": "a b" }, status: 400, message: /Header idempotency-key must be 1 to 128 printable characters/ },
      { name: "wrong method", method: "GET", url: "/api/requests/00000000-0000-4000-8000-000000000000/approve", status: 405, message: /not allowed here; use POST/ },
      { name: "extend already extended twice", url: "PENDING/extend", body: json({ reason: "second time" }), authorization: "supervisor", status: 409, message: /already been extended/ },
    ];
    for (const f of await forgeTokens(t.issuer, new Date())) {
      cases.push({ name: `token: ${f.kind}`, method: "GET", url: "/api/requests", authorization: f.authorization, status: 401, message: new RegExp(f.message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) });
      cases.push({ name: `token on raise: ${f.kind}`, body: json(valid), authorization: f.authorization, status: 401, message: new RegExp(f.message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) });
    }
    // The one allowed extension happens first, so the last case sees a second attempt.
    await t.app.inject({ method: "POST", url: `/api/requests/${pendingId}/extend`, headers: await t.auth("supervisor.sam"), payload: { reason: "first extension" } });

    const { db } = getDb();
    const agent = (await t.auth("agent.alice")).authorization;
    const supervisor = (await t.auth("supervisor.sam")).authorization;
    const before = await databaseDigest(db);
    const problems: string[] = [];
    let maxMs = 0;
    let status5xx = 0;
    let forgedCount = 0;
    let forged401 = 0;
    for (const c of cases) {
      const authorization = c.authorization === "supervisor" ? supervisor : "authorization" in c ? c.authorization : agent;
      const contentType = c.contentType ?? (c.body !== undefined ? "application/json" : undefined);
      const started = performance.now();
      const res = await t.app.inject({
        method: c.method ?? "POST",
        url: (c.url ?? "/api/requests").replace("PENDING", `/api/requests/${pendingId}`),
        headers: { ...(authorization !== undefined ? { authorization } : {}), ...(contentType ? { "content-type": contentType } : {}), ...c.extraHeaders },
        ...(c.body !== undefined ? { payload: c.body } : {}),
      });
      maxMs = Math.max(maxMs, performance.now() - started);
      if (res.statusCode >= 500) status5xx += 1;
      if (c.name.startsWith("token")) {
        forgedCount += 1;
        if (res.statusCode === 401) forged401 += 1;
      }
      const body = res.json() as { error?: { code?: string; message?: string; requestId?: string } };
      if (res.statusCode !== c.status) problems.push(`${c.name}: status ${res.statusCode} (${body.error?.message})`);
      else if (!c.message.test(body.error?.message ?? "")) problems.push(`${c.name}: message "${body.error?.message}"`);
      if (!body.error?.code || !body.error.requestId) problems.push(`${c.name}: error shape ${res.body.slice(0, 100)}`);
    }
    const hashChanged = (await databaseDigest(db)) !== before;
    process.stdout.write(`S3-http dialect=${dialect} inputs=${cases.length} status_5xx=${status5xx} db_hash_changed=${hashChanged ? 1 : 0} mismatches=${problems.length} max_reject_ms=${maxMs.toFixed(1)} => ${problems.length === 0 && !hashChanged ? "PASS" : "FAIL"}\n`);
    let validAccepted = 0;
    for (const user of ["agent.alice", "agent.bob", "supervisor.sam", "supervisor.sue"]) {
      if ((await t.app.inject({ method: "GET", url: "/api/me", headers: await t.auth(user) })).statusCode === 200) validAccepted += 1;
    }
    process.stdout.write(`S2 dialect=${dialect} forged=${forgedCount} rejected_401_pct=${Math.round((forged401 / forgedCount) * 100)} status_5xx=${status5xx} state_changes=${hashChanged ? 1 : 0} valid_accepted_pct=${validAccepted * 25}\n`);
    expect(validAccepted).toBe(4);
    expect(problems).toEqual([]);
    expect(hashChanged).toBe(false);
  });
});
