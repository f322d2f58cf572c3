/**
 * Per-describe fixture of the HTTP suites: a test emulator plus the app on the describe's test database,
 * started before its tests and closed after them.
 */
import { afterAll, beforeAll } from "vitest";
import { buildTestApp, startTestEmulator, type TestApp, type TestAppOptions, type TestEmulator } from "./app.ts";
import type { TestDatabase } from "./db.ts";

export interface TestAppFixture {
  /** The app; read it inside tests and hooks only (it exists once `beforeAll` ran). */
  readonly t: TestApp;
  /** The emulator the app's AWS clients talk to. */
  readonly emulator: TestEmulator;
}

/** Registers hooks that start an emulator and the app on `getDb()` for the enclosing describe, and close both. */
export function useTestApp(getDb: () => TestDatabase, options: Omit<TestAppOptions, "db" | "databaseUrl" | "emulatorUrl"> = {}): TestAppFixture {
  let t: TestApp | undefined;
  let emulator: TestEmulator | undefined;
  beforeAll(async () => {
    emulator = await startTestEmulator();
    const { db, databaseUrl } = getDb();
    t = buildTestApp({ ...options, db, databaseUrl, emulatorUrl: emulator.url });
    await t.app.ready();
  });
  afterAll(async () => {
    await t?.close();
    await emulator?.close();
  });
  const notReady = (): never => {
    throw new Error("test app not ready: use the fixture inside a test or hook");
  };
  return {
    get t() {
      return t ?? notReady();
    },
    get emulator() {
      return emulator ?? notReady();
    },
  };
}
