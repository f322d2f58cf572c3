/**
 * ASVS 8.3.2: the username → Connect user mapping is cached for at most 60 s, so a removed or changed
 * Connect user takes effect within a minute. The real SDK client talks to the emulator; a spy only counts.
 */
import { SearchUsersCommand } from "@aws-sdk/client-connect";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createAwsClients } from "../../../backend/aws/clients.ts";
import { buildTestApp, startTestEmulator, type TestApp, type TestEmulator } from "../../support/app.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";

let emulator: TestEmulator;
let store: TestDatabase;
let t: TestApp;
let now = new Date("2026-12-04T12:00:00Z").getTime();
let searches = 0;

beforeAll(async () => {
  emulator = await startTestEmulator();
  store = await createTestDatabase("sqlite");
  const probe = buildTestApp({ db: store.db, databaseUrl: store.databaseUrl, emulatorUrl: emulator.url });
  const clients = createAwsClients(probe.config, emulator.url);
  await probe.close();
  const send = clients.connect.send.bind(clients.connect);
  clients.connect.send = ((command: unknown, ...rest: unknown[]) => {
    if (command instanceof SearchUsersCommand) searches += 1;
    return (send as (...a: unknown[]) => unknown)(command, ...rest);
  }) as typeof clients.connect.send;
  t = buildTestApp({ db: store.db, databaseUrl: store.databaseUrl, emulatorUrl: emulator.url, clock: () => new Date(now), deps: { clients } });
});
afterAll(async () => {
  await t.close();
  await emulator.close();
  await store.destroy();
});

it("When the same user calls repeatedly, then SearchUsers runs once per 60 s and again after it", async () => {
  const headers = await t.auth("agent.alice");
  for (let i = 0; i < 5; i++) expect((await t.app.inject({ method: "GET", url: "/api/me", headers })).statusCode).toBe(200);
  expect(searches).toBe(1);
  now += 59_000;
  await t.app.inject({ method: "GET", url: "/api/me", headers });
  expect(searches).toBe(1);
  now += 2_000;
  const res = await t.app.inject({ method: "GET", url: "/api/me", headers });
  expect(res.json().connectUserId).toBeDefined();
  expect(searches).toBe(2);
});
