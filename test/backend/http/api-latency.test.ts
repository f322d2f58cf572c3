/**
 * API latency figure: GET /api/requests through `inject` (no network) with a populated store, per dialect.
 * The bounds are loose (regression guards that hold with every other suite running on two cores); the
 * printed percentiles are the figure.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, expect, it } from "vitest";
import type { Actor } from "../../../backend/domain/request.ts";
import { approveRequest, raiseRequest } from "../../../backend/requests/request-service.ts";
import { raiseBody, TEST_HMAC_KEY } from "../../support/app.ts";
import { useTestApp } from "../../support/app-fixture.ts";
import { forEachDialect } from "../../support/db.ts";

const SEEDED = 300;
const CALLS = 400;
const RAISES = 200;
const alice: Actor = { subject: "demo|agent.alice", username: "agent.alice", role: "agent" };
const sue: Actor = { subject: "demo|supervisor.sue", username: "supervisor.sue", role: "supervisor" };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

forEachDialect((dialect, getDb) => {
  const fx = useTestApp(getDb, { env: { LOG_LEVEL: "warn" } });
  beforeAll(async () => {
    const { db } = getDb();
    const now = new Date();
    for (let i = 0; i < SEEDED; i++) {
      const contactId = randomUUID();
      const { request } = await raiseRequest(db, { contactId, initialContactId: contactId, instanceId: fx.t.config.connectInstanceId, scope: { contactChain: true, customerHistory: false }, verification: { method: "other", confirmedByCustomer: true } }, alice, now, { hmacKey: TEST_HMAC_KEY });
      if (i % 2 === 0) await approveRequest(db, request.id, sue, now);
    }
  }, 120_000);

  it(`When ${CALLS} list calls are made (${dialect}), then p50/p99 are printed and p99 stays under 500 ms`, async () => {
    const headers = await fx.t.auth("supervisor.sam");
    const timings: number[] = [];
    let items = 0;
    for (let i = 0; i < CALLS; i++) {
      const started = performance.now();
      const res = await fx.t.app.inject({ method: "GET", url: "/api/requests?limit=50", headers });
      timings.push(performance.now() - started);
      expect(res.statusCode).toBe(200);
      items = res.json().items.length;
    }
    timings.sort((a, b) => a - b);
    const p50 = percentile(timings, 50);
    const p99 = percentile(timings, 99);
    process.stdout.write(`API-latency dialect=${dialect} route="GET /api/requests?limit=50" seeded=${SEEDED} items=${items} calls=${CALLS} p50_ms=${p50.toFixed(2)} p99_ms=${p99.toFixed(2)}\n`);
    expect(items).toBe(50);
    expect(p99).toBeLessThan(500);
  }, 120_000);
});

forEachDialect((dialect, getDb) => {
  const fx = useTestApp(getDb, { env: { LOG_LEVEL: "warn" } });

  it(`When ${RAISES} requests are raised (${dialect}), then p50/p99 of POST /api/requests (DescribeContact over HTTP + one transaction) are printed`, async () => {
    const headers = await fx.t.auth("agent.alice");
    const contacts: string[] = [];
    for (let i = 0; i < RAISES; i++) contacts.push(await fx.emulator.newContact("agent.alice"));
    const timings: number[] = [];
    for (const contactId of contacts) {
      const started = performance.now();
      const res = await fx.t.app.inject({ method: "POST", url: "/api/requests", headers, payload: raiseBody(contactId) });
      timings.push(performance.now() - started);
      expect(res.statusCode).toBe(201);
    }
    timings.sort((a, b) => a - b);
    const p50 = percentile(timings, 50);
    const p99 = percentile(timings, 99);
    process.stdout.write(`API-latency dialect=${dialect} route="POST /api/requests" calls=${RAISES} p50_ms=${p50.toFixed(2)} p99_ms=${p99.toFixed(2)}\n`);
    expect(p99).toBeLessThan(1000);
  }, 120_000);
});
