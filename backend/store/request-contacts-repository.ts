/** The resolved scope of a request: contact ids only (`request_contacts`). */
import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";

/** Replaces the request's scope with `contactIds` (deduplicated). Call inside a transaction. */
export async function setRequestContacts(trx: Kysely<Database>, requestId: string, contactIds: readonly string[]): Promise<void> {
  await trx.deleteFrom("request_contacts").where("request_id", "=", requestId).execute();
  const unique = [...new Set(contactIds)];
  if (unique.length === 0) return;
  // Chunked to stay under SQLite's bound-parameter limit on very long customer histories.
  for (let i = 0; i < unique.length; i += 400) {
    const chunk = unique.slice(i, i + 400).map((contact_id) => ({ request_id: requestId, contact_id }));
    await trx.insertInto("request_contacts").values(chunk).execute();
  }
}

/** The request's scope, sorted by contact id. */
export async function listRequestContacts(db: Kysely<Database>, requestId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("request_contacts")
    .select("contact_id")
    .where("request_id", "=", requestId)
    .orderBy("contact_id", "asc")
    .execute();
  return rows.map((r) => r.contact_id);
}
