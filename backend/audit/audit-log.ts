/**
 * The append-only, hash-chained audit log (reliability.md A1): `hash_i = SHA-256(hash_{i-1} ‖ canonical(entry_i))`.
 * Appends are serialised through the single `audit_head` row, so concurrent writers never fork the chain;
 * `verifyAudit` recomputes it and names the first broken entry. Entries carry ids, codes, counts and keyed
 * HMACs of contact and profile ids, never caller data and never staff notes.
 */
import { createHmac, hash } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { AuditEntryView, AuditVerification } from "../contract/schemas.ts";
import { AppError } from "../errors.ts";
import type { AuditRow, Database, NewAuditRow } from "../store/schema.ts";

export type AuditEntry = AuditEntryView;

/** `prev_hash` of the first entry. */
export const GENESIS_HASH = "0".repeat(64);

/** What a caller appends; seq, hashes and the canonical form are the log's business. */
export interface AuditInput {
  at: Date;
  /** The employee or the worker; only the username is recorded. */
  actor: { username: string };
  /** Dotted verb, e.g. `request.approved`, `step.succeeded`, `certificate.issued`. */
  action: string;
  requestId?: string;
  /** Ids, codes, counts, HMACs. Keys that usually carry personal data are refused. */
  data: Record<string, unknown>;
}

// Keys that would only ever hold caller data or free text; refusing them catches mistakes early (S7, A2).
const FORBIDDEN_KEYS = new Set([
  "note",
  "notes",
  "phone",
  "phoneNumber",
  "email",
  "emailAddress",
  "firstName",
  "lastName",
  "customerEndpoint",
  "attributes",
  "transcript",
]);

/**
 * JSON with object keys sorted at every depth and no whitespace, so that equal data always hashes equally.
 * `undefined` members are dropped (as JSON.stringify does); non-finite numbers are refused.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new AppError("Internal", "Audit data holds a non-finite number");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  if (typeof value === "object") {
    const withJson = value as { toJSON?: () => unknown };
    if (typeof withJson.toJSON === "function") return canonicalJson(withJson.toJSON());
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`);
    return `{${members.join(",")}}`;
  }
  throw new AppError("Internal", `Audit data holds a ${typeof value}`);
}

/**
 * The canonical encoding of one stored row: the JSON object `{action, actor, at, data, requestId, seq}` with
 * keys in sorted order and `data` exactly as stored (it is written canonical), built by concatenation so
 * that verification needs no JSON parse.
 */
function canonicalRow(row: Pick<AuditRow, "seq" | "at" | "actor" | "action" | "request_id" | "data_json">): string {
  return (
    `{"action":${JSON.stringify(row.action)},"actor":${JSON.stringify(row.actor)},"at":${JSON.stringify(row.at)}` +
    `,"data":${row.data_json},"requestId":${JSON.stringify(row.request_id)},"seq":${row.seq}}`
  );
}

/** `SHA-256(prevHash ‖ canonical(row))`, hex. */
export function hashRow(prevHash: string, row: Pick<AuditRow, "seq" | "at" | "actor" | "action" | "request_id" | "data_json">): string {
  // One-shot `crypto.hash` is several times faster than createHash() for small inputs (verify speed, A1).
  return hash("sha256", prevHash + canonicalRow(row), "hex");
}

function assertNoPersonalDataKeys(value: unknown, path: string): void {
  if (value === null || typeof value !== "object") return;
  for (const [key, inner] of Object.entries(value)) {
    if (FORBIDDEN_KEYS.has(key)) {
      throw new AppError("Internal", `Audit data must not carry "${path}${key}": record a length, count or HMAC instead`);
    }
    assertNoPersonalDataKeys(inner, `${path}${key}.`);
  }
}

/** Builds the row that follows `prev` in the chain (pure; used by `appendAudit` and by bulk loaders in benches). */
export function buildAuditRow(prev: { seq: number; hash: string }, input: AuditInput): NewAuditRow {
  assertNoPersonalDataKeys(input.data, "");
  const row = {
    seq: prev.seq + 1,
    at: input.at.toISOString(),
    actor: input.actor.username,
    action: input.action,
    request_id: input.requestId ?? null,
    data_json: canonicalJson(input.data),
    prev_hash: prev.hash,
  };
  return { ...row, hash: hashRow(prev.hash, row) };
}

/**
 * Appends one entry inside the caller's transaction (or its own, given a plain `db`), so the entry commits or
 * rolls back with the change it records. Serialised by updating the single head row first: PostgreSQL row-locks it until commit, SQLite
 * takes its one write lock; a concurrent append waits and then chains onto the committed head.
 */
export async function appendAudit(db: Kysely<Database>, input: AuditInput): Promise<AuditEntry> {
  if (!db.isTransaction) return db.transaction().execute((trx) => appendAudit(trx, input));
  const trx = db as Transaction<Database>;
  const head = await trx
    .updateTable("audit_head")
    .set((eb) => ({ seq: eb("seq", "+", 1) }))
    .where("id", "=", 1)
    .returning(["seq", "hash"])
    .executeTakeFirstOrThrow(() => new AppError("StoreUnavailable", "Audit head row missing: run the migrations"));
  const row = buildAuditRow({ seq: Number(head.seq) - 1, hash: head.hash }, input);
  await trx.insertInto("audit_log").values(row).execute();
  await trx.updateTable("audit_head").set({ hash: row.hash }).where("id", "=", 1).execute();
  return rowToEntry({ ...row, request_id: row.request_id ?? null });
}

/**
 * Takes the audit head's lock now rather than at the append. Use cases call this first so every
 * transaction that audits acquires its locks in one order (head, then request row), which rules out
 * deadlocks between, say, an extension and the worker's transition on the same request. A no-op update:
 * PostgreSQL row-locks it until commit; SQLite already holds its single write lock (`begin immediate`).
 */
export async function lockAuditHead(trx: Transaction<Database>): Promise<void> {
  await trx.updateTable("audit_head").set((eb) => ({ seq: eb.ref("seq") })).where("id", "=", 1).execute();
}

/** Keyed HMAC-SHA256 (hex) of a contact or profile id: linkable inside this deployment, not brute-forceable without the key. */
export function hmacId(key: string, id: string): string {
  if (!key) throw new AppError("ConfigInvalid", "AUDIT_HMAC_KEY is empty: ids would be hashed without a secret");
  return createHmac("sha256", key).update(id).digest("hex");
}

function rowToEntry(row: AuditRow): AuditEntry {
  const entry: AuditEntry = {
    seq: Number(row.seq),
    at: row.at,
    actor: row.actor,
    action: row.action,
    data: JSON.parse(row.data_json) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
  return row.request_id === null ? entry : { ...entry, requestId: row.request_id };
}

export interface ListAuditFilter {
  requestId?: string;
  limit: number;
  /** Paging: entries with a larger seq (ascending order). */
  afterSeq?: number;
  /** Newest first instead (then `afterSeq` is ignored and `beforeSeq` pages). */
  newestFirst?: boolean;
  beforeSeq?: number;
}

/** Lists entries, oldest first by default, optionally for one request. */
export async function listAudit(db: Kysely<Database>, filter: ListAuditFilter): Promise<AuditEntry[]> {
  let q = db.selectFrom("audit_log").selectAll();
  if (filter.requestId !== undefined) q = q.where("request_id", "=", filter.requestId);
  if (filter.newestFirst) {
    if (filter.beforeSeq !== undefined) q = q.where("seq", "<", filter.beforeSeq);
    q = q.orderBy("seq", "desc");
  } else {
    if (filter.afterSeq !== undefined) q = q.where("seq", ">", filter.afterSeq);
    q = q.orderBy("seq", "asc");
  }
  const rows = await q.limit(Math.max(1, Math.min(filter.limit, 1000))).execute();
  return rows.map(rowToEntry);
}

/**
 * Recomputes the whole chain from the first entry: detects an edited field, a deleted, reordered or
 * inserted row, and a head that disagrees with the rows (truncation, or rows added around appendAudit).
 * Safe under live traffic: it verifies up to the head it read first, since a row and the head move in
 * one transaction. A consistent rewrite of the entire chain needs a checkpoint (audit-checkpoint.ts, A3).
 */
export async function verifyAudit(db: Kysely<Database>, options: { pageSize?: number } = {}): Promise<AuditVerification> {
  const pageSize = options.pageSize ?? 5000;
  let expected = 1;
  let running = GENESIS_HASH;
  const broken = (seq: number, reason: string): AuditVerification => ({
    ok: false,
    entries: expected - 1,
    firstBrokenSeq: seq,
    reason,
    headHash: running,
  });
  const readHead = () => db.selectFrom("audit_head").select(["seq", "hash"]).where("id", "=", 1).executeTakeFirst();
  const head = await readHead();
  if (!head) return broken(1, "audit head row is missing");
  const headSeq = Number(head.seq);
  const page = (afterSeq: number) =>
    db
      .selectFrom("audit_log")
      .selectAll()
      .where("seq", ">", afterSeq)
      .where("seq", "<=", headSeq)
      .orderBy("seq", "asc")
      .limit(pageSize)
      .execute();
  let pending = page(0);
  for (;;) {
    const rows = await pending;
    const lastRow = rows.at(-1);
    // Fetch the next page while this one is hashed: I/O and hashing overlap.
    if (lastRow && rows.length === pageSize) pending = page(Number(lastRow.seq));
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expected) {
        await settle(pending);
        return broken(expected, `entry ${expected} is missing (next stored entry is ${seq})`);
      }
      if (row.prev_hash !== running || hashRow(running, row) !== row.hash) {
        await settle(pending);
        return row.prev_hash !== running
          ? broken(seq, `entry ${seq} does not link to entry ${seq - 1} (prev_hash differs)`)
          : broken(seq, `entry ${seq} was altered (its hash does not match its content)`);
      }
      running = row.hash;
      expected += 1;
    }
    if (rows.length < pageSize) break;
  }
  const last = expected - 1;
  if (last < headSeq) return broken(last + 1, `entries ${last + 1}..${headSeq} are missing (log truncated)`);
  if (head.hash !== running) return broken(last, `the head hash does not match entry ${last}`);
  // Rows past the head are legitimate only if the head has moved past them since (concurrent appends).
  const beyond = await db.selectFrom("audit_log").select((eb) => eb.fn.max("seq").as("maxSeq")).executeTakeFirst();
  const maxSeq = Number(beyond?.maxSeq ?? 0);
  if (maxSeq > headSeq) {
    const now = Number((await readHead())?.seq ?? 0);
    if (maxSeq > now) return broken(now + 1, `entries after ${now} were written outside the audit log's append`);
  }
  return { ok: true, entries: last, headHash: running };
}

/** Waits for a prefetch that is no longer needed, so no query outlives the call. */
async function settle(p: Promise<unknown>): Promise<void> {
  await p.catch(() => undefined);
}
