import { sql, type Kysely } from "kysely";

// Frozen in time: never edit after it has shipped; add a new migration instead. Portable types only.

/** Requests, steps, resolved scope, and the hash-chained audit log with its head row. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("erasure_requests")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("contact_id", "text", (c) => c.notNull())
    .addColumn("initial_contact_id", "text", (c) => c.notNull())
    .addColumn("instance_id", "text", (c) => c.notNull())
    .addColumn("scope_json", "text", (c) => c.notNull())
    .addColumn("verification_json", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("requested_by", "text", (c) => c.notNull())
    .addColumn("requested_by_subject", "text", (c) => c.notNull())
    .addColumn("requested_at", "text", (c) => c.notNull())
    .addColumn("approved_by", "text")
    .addColumn("approved_at", "text")
    .addColumn("rejection_json", "text")
    .addColumn("due_at", "text", (c) => c.notNull())
    .addColumn("extended_due_at", "text")
    .addColumn("extension_reason", "text")
    .addColumn("waiting_for", "text")
    .addColumn("residue_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("idempotency_key", "text")
    .addColumn("body_hash", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  // An Idempotency-Key is scoped to its requester, so one user's key never returns another user's request.
  await db.schema
    .createIndex("erasure_requests_idempotency")
    .on("erasure_requests")
    .columns(["requested_by_subject", "idempotency_key"])
    .unique()
    .execute();
  // At most one open request per contact, enforced by the database even under concurrent raises.
  await db.schema
    .createIndex("erasure_requests_open_contact")
    .on("erasure_requests")
    .column("contact_id")
    .unique()
    .where(sql<boolean>`status in ('pending_approval', 'approved', 'running', 'failed')`)
    .execute();
  await db.schema.createIndex("erasure_requests_status_due").on("erasure_requests").columns(["status", "due_at"]).execute();
  await db.schema.createIndex("erasure_requests_contact").on("erasure_requests").column("contact_id").execute();
  await db.schema.createIndex("erasure_requests_requester").on("erasure_requests").columns(["requested_by_subject", "requested_at"]).execute();

  await db.schema
    .createTable("erasure_steps")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("request_id", "text", (c) => c.notNull().references("erasure_requests.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("run_at", "text", (c) => c.notNull())
    .addColumn("first_attempt_at", "text")
    .addColumn("lease_owner", "text")
    .addColumn("lease_token", "text")
    .addColumn("lease_expires_at", "text")
    .addColumn("counts_json", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("result_json", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("last_error_code", "text")
    .addColumn("verified_at", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("erasure_steps_request_name", ["request_id", "name"])
    .execute();
  await db.schema.createIndex("erasure_steps_due").on("erasure_steps").columns(["status", "run_at"]).execute();

  await db.schema
    .createTable("request_contacts")
    .addColumn("request_id", "text", (c) => c.notNull().references("erasure_requests.id"))
    .addColumn("contact_id", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("request_contacts_pk", ["request_id", "contact_id"])
    .execute();
  await db.schema.createIndex("request_contacts_contact").on("request_contacts").column("contact_id").execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("seq", "integer", (c) => c.primaryKey())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("request_id", "text")
    .addColumn("data_json", "text", (c) => c.notNull())
    .addColumn("prev_hash", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("audit_log_request").on("audit_log").columns(["request_id", "seq"]).execute();

  await db.schema
    .createTable("audit_head")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .execute();
  await db.insertInto("audit_head").values({ id: 1, seq: 0, hash: "0".repeat(64) }).execute();
}

/** Drops everything `up` created, children first. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("audit_head").execute();
  await db.schema.dropTable("audit_log").execute();
  await db.schema.dropTable("request_contacts").execute();
  await db.schema.dropTable("erasure_steps").execute();
  await db.schema.dropTable("erasure_requests").execute();
}
