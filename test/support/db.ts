/**
 * Fresh, migrated databases for integration tests, on both dialects (like Kysely's own DIALECTS loop).
 * SQLite: a temp file under os.tmpdir(). PostgreSQL: `CREATE DATABASE ce_test_<random>` on the local server,
 * dropped afterwards. Without a reachable PostgreSQL the postgres cases are skipped with one loud line,
 * unless `CI` is set: then the test file fails.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import type { Kysely } from "kysely";
import { migrateToLatest, openDatabase, type DialectName, type OpenDatabaseOptions } from "../../backend/store/database.ts";
import type { Database } from "../../backend/store/schema.ts";

export type { DialectName };
export const DIALECTS: readonly DialectName[] = ["sqlite", "postgres"];

/** The server every test database is created on (trust auth, user postgres). */
export const POSTGRES_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/test";

async function probePostgres(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("select 1");
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const postgresProblem = await probePostgres();
if (postgresProblem !== undefined) {
  if (process.env.CI) {
    throw new Error(`PostgreSQL is required in CI but unreachable at ${POSTGRES_ADMIN_URL}: ${postgresProblem}`);
  }
  console.warn(`\n*** SKIP (no PostgreSQL) postgres test cases skipped: ${POSTGRES_ADMIN_URL} unreachable (${postgresProblem}) ***\n`);
}

/** True when the local PostgreSQL answered. */
export const postgresAvailable = postgresProblem === undefined;

/** Drops test databases older than two hours that nobody is connected to (left by killed runs). */
async function sweepStaleDatabases(): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    const cutoff = Math.floor(Date.now() / 1000) - 2 * 3600;
    const stale = await client.query<{ datname: string }>(
      `select d.datname from pg_database d
        where d.datname ~ '^ce_test_[0-9]+_[0-9a-f]+$'
          and split_part(d.datname, '_', 3)::bigint < $1
          and not exists (select 1 from pg_stat_activity a where a.datname = d.datname)`,
      [cutoff],
    );
    for (const { datname } of stale.rows) await client.query(`DROP DATABASE IF EXISTS ${datname}`).catch(() => undefined);
  } finally {
    await client.end();
  }
}

if (postgresAvailable) await sweepStaleDatabases().catch(() => undefined);

export interface TestDatabase {
  dialect: DialectName;
  /** Pass this to the app (`parseConfig({ DATABASE_URL })`) to share the database. */
  databaseUrl: string;
  db: Kysely<Database>;
  /** Closes the connection and deletes the database. */
  destroy(): Promise<void>;
}

/** Creates and migrates a brand-new database of the given dialect. */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "ce-test-"));
    const databaseUrl = `sqlite:${join(dir, "erasure.db")}`;
    return openMigrated(dialect, databaseUrl, {}, () => rmSync(dir, { recursive: true, force: true }));
  }
  // The creation time in the name lets a later run sweep databases a killed run left behind.
  const name = `ce_test_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString("hex")}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const databaseUrl = POSTGRES_ADMIN_URL.replace(/\/test$/, `/${name}`);
  return openMigrated(dialect, databaseUrl, { poolSize: 10 }, () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** Opens and migrates `databaseUrl`; `destroy` closes the connection before `dropStorage`, which needs it gone. */
async function openMigrated(
  dialect: DialectName,
  databaseUrl: string,
  options: OpenDatabaseOptions,
  dropStorage: () => void | Promise<void>,
): Promise<TestDatabase> {
  const store = openDatabase(databaseUrl, options);
  await migrateToLatest(store.db);
  return {
    dialect,
    databaseUrl,
    db: store.db,
    destroy: async () => {
      await store.close();
      await dropStorage();
    },
  };
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * Declares `body` once per dialect inside `describe(<dialect>)`, with one fresh migrated database per
 * dialect for the whole file; `getDb()` returns it inside tests and hooks. Postgres blocks are skipped (not
 * silently: see the module's loud line) when the server is unreachable outside CI.
 */
export function forEachDialect(body: (dialect: DialectName, getDb: () => TestDatabase) => void): void {
  for (const dialect of DIALECTS) {
    describe.skipIf(dialect === "postgres" && !postgresAvailable)(dialect, () => {
      let current: TestDatabase | undefined;
      beforeAll(async () => {
        current = await createTestDatabase(dialect);
      });
      afterAll(async () => {
        await current?.destroy();
      });
      body(dialect, () => {
        if (!current) throw new Error("test database not ready: call getDb() inside a test or hook");
        return current;
      });
    });
  }
}

/** The brief's spelling: `const dbs = testDatabases()` gives the dialect list and the factory. */
export function testDatabases(): { dialects: readonly DialectName[]; create: typeof createTestDatabase; forEach: typeof forEachDialect } {
  return { dialects: DIALECTS.filter((d) => d !== "postgres" || postgresAvailable), create: createTestDatabase, forEach: forEachDialect };
}
