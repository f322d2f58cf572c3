/**
 * The built front end is served with the API's headers (S4, static), and forced internal failures answer
 * a generic 5xx with a correlation id while the log line keeps the cause (S8).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, startTestEmulator, TEST_HMAC_KEY, type TestEmulator } from "../../support/app.ts";
import { createTestDatabase, DIALECTS, postgresAvailable, type TestDatabase } from "../../support/db.ts";

describe("static front end", () => {
  let dist: string;
  let store: TestDatabase;
  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), "ce-dist-"));
    mkdirSync(join(dist, "assets"));
    writeFileSync(join(dist, "index.html"), "<!doctype html><title>Connect Erasure</title><script type=module src=/assets/app.js></script>");
    writeFileSync(join(dist, "harness.html"), "<!doctype html><title>harness</title>");
    writeFileSync(join(dist, "assets", "app.js"), "export {};");
    store = await createTestDatabase("sqlite");
  });
  afterAll(async () => {
    rmSync(dist, { recursive: true, force: true });
    await store.destroy();
  });

  it("When the app shell and an asset are fetched, then both carry the CSP; the hashed asset may be cached, the shell may not", async () => {
    const t = buildTestApp({ db: store.db, databaseUrl: store.databaseUrl, emulatorUrl: "http://127.0.0.1:9", deps: { distDir: dist } });
    const shell = await t.app.inject({ method: "GET", url: "/" });
    expect(shell.statusCode).toBe(200);
    expect(shell.headers["content-type"]).toMatch(/text\/html/);
    expect(shell.headers["content-security-policy"]).toMatch(/frame-ancestors https:\/\/example\.my\.connect\.aws http:\/\/localhost:8081/);
    expect(shell.headers["x-frame-options"]).toBeUndefined();
    expect(shell.headers["cache-control"]).toBe("no-store");
    const asset = await t.app.inject({ method: "GET", url: "/assets/app.js" });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(asset.headers["x-content-type-options"]).toBe("nosniff");
    const missing = await t.app.inject({ method: "GET", url: "/assets/nope.js" });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers["content-security-policy"]).toBeDefined();
    expect(missing.json().error.code).toBe("NotFound");
    expect((await t.app.inject({ method: "GET", url: "/harness.html" })).statusCode).toBe(200);
    await t.close();
  });

  it("When production mode serves the build, then the harness page is not reachable", async () => {
    const t = buildTestApp({
      db: store.db,
      databaseUrl: store.databaseUrl,
      emulatorUrl: "http://127.0.0.1:9",
      env: { ERASURE_MODE: "production", OIDC_ISSUER: "https://idp.example", OIDC_AUDIENCE: "api", AUDIT_HMAC_KEY: TEST_HMAC_KEY },
      deps: { distDir: dist },
    });
    expect((await t.app.inject({ method: "GET", url: "/" })).statusCode).toBe(200);
    expect((await t.app.inject({ method: "GET", url: "/harness.html" })).statusCode).toBe(404);
    await t.close();
  });
});

describe("forced internal failures", () => {
  let emulator: TestEmulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(async () => {
    await emulator.close();
  });

  for (const dialect of DIALECTS.filter((d) => d === "sqlite" || postgresAvailable)) {
    it(`When the ${dialect} store fails under every API route, then each answer is a generic 5xx with a correlation id and the log keeps the cause`, async () => {
      const store = await createTestDatabase(dialect);
      const t = buildTestApp({ db: store.db, databaseUrl: store.databaseUrl, emulatorUrl: emulator.url });
      const contactId = await emulator.newContact("agent.alice");
      const agent = await t.auth("agent.alice");
      const supervisor = await t.auth("supervisor.sam");
      await store.destroy();
      const id = "00000000-0000-4000-8000-000000000000";
      const calls = [
        { method: "GET", url: "/api/requests", headers: agent },
        { method: "GET", url: `/api/requests/${id}`, headers: agent },
        { method: "POST", url: "/api/requests", headers: agent, payload: { contactId, scope: { contactChain: true, customerHistory: false }, verification: { method: "other", confirmedByCustomer: true } } },
        { method: "POST", url: `/api/requests/${id}/approve`, headers: supervisor },
        { method: "POST", url: `/api/requests/${id}/reject`, headers: supervisor, payload: { reasonCode: "other" } },
        { method: "POST", url: `/api/requests/${id}/cancel`, headers: agent },
        { method: "POST", url: `/api/requests/${id}/extend`, headers: supervisor, payload: { reason: "why not" } },
        { method: "POST", url: `/api/requests/${id}/retry`, headers: supervisor },
        { method: "GET", url: "/api/audit", headers: supervisor },
        { method: "GET", url: "/api/audit/verify", headers: supervisor },
        { method: "GET", url: `/api/requests/${id}/certificate`, headers: supervisor },
        { method: "GET", url: "/metrics", headers: {} },
        { method: "GET", url: "/readyz", headers: {} },
      ] as const;
      let leaks = 0;
      let correlated = 0;
      const statuses: number[] = [];
      for (const c of calls) {
        const res = await t.app.inject({ method: c.method, url: c.url, headers: c.headers, ...("payload" in c ? { payload: c.payload } : {}) });
        statuses.push(res.statusCode);
        const body = res.json() as { error: { message: string; requestId: string } };
        if (/select|insert|update|sqlite|postgres|\/work\/|node_modules|at \w+ \(|Error:/i.test(res.body)) leaks += 1;
        const logged = t.logs.some((l) => l.includes(body.error.requestId) && /request failed/.test(l) && /"stack"/.test(l));
        if (body.error.requestId === res.headers["x-request-id"] && logged) correlated += 1;
      }
      process.stdout.write(`S8-http dialect=${dialect} failures=${calls.length} leaks=${leaks} correlation_id_pct=${Math.round((correlated / calls.length) * 100)}\n`);
      expect(statuses.every((s) => s >= 500)).toBe(true);
      expect(leaks).toBe(0);
      expect(correlated).toBe(calls.length);
      await t.close();
    });
  }
});
