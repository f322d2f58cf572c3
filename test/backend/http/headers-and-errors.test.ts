import { afterAll, beforeAll, expect, it } from "vitest";
import { forEachDialect } from "../../support/db.ts";
import { buildTestApp, type TestApp } from "../../support/app.ts";

/** S4: headers every response must carry, whatever its route or status. */
function missingSecurityHeaders(headers: Record<string, unknown>, api: boolean): string[] {
  const missing: string[] = [];
  const csp = String(headers["content-security-policy"] ?? "");
  for (const part of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors https://example.my.connect.aws http://localhost:8081"]) {
    if (!csp.includes(part)) missing.push(`csp:${part}`);
  }
  if (/frame-ancestors[^;]*('self'|\*)/.test(csp)) missing.push("csp:frame-ancestors too wide");
  if (headers["x-frame-options"] !== undefined) missing.push("x-frame-options present");
  if (headers["x-content-type-options"] !== "nosniff") missing.push("nosniff");
  if (headers["referrer-policy"] !== "no-referrer") missing.push("referrer-policy");
  if (!/max-age=(\d+)/.test(String(headers["strict-transport-security"])) || Number(/max-age=(\d+)/.exec(String(headers["strict-transport-security"]))?.[1]) < 31536000) missing.push("hsts");
  if (api && headers["cache-control"] !== "no-store") missing.push("cache-control");
  if (!headers["x-request-id"]) missing.push("x-request-id");
  return missing;
}

forEachDialect((_dialect, getDb) => {
  let t: TestApp;
  beforeAll(async () => {
    const { db, databaseUrl } = getDb();
    // Port 9 (discard) on loopback: nothing listens, so any AWS call fails fast with a network error.
    t = buildTestApp({ db, databaseUrl, emulatorUrl: "http://127.0.0.1:9" });
    await t.app.ready();
  });
  afterAll(async () => {
    await t.close();
  });

  it("When responses of every kind are sent (200, 401, 404, 405, 415, 400, 5xx), then each carries all security headers", async () => {
    const token = await t.auth("agent.alice");
    const cases = [
      { method: "GET", url: "/healthz", status: 200 },
      { method: "GET", url: "/openapi.json", status: 200 },
      { method: "GET", url: "/metrics", status: 200 },
      { method: "GET", url: "/api/requests", status: 401 },
      { method: "GET", url: "/nope", status: 404 },
      { method: "DELETE", url: "/api/requests", status: 405 },
      { method: "PUT", url: "/api/requests/00000000-0000-4000-8000-000000000000/approve", status: 405 },
      { method: "POST", url: "/demo/token", status: 415, payload: "username=x", headers: { "content-type": "text/plain" } },
      { method: "POST", url: "/demo/token", status: 400, payload: "{not json", headers: { "content-type": "application/json" } },
      { method: "GET", url: "/readyz", status: 200 },
      { method: "GET", url: "/api/me", status: 5, headers: token },
    ] as const;
    let responses = 0;
    const problems: string[] = [];
    for (const c of cases) {
      const res = await t.app.inject({ method: c.method, url: c.url, ...("payload" in c ? { payload: c.payload } : {}), headers: { ...("headers" in c ? c.headers : {}) } });
      responses += 1;
      if (res.statusCode !== c.status && Math.floor(res.statusCode / 100) !== c.status) problems.push(`${c.method} ${c.url}: status ${res.statusCode}`);
      for (const m of missingSecurityHeaders(res.headers, true)) problems.push(`${c.method} ${c.url}: ${m}`);
    }
    expect(problems).toEqual([]);
    expect(responses).toBe(cases.length);
  });

  it("When an unknown method hits a known path, then 405 names the allowed methods", async () => {
    const res = await t.app.inject({ method: "DELETE", url: "/api/requests" });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe("GET, POST");
    expect(res.json().error.code).toBe("MethodNotAllowed");
  });

  it("When AWS is unreachable, then the 5xx body is generic and carries the request id only", async () => {
    const res = await t.app.inject({ method: "GET", url: "/api/me", headers: await t.auth("agent.alice") });
    // A refused connection is classified by aws-errors.ts (502 or 503); either way the body is generic.
    expect([502, 503]).toContain(res.statusCode);
    const body = res.json();
    expect(["Service temporarily unavailable; retry later", "An upstream service refused the request"]).toContain(body.error.message);
    expect(body.error.requestId).toBe(res.headers["x-request-id"]);
    expect(JSON.stringify(body)).not.toMatch(/SearchUsers|ECONNREFUSED|at |\/work\//);
  });

  it("When a cross-origin preflight comes from an allowed origin, then it is answered; from null or another origin it is refused", async () => {
    const pre = (origin: string) =>
      t.app.inject({ method: "OPTIONS", url: "/api/requests", headers: { origin, "access-control-request-method": "POST" } });
    const ok = await pre("https://app.example.com");
    expect(ok.statusCode).toBe(204);
    expect(ok.headers["access-control-allow-origin"]).toBe("https://app.example.com");
    for (const origin of ["null", "https://evil.example"]) {
      const res = await pre(origin);
      expect(res.statusCode).toBe(403);
      expect(res.headers["access-control-allow-origin"]).toBeUndefined();
    }
  });

  it("When the OpenAPI document is read, then it lists every API route with its schemas", async () => {
    const doc = (await t.app.inject({ method: "GET", url: "/openapi.json" })).json();
    expect(doc.openapi).toBe("3.1.0");
    for (const path of ["/api/me", "/api/requests", "/api/requests/{id}", "/api/requests/{id}/approve", "/api/requests/{id}/events", "/api/audit", "/api/audit/verify", "/healthz", "/readyz"]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.paths["/api/requests"].post.requestBody.content["application/json"].schema.additionalProperties).toBe(false);
  });
});
