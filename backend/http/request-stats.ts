/** Scrape-time figures for `/metrics`: requests by state and open requests past their deadline. */
import type { Kysely } from "kysely";
import { OPEN_STATUSES } from "../domain/request.ts";
import type { Database } from "../store/schema.ts";
import type { RequestStats } from "./metrics.ts";

/** Counts requests per status and open requests whose effective due date is before `now`. */
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
  return {
    byStatus: Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])),
    overdue: Number(overdue?.n ?? 0),
  };
}
