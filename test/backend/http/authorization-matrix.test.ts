/**
 * S1: every API route × method (read from the app's own OpenAPI document) × actor × object scope, each
 * cell checked against an independent model of the rules; refused cells must leave the database unchanged.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Actor } from "../../../backend/domain/request.ts";
import { SYSTEM_ACTOR } from "../../../backend/domain/request.ts";
import { approveRequest, cancelRequest, raiseRequest, transitionRequest } from "../../../backend/requests/request-service.ts";
import { buildTestApp, databaseDigest, forgeTokens, raiseBody, startTestEmulator, TEST_HMAC_KEY, type TestApp, type TestEmulator } from "../../support/app.ts";
import { forEachDialect } from "../../support/db.ts";

type Person = "A" | "B" | "S" | "T";
const PEOPLE: Record<Person, Actor> = {
  A: { subject: "demo|agent.alice", username: "agent.alice", role: "agent" },
  B: { subject: "demo|agent.bob", username: "agent.bob", role: "agent" },
  S: { subject: "demo|supervisor.sam", username: "supervisor.sam", role: "supervisor" },
  T: { subject: "demo|supervisor.sue", username: "supervisor.sue", role: "supervisor" },
};

type Kind = "pending" | "cancelled" | "failed" | "completed";
/** Object scopes for `:id` routes: a real request (owner, state), an unknown id, or a malformed one. */
type IdScope = { owner: Person; kind: Kind } | "nonexistent" | "malformed";
const ID_SCOPES: IdScope[] = [
  { owner: "A", kind: "pending" },
  { owner: "B", kind: "pending" },
  { owner: "S", kind: "pending" },
  { owner: "A", kind: "cancelled" },
  { owner: "B", kind: "cancelled" },
  { owner: "A", kind: "failed" },
  { owner: "B", kind: "failed" },
  { owner: "A", kind: "completed" },
  "nonexistent",
  "malformed",
];
/** Contact scopes for raise and preview: handled by A, by B, or unknown to Connect. */
type ContactScope = "A-contact" | "B-contact" | "unknown-contact";
const CONTACT_SCOPES: ContactScope[] = ["A-contact", "B-contact", "unknown-contact"];

type Caller = { name: string; authorization?: string | undefined; person?: Person; noRole?: boolean };

const BODIES: Record<string, unknown> = {
  "POST /api/requests/{id}/reject": { reasonCode: "duplicate" },
  "POST /api/requests/{id}/extend": { reason: "matrix extension" },
};

/** The rules, written independently of the implementation: the HTTP status each cell must produce. */
function expectedStatus(caller: Caller, route: string, scope: IdScope | ContactScope | "none"): number {
  if (!caller.person && !caller.noRole) return 401;
  if (caller.noRole) return 403;
  const me = caller.person as Person;
  const supervisor = PEOPLE[me].role === "supervisor";
  if (scope === "malformed") return 400;
  switch (route) {
    case "GET /api/me":
    case "GET /api/requests":
      return 200;
    case "GET /api/audit":
    case "GET /api/audit/verify":
      return supervisor ? 200 : 403;
    case "POST /api/requests":
      if (scope === "unknown-contact") return 404;
      return supervisor || scope === `${me}-contact` ? 201 : 403;
    case "GET /api/contacts/{contactId}/preview":
      if (scope === "unknown-contact") return 404;
      return supervisor || scope === `${me}-contact` ? 200 : 404;
  }
  const supervisorOnly = ["approve", "reject", "extend", "retry"].some((a) => route.endsWith(`/${a}`));
  if (supervisorOnly && !supervisor) return 403;
  if (scope === "nonexistent") return 404;
  const target = scope as { owner: Person; kind: Kind };
  const visible = supervisor || target.owner === me;
  if (!visible) return 404;
  const status = target.kind;
  if (route.endsWith("/approve")) return target.owner === me ? 403 : status === "pending" ? 200 : 409;
  if (route.endsWith("/reject")) return status === "pending" ? 200 : 409;
  if (route.endsWith("/cancel")) return target.owner !== me ? 403 : status === "pending" ? 200 : 409;
  if (route.endsWith("/extend")) return status === "pending" || status === "failed" ? 200 : 409;
  if (route.endsWith("/retry")) return status === "failed" ? 200 : 409;
  if (route.endsWith("/certificate")) return status === "completed" ? 200 : 409;
  return 200; // GET one request, events
}

forEachDialect((dialect, getDb) => {
  let emulator: TestEmulator;
  let t: TestApp;
  let address: string;
  beforeAll(async () => {
    emulator = await startTestEmulator();
    const { db, databaseUrl } = getDb();
    t = buildTestApp({ db, databaseUrl, emulatorUrl: emulator.url });
    address = await t.app.listen({ port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await t.close();
    await emulator.close();
  });

  /** Creates a request owned by `owner` in state `kind`, through the use cases (no HTTP, no AWS). */
  async function makeRequest(owner: Person, kind: Kind): Promise<string> {
    const { db } = getDb();
    const now = new Date();
    const contactId = randomUUID();
    const { request } = await raiseRequest(
      db,
      { contactId, initialContactId: contactId, instanceId: t.config.connectInstanceId, scope: { contactChain: true, customerHistory: false }, verification: { method: "other", confirmedByCustomer: true } },
      PEOPLE[owner],
      now,
      { hmacKey: TEST_HMAC_KEY },
    );
    if (kind === "cancelled") await cancelRequest(db, request.id, PEOPLE[owner], now);
    if (kind === "failed" || kind === "completed") {
      await approveRequest(db, request.id, owner === "T" ? PEOPLE.S : PEOPLE.T, now);
      await transitionRequest(db, request.id, "start", SYSTEM_ACTOR, now);
      await transitionRequest(db, request.id, kind === "failed" ? "fail" : "complete", SYSTEM_ACTOR, now);
    }
    return request.id;
  }

  it(`When every caller calls every route on every kind of object (${dialect}), then each cell matches the rules and refusals change nothing`, async () => {
    const { db } = getDb();
    const doc = (await t.app.inject({ method: "GET", url: "/openapi.json" })).json() as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith("/api/"))
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));

    const forged = (await forgeTokens(t.issuer, new Date())).slice(5, 15);
    const noRoleToken = await t.issuer.sign({ iss: t.issuer.issuer, aud: t.issuer.audience, sub: "demo|agent.carol", preferred_username: "agent.carol", groups: ["other-team"], exp: Math.floor(Date.now() / 1000) + 600 });
    const callers: Caller[] = [
      { name: "anonymous" },
      ...forged.map((f) => ({ name: `forged:${f.kind}`, authorization: f.authorization })),
      { name: "no-role", authorization: `Bearer ${noRoleToken}`, noRole: true },
      ...(["A", "B", "S", "T"] as Person[]).map((p) => ({ name: p, person: p })),
    ];
    const shared = new Map<string, string>();
    for (const s of ID_SCOPES) if (typeof s === "object") shared.set(`${s.owner}:${s.kind}`, await makeRequest(s.owner, s.kind));

    let cells = 0;
    let stateChanges = 0;
    const covered = new Set<string>();
    const mismatches: string[] = [];
    for (const route of routes) {
      const [method, path] = route.split(" ") as [string, string];
      const scopes: (IdScope | ContactScope | "none")[] = path.includes("{id}") ? ID_SCOPES : path.includes("{contactId}") || route === "POST /api/requests" ? CONTACT_SCOPES : ["none"];
      for (const caller of callers) {
        for (const scope of scopes) {
          const expected = expectedStatus(caller, route, scope);
          const mutating = expected < 300 && (method === "POST" || route.endsWith("/certificate"));
          let url = path;
          let payload = BODIES[route];
          if (path.includes("{id}")) {
            const id = scope === "nonexistent" ? randomUUID() : scope === "malformed" ? "1%27%20or%201=1" : mutating ? await makeRequest((scope as { owner: Person }).owner, (scope as { kind: Kind }).kind) : shared.get(`${(scope as { owner: Person }).owner}:${(scope as { kind: Kind }).kind}`)!;
            url = path.replace("{id}", id);
          }
          if (scope === "A-contact" || scope === "B-contact" || scope === "unknown-contact") {
            const contactId = scope === "unknown-contact" ? randomUUID() : await emulator.newContact(scope === "A-contact" ? "agent.alice" : "agent.bob");
            url = path.replace("{contactId}", contactId);
            if (route === "POST /api/requests") payload = raiseBody(contactId);
          }
          const authorization = caller.person ? (await t.auth(PEOPLE[caller.person].username)).authorization : caller.authorization;
          const headers: Record<string, string> = authorization !== undefined ? { authorization } : {};
          const before = mutating ? undefined : await databaseDigest(db);
          let status: number;
          let body = "";
          if (path.endsWith("/events")) {
            const abort = new AbortController();
            const res = await fetch(`${address}${url}`, { headers, signal: abort.signal });
            status = res.status;
            if (status !== 200) body = await res.text();
            abort.abort();
          } else {
            const res = await t.app.inject({ method: method as "GET" | "POST", url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
            status = res.statusCode;
            body = res.body;
            if (route === "GET /api/requests" && status === 200 && caller.person && PEOPLE[caller.person].role === "agent") {
              const foreign = (res.json().items as { requestedBy: string }[]).filter((r) => r.requestedBy !== PEOPLE[caller.person!].username);
              if (foreign.length > 0) mismatches.push(`${caller.name} ${route}: list shows ${foreign.length} foreign requests`);
            }
          }
          if (before !== undefined && (await databaseDigest(db)) !== before) {
            stateChanges += 1;
            mismatches.push(`${caller.name} ${route} ${JSON.stringify(scope)}: state changed`);
          }
          cells += 1;
          covered.add(route);
          if (status !== expected) mismatches.push(`${caller.name} ${route} ${JSON.stringify(scope)}: expected ${expected}, got ${status} ${body.slice(0, 160)}`);
          if (status >= 400 && body && !/"error":\{"code":"[A-Za-z]+","message":"[^"]+"/.test(body)) mismatches.push(`${caller.name} ${route}: error body shape ${body.slice(0, 120)}`);
        }
      }
    }
    // ASVS 4.1.4: methods a path does not support answer 405 with Allow, whoever asks and whatever the id.
    const paths = [...new Set(routes.map((r) => r.split(" ")[1]!))];
    for (const path of paths) {
      const supported = routes.filter((r) => r.endsWith(` ${path}`)).map((r) => r.split(" ")[0]!);
      for (const method of ["PUT", "DELETE", "PATCH", "GET", "POST"].filter((m) => !supported.includes(m))) {
        for (const caller of callers) {
          const url = path.replace("{id}", randomUUID()).replace("{contactId}", randomUUID());
          const authorization = caller.person ? (await t.auth(PEOPLE[caller.person].username)).authorization : caller.authorization;
          const res = await t.app.inject({ method: method as "PUT", url, headers: authorization !== undefined ? { authorization } : {} });
          cells += 1;
          if (res.statusCode !== 405 || res.headers.allow !== [...supported].sort().join(", ")) {
            mismatches.push(`${caller.name} ${method} ${path}: expected 405 Allow ${supported.join(", ")}, got ${res.statusCode} ${String(res.headers.allow)}`);
          }
        }
      }
    }
    const coveredPct = Math.round((covered.size / routes.length) * 100);
    process.stdout.write(`S1 dialect=${dialect} cells=${cells} routes=${routes.length} callers=${callers.length} mismatches=${mismatches.length} state_changes=${stateChanges} routes_covered_pct=${coveredPct} => ${mismatches.length === 0 && coveredPct === 100 ? "PASS" : "FAIL"}\n`);
    expect(mismatches).toEqual([]);
    expect(cells).toBeGreaterThanOrEqual(1000);
    expect(coveredPct).toBe(100);
  }, 300_000);
});
