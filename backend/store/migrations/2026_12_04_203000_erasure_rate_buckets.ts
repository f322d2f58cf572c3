import type { Kysely } from "kysely";

// Frozen in time: never edit after it has shipped; add a new migration instead. Portable types only.

/**
 * `rate_buckets`: one row per AWS operation holding the GCRA "theoretical arrival time" (epoch ms, fractional) of
 * the shared rate limiter (`backend/erasure/rate-limiter.ts`), so every worker on one database draws from one
 * per-operation budget. `double precision` because epoch milliseconds overflow PostgreSQL's 32-bit `integer`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("rate_buckets")
    .addColumn("operation", "text", (c) => c.primaryKey())
    .addColumn("tat_ms", "double precision", (c) => c.notNull())
    .execute();
}

/** Drops the limiter state (it rebuilds itself). */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("rate_buckets").execute();
}
