/**
 * Opens the store named by DATABASE_URL: SQLite through better-sqlite3 (`sqlite:<file>`) or PostgreSQL
 * through a `pg` pool (`postgres://…`), both behind one `Kysely<Database>`, and migrates it.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration, type MigrationProvider, type MigrationResultSet } from "kysely";
import pg from "pg";
import { AppError } from "../errors.ts";
import * as createErasureTables from "./migrations/2026_12_04_201500_create_erasure_tables.ts";
import * as erasureRateBuckets from "./migrations/2026_12_04_203000_erasure_rate_buckets.ts";
import type { Database } from "./schema.ts";

export type DialectName = "sqlite" | "postgres";

export interface OpenDatabase {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Ends the pool or closes the file; safe to call twice. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  /** Receives errors of idle pooled connections (otherwise they would crash the process). */
  onPoolError?: (err: Error) => void;
  /** SQLite: ms a writer waits for another process's lock before SQLITE_BUSY (default 5000). */
  busyTimeoutMs?: number;
}

/** Which dialect a DATABASE_URL selects; throws `ConfigInvalid` for anything else. */
export function dialectOf(databaseUrl: string): DialectName {
  if (databaseUrl.startsWith("sqlite:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return "postgres";
  throw new AppError("ConfigInvalid", "DATABASE_URL must start with sqlite: or postgres://");
}

/**
 * Opens the database. SQLite runs in WAL mode with `synchronous=FULL` (a committed erasure record must
 * survive power loss) and a busy timeout, creating the file's directory; PostgreSQL gets a pool.
 */
export function openDatabase(databaseUrl: string, options: OpenDatabaseOptions = {}): OpenDatabase {
  const dialect = dialectOf(databaseUrl);
  if (dialect === "sqlite") {
    const file = databaseUrl.slice("sqlite:".length).replace(/^\/\/(?=\/)/, "");
    if (file !== ":memory:") mkdirSync(dirname(resolve(file)), { recursive: true });
    const sqlite = new SqliteDatabase(file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = FULL");
    sqlite.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    sqlite.pragma("foreign_keys = ON");
    // Kysely opens transactions with a deferred `begin`; a deferred transaction that reads and then writes
    // fails at once with SQLITE_BUSY when another process wrote meanwhile. `begin immediate` takes the write
    // lock up front, so a second process (e.g. `main.ts worker`) waits up to busy_timeout instead.
    const database = {
      close: () => sqlite.close(),
      prepare: (text: string) => sqlite.prepare(text === "begin" ? "begin immediate" : text),
    };
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
    return { db, dialect, close: once(() => db.destroy()) };
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.poolSize ?? 10 });
  pool.on("error", options.onPoolError ?? (() => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect, close: once(() => db.destroy()) };
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= fn());
}

// Migrations are listed statically, not read from the folder at run time, so they work the same under tsx,
// vitest and a bundler.
/** Every migration by name; names sort in the order they run. Add new ones at the end. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  "2026_12_04_201500_create_erasure_tables": createErasureTables,
  "2026_12_04_203000_erasure_rate_buckets": erasureRateBuckets,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) };

/** Applies every pending migration; throws `StoreUnavailable` naming the migration that failed. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const result = await new Migrator({ db, provider }).migrateToLatest();
  if (result.error !== undefined) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new AppError("StoreUnavailable", `Migration ${failed} failed`, { cause: result.error });
  }
  return result;
}
