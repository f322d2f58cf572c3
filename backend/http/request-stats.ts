/** Scrape-time figures for `/metrics`: requests by state, steps by outcome, open requests past their deadline. */
import type { Kysely } from "kysely";
import { OPEN_STATUSES } from "../domain/request.ts";
import type { Database } from "../store/schema.ts";
import type { RequestStats } from "./metrics.ts";

/** Counts requests per status, steps per name and status, and open requests whose effective due date is before `now`. */
export async function readRequestStats(db: Kysely<Database>, now: Date): Promise<RequestStats> {
  const rows = await db
    .selectFrom("erasure_requests")
    .select(["status", (eb) => eb.fn.countAll<string | number>().as("n")])
    .groupBy("status")
    .execute();
  const nowIso = now.toISOString();
  const overdue = await db
    .selectFrom("erasure_requests")
    .select((eb) => eb.fn.countAll<string | number>().as("n"))
    .where("status", "in", [...OPEN_STATUSES])
    .where((eb) => eb(eb.fn.coalesce("extended_due_at", "due_at"), "<", nowIso))
    .executeTakeFirst();
  const steps = await db
    .selectFrom("erasure_steps")
    .select(["name", "status", (eb) => eb.fn.countAll<string | number>().as("n")])
    .groupBy(["name", "status"])
    .execute();
  return {
    byStatus: Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])),
    overdue: Number(overdue?.n ?? 0),
    steps: steps.map((r) => ({ step: r.name, status: r.status, count: Number(r.n) })),
  };
}
