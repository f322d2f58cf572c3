/**
 * Checkpoints anchor the audit chain outside the database (reliability.md A3). A hash chain alone cannot
 * reveal a consistent rewrite of the whole chain or a truncation of its tail by someone with DB access; a
 * checkpoint `(seq, hash, at)` MACed with a key the database cannot read, and kept elsewhere (S3 with
 * Object Lock, CloudWatch Logs, an offline file), can.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import type { AuditVerification } from "../contract/schemas.ts";
import { AppError } from "../errors.ts";
import type { Database } from "../store/schema.ts";
import { canonicalJson, verifyAudit } from "./audit-log.ts";

export interface AuditCheckpoint {
  /** Seq of the last entry covered (0: empty log). */
  seq: number;
  /** Hash of that entry. */
  hash: string;
  /** When the checkpoint was taken (ISO). */
  at: string;
  /** HMAC-SHA256 (hex) over the canonical `{at, hash, seq}`. */
  mac: string;
}

function macOf(key: string, cp: Omit<AuditCheckpoint, "mac">): string {
  if (!key) throw new AppError("ConfigInvalid", "The audit checkpoint key is empty");
  return createHmac("sha256", key).update(canonicalJson({ at: cp.at, hash: cp.hash, seq: cp.seq })).digest("hex");
}

/** Signs the current head of the chain; the caller ships the result out of the database. */
export async function takeCheckpoint(db: Kysely<Database>, key: string, now: Date): Promise<AuditCheckpoint> {
  const head = await db
    .selectFrom("audit_head")
    .select(["seq", "hash"])
    .where("id", "=", 1)
    .executeTakeFirstOrThrow(() => new AppError("StoreUnavailable", "Audit head row missing: run the migrations"));
  const body = { seq: Number(head.seq), hash: head.hash, at: now.toISOString() };
  return { ...body, mac: macOf(key, body) };
}

/** True when the checkpoint's MAC is genuine under `key`. */
export function checkpointIsAuthentic(key: string, cp: AuditCheckpoint): boolean {
  const expected = Buffer.from(macOf(key, cp), "hex");
  const given = Buffer.from(cp.mac, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Verifies the chain, then that every checkpoint is authentic and still matches the stored entry at its seq.
 * A mismatch means the chain was rewritten at or before that seq, or truncated below it.
 */
export async function verifyAuditWithCheckpoints(
  db: Kysely<Database>,
  checkpoints: readonly AuditCheckpoint[],
  key: string,
): Promise<AuditVerification> {
  const chain = await verifyAudit(db);
  if (!chain.ok) return chain;
  const sorted = [...checkpoints].sort((a, b) => a.seq - b.seq);
  for (const cp of sorted) {
    const fail = (reason: string): AuditVerification => ({ ...chain, ok: false, firstBrokenSeq: cp.seq, reason });
    if (!checkpointIsAuthentic(key, cp)) return fail(`checkpoint at entry ${cp.seq} is not authentic (bad MAC)`);
    if (cp.seq === 0) continue;
    if (cp.seq > chain.entries) return fail(`entries ${chain.entries + 1}..${cp.seq} covered by the checkpoint of ${cp.at} are missing (log truncated)`);
    const row = await db.selectFrom("audit_log").select("hash").where("seq", "=", cp.seq).executeTakeFirst();
    if (row?.hash !== cp.hash) return fail(`the chain up to entry ${cp.seq} differs from the checkpoint of ${cp.at} (rewritten)`);
  }
  return chain;
}
