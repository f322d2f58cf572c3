/**
 * S3 (CI size): seeded mutation fuzzing of every writing endpoint and of path and query input. Every
 * input targets an unknown contact or request, so even a well-formed one cannot change state: the database
 * digest must be identical afterwards, no answer may be a 5xx, and no promise may be left unhandled.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestApp, databaseDigest, raiseBody, startTestEmulator, type TestApp, type TestEmulator } from "../../support/app.ts";
import { forEachDialect } from "../../support/db.ts";
import { seededRandom as prng } from "../../../backend/emulator/faults.ts";

const PER_ENDPOINT = 1000;

const NASTY_STRINGS = [
  "", " ", "\u0000", "\r\nSet-Cookie: x=1", "\u202eevil", "\ud800", "é".repeat(600), "'; DROP TABLE erasure_requests; --",
  "../../../../etc/passwd", "%00", "${jndi:ldap://x}", "<script>alert(1)</script>", "0", "-1", "1e309", "true", "null",
  "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "x".repeat(20_000),
];

function randomValue(rand: () => number, depth = 0): unknown {
  const pick = Math.floor(rand() * 9);
  switch (pick) {
    case 0: return NASTY_STRINGS[Math.floor(rand() * NASTY_STRINGS.length)];
    case 1: return Math.floor(rand() * 2 ** 53) * (rand() < 0.5 ? -1 : 1);
    case 2: return rand() < 0.5;
    case 3: return null;
    case 4: return rand() * 1e308;
    case 5: return depth < 3 ? [randomValue(rand, depth + 1), randomValue(rand, depth + 1)] : [];
    case 6: return depth < 3 ? { [NASTY_STRINGS[Math.floor(rand() * 8)] ?? "k"]: randomValue(rand, depth + 1) } : {};
    case 7: return randomUUID();
    default: return "a".repeat(Math.floor(rand() * 700));
  }
}

function setPath(obj: Record<string, unknown>, path: string[], value: unknown): void {
  let cur: Record<string, unknown> = obj;
  for (const key of path.slice(0, -1)) {
    if (typeof cur[key] !== "object" || cur[key] === null) cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  }
  cur[path[path.length - 1]!] = value;
}

const FIELD_PATHS: Record<string, string[][]> = {
  raise: [["contactId"], ["scope"], ["scope", "contactChain"], ["scope", "customerHistory"], ["verification"], ["verification", "method"], ["verification", "confirmedByCustomer"], ["note"]],
  reject: [["reasonCode"], ["note"]],
  extend: [["reason"]],
  approve: [["x"]],
};

/** One mutated request body (as raw text, since some mutations are not valid JSON at all). */
function mutate(rand: () => number, base: Record<string, unknown>, fields: string[][]): { body: string; contentType: string } {
  const copy = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
  const op = Math.floor(rand() * 10);
  const field = fields[Math.floor(rand() * fields.length)] ?? ["x"];
  if (op <= 3) setPath(copy, field, randomValue(rand));
  else if (op === 4) delete copy[field[0]!];
  else if (op === 5) copy[["__proto__", "constructor", "status", "approvedBy", "requestedBy", "id", "version"][Math.floor(rand() * 7)]!] = randomValue(rand);
  else if (op === 6) return { body: `{"a":${"[".repeat(2000 + Math.floor(rand() * 5000))}1${"]".repeat(2000)}`, contentType: "application/json" };
  else if (op === 7) return { body: Buffer.from(Array.from({ length: 64 }, () => Math.floor(rand() * 256))).toString("latin1"), contentType: "application/json" };
  else if (op === 8) return { body: JSON.stringify(copy).replace(/^\{/, `{"note":"a","note":"b",`), contentType: "application/json" };
  else return { body: JSON.stringify(copy), contentType: ["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/json; charset=utf-16"][Math.floor(rand() * 4)]! };
  return { body: JSON.stringify(copy), contentType: "application/json" };
}

forEachDialect((dialect, getDb) => {
  let emulator: TestEmulator;
  let t: TestApp;
  let unhandled = 0;
  const onUnhandled = () => {
    unhandled += 1;
  };
  beforeAll(async () => {
    emulator = await startTestEmulator();
    const { db, databaseUrl } = getDb();
    t = buildTestApp({ db, databaseUrl, emulatorUrl: emulator.url, env: { LOG_LEVEL: "warn" } });
    process.on("unhandledRejection", onUnhandled);
  });
  afterAll(async () => {
    process.off("unhandledRejection", onUnhandled);
    await t.close();
    await emulator.close();
  });

  it(`When ${PER_ENDPOINT} mutated inputs hit each endpoint (${dialect}), then none is a 5xx and nothing changes`, async () => {
    const { db } = getDb();
    const rand = prng(dialect === "sqlite" ? 17 : 23);
    const agent = await t.auth("agent.alice");
    const supervisor = await t.auth("supervisor.sam");
    const unknown = randomUUID();
    const endpoints = [
      { name: "raise", url: "/api/requests", headers: agent, base: raiseBody(randomUUID()) },
      { name: "reject", url: `/api/requests/${unknown}/reject`, headers: supervisor, base: { reasonCode: "other", note: "n" } },
      { name: "extend", url: `/api/requests/${unknown}/extend`, headers: supervisor, base: { reason: "because" } },
      { name: "approve", url: `/api/requests/${unknown}/approve`, headers: supervisor, base: {} },
    ];
    const before = await databaseDigest(db);
    // Warm-up (JIT, schema compilation, connection pools) so the memory figure measures growth, not start-up.
    for (let i = 0; i < 200; i++) {
      const { body, contentType } = mutate(prng(i), endpoints[0]!.base, FIELD_PATHS.raise ?? []);
      await t.app.inject({ method: "POST", url: endpoints[0]!.url, headers: { ...agent, "content-type": contentType }, payload: body });
    }
    const rssBefore = process.memoryUsage().rss;
    const timings: number[] = [];
    const fivexx: string[] = [];
    let inputs = 0;
    for (const e of endpoints) {
      for (let i = 0; i < PER_ENDPOINT; i++) {
        const { body, contentType } = mutate(rand, e.base, FIELD_PATHS[e.name] ?? [["x"]]);
        const started = performance.now();
        const res = await t.app.inject({ method: "POST", url: e.url, headers: { ...e.headers, "content-type": contentType }, payload: body });
        timings.push(performance.now() - started);
        inputs += 1;
        if (res.statusCode >= 500) fivexx.push(`${e.name} ${res.statusCode} ${body.slice(0, 80)}`);
      }
    }
    // Path ids and query strings.
    for (let i = 0; i < PER_ENDPOINT; i++) {
      // Lone surrogates cannot be percent-encoded; they travel as raw invalid UTF-8 escapes instead.
      const v = String(randomValue(rand)).slice(0, 300).replace(/[\ud800-\udfff]/g, "");
      const raw = rand() < 0.1 ? "%ED%A0%80%zz" : "";
      const url = i % 2 === 0 ? `/api/requests/${encodeURIComponent(v)}${raw}` : `/api/requests?${["status", "contactId", "limit", "x"][i % 4]!}=${encodeURIComponent(v)}${raw}`;
      const started = performance.now();
      const res = await t.app.inject({ method: "GET", url, headers: agent });
      timings.push(performance.now() - started);
      inputs += 1;
      if (res.statusCode >= 500) fivexx.push(`GET ${res.statusCode} ${url.slice(0, 80)}`);
    }
    timings.sort((a, b) => a - b);
    const p99 = timings[Math.floor(timings.length * 0.99)] ?? 0;
    const hashChanged = (await databaseDigest(db)) !== before;
    const rssGrowthMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    process.stdout.write(
      `S3 dialect=${dialect} inputs=${inputs} status_5xx=${fivexx.length} unhandled_rejections=${unhandled} db_hash_changed=${hashChanged ? 1 : 0} p99_reject_ms=${p99.toFixed(1)} rss_growth_mb=${rssGrowthMb.toFixed(1)} => ${fivexx.length === 0 && unhandled === 0 && !hashChanged && p99 < 200 ? "PASS" : "FAIL"}\n`,
    );
    expect(fivexx).toEqual([]);
    expect(unhandled).toBe(0);
    expect(hashChanged).toBe(false);
    expect(p99).toBeLessThan(200);
  }, 300_000);
});
