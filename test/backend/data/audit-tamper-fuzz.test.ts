import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { GENESIS_HASH, buildAuditRow, hmacId, verifyAudit } from "../../../backend/audit/audit-log.ts";
import { SYSTEM_ACTOR } from "../../../backend/domain/request.ts";
import type { NewAuditRow } from "../../../backend/store/schema.ts";
import { forEachDialect } from "../../support/db.ts";
import { HMAC_KEY, at, sam } from "./builders.ts";
import { seededRandom as prng } from "../../../backend/emulator/faults.ts";

type Kind = "flip-field" | "delete" | "swap" | "reorder" | "insert-forged";
const KINDS: Kind[] = ["flip-field", "delete", "swap", "reorder", "insert-forged"];
const FIELDS = ["at", "actor", "action", "request_id", "data_json", "prev_hash", "hash"] as const;

const N = 2000;
const TRIALS = 50;

forEachDialect((dialect, getDb) => {
  it(`${dialect}: A1 ${TRIALS} random tampers on a ${N}-entry chain are all detected at the right entry, with no false positives`, async () => {
    const { db } = getDb();
    const rows: NewAuditRow[] = [];
    let prev = { seq: 0, hash: GENESIS_HASH };
    for (let i = 0; i < N; i += 1) {
      const row = buildAuditRow(prev, {
        at: at(i),
        actor: i % 4 ? sam : SYSTEM_ACTOR,
        action: i % 2 ? "step.succeeded" : "request.approve",
        requestId: randomUUID(),
        data: { counts: { objectVersions: i % 5 }, contact: hmacId(HMAC_KEY, String(i)) },
      });
      rows.push(row);
      prev = { seq: row.seq, hash: row.hash };
    }
    const insert = async (from: number) => {
      const tail = rows.slice(from - 1);
      for (let i = 0; i < tail.length; i += 500) await db.insertInto("audit_log").values(tail.slice(i, i + 500)).execute();
    };
    /** Puts back the genuine rows `from..to` (and removes any temporary or shifted seq). */
    const restore = async (from: number, to: number) => {
      await db.deleteFrom("audit_log").where((eb) => eb.or([eb.between("seq", from, to), eb("seq", "=", -1)])).execute();
      await db.insertInto("audit_log").values(rows.slice(from - 1, to)).execute();
    };
    await db.deleteFrom("audit_log").execute();
    await insert(1);
    await db.updateTable("audit_head").set({ seq: prev.seq, hash: prev.hash }).where("id", "=", 1).execute();

    const random = prng(20261204);
    let detected = 0;
    let rightIndex = 0;
    let falsePositives = 0;
    let verifiedRows = 0;
    let verifySeconds = 0;
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const kind = KINDS[trial % KINDS.length] as Kind;
      // 2..N-2, so k-1 and k+1 exist; forged insertions near the tail keep the undo cheap.
      const k = kind === "insert-forged" ? N - 1 - Math.floor(random() * 100) : 2 + Math.floor(random() * (N - 3));
      let expected = k;
      switch (kind) {
        case "flip-field": {
          const field = FIELDS[Math.floor(random() * FIELDS.length)] as (typeof FIELDS)[number];
          const original = rows[k - 1] as NewAuditRow;
          const value = String(original[field] ?? "");
          const flipped = value.length > 0 ? value.slice(0, -1) + (value.endsWith("0") ? "1" : "0") : "x";
          await db.updateTable("audit_log").set({ [field]: flipped }).where("seq", "=", k).execute();
          break;
        }
        case "delete":
          await db.deleteFrom("audit_log").where("seq", "=", k).execute();
          break;
        case "swap": {
          const a = rows[k - 1] as NewAuditRow;
          const b = rows[k] as NewAuditRow;
          await db.updateTable("audit_log").set({ ...b, seq: k }).where("seq", "=", k).execute();
          await db.updateTable("audit_log").set({ ...a, seq: k + 1 }).where("seq", "=", k + 1).execute();
          break;
        }
        case "reorder":
          await db.updateTable("audit_log").set({ seq: -1 }).where("seq", "=", k).execute();
          await db.updateTable("audit_log").set({ seq: k }).where("seq", "=", k + 1).execute();
          await db.updateTable("audit_log").set({ seq: k + 1 }).where("seq", "=", -1).execute();
          break;
        case "insert-forged": {
          // A forger who chains the new row correctly but cannot re-hash what follows: the break shows at k+1.
          await db.deleteFrom("audit_log").where("seq", ">=", k).execute();
          const forged = buildAuditRow({ seq: k - 1, hash: (rows[k - 2] as NewAuditRow).hash }, { at: at(k), actor: sam, action: "request.approve", data: {} });
          await db.insertInto("audit_log").values(forged).execute();
          const shifted = rows.slice(k - 1).map((r) => ({ ...r, seq: r.seq + 1 }));
          for (let i = 0; i < shifted.length; i += 500) await db.insertInto("audit_log").values(shifted.slice(i, i + 500)).execute();
          expected = k + 1;
          break;
        }
      }
      const result = await verifyAudit(db);
      if (!result.ok) detected += 1;
      if (result.firstBrokenSeq === expected) rightIndex += 1;
      expect(result, `trial ${trial}: ${kind} at ${k}`).toMatchObject({ ok: false, firstBrokenSeq: expected });

      await restore(k - 1, kind === "insert-forged" ? N + 1 : Math.min(N, k + 2));
      const started = performance.now();
      const clean = await verifyAudit(db);
      verifySeconds += (performance.now() - started) / 1000;
      verifiedRows += clean.entries;
      if (!clean.ok) falsePositives += 1;
      expect(clean.ok, `after restoring trial ${trial}`).toBe(true);
    }
    const line =
      `A1 ${dialect} entries=${N} tampers=${TRIALS} detected_pct=${(100 * detected) / TRIALS} ` +
      `first_bad_index_correct_pct=${(100 * rightIndex) / TRIALS} false_positives=${falsePositives} ` +
      `verify_rows_per_s=${Math.round(verifiedRows / verifySeconds)}`;
    console.info(line);
  }, 120_000);
});
