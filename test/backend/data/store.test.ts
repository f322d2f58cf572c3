import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { verifyAudit } from "../../../backend/audit/audit-log.ts";
import { OPEN_STATUSES, SYSTEM_ACTOR } from "../../../backend/domain/request.ts";
import { approveRequest, raiseRequest, transitionRequest } from "../../../backend/requests/request-service.ts";
import { dialectOf, migrateToLatest, openDatabase } from "../../../backend/store/database.ts";
import { listRequestContacts, setRequestContacts } from "../../../backend/store/request-contacts-repository.ts";
import { findOpenRequestForContact, listRequestRows } from "../../../backend/store/request-repository.ts";
import { STEP_ORDER, createSteps, listSteps, requeueFailedSteps } from "../../../backend/store/step-repository.ts";
import { forEachDialect } from "../../support/db.ts";
import { HMAC_KEY, T0, alice, at, raiseInput, sam } from "./builders.ts";

const run = promisify(execFile);

describe("openDatabase (SQLite specifics)", () => {
  it("creates the file's directory, runs WAL with synchronous=FULL and a busy timeout; close is idempotent", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ce-open-"));
    try {
      const file = join(dir, "nested", "deeper", "erasure.db");
      const store = openDatabase(`sqlite:${file}`, { busyTimeoutMs: 1234 });
      expect(store.dialect).toBe("sqlite");
      const pragma = async (name: string) => Object.values((await sql.raw(`pragma ${name}`).execute(store.db)).rows[0] as object)[0];
      expect(await pragma("journal_mode")).toBe("wal");
      expect(await pragma("synchronous")).toBe(2);
      expect(await pragma("busy_timeout")).toBe(1234);
      expect(await pragma("foreign_keys")).toBe(1);
      await migrateToLatest(store.db);
      expect(existsSync(file)).toBe(true);
      await store.close();
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("dialectOf accepts sqlite: and postgres(ql):// and refuses anything else", () => {
    expect(dialectOf("sqlite:./data/x.db")).toBe("sqlite");
    expect(dialectOf("postgres://u@h/db")).toBe("postgres");
    expect(dialectOf("postgresql://u@h/db")).toBe("postgres");
    expect(() => dialectOf("mysql://u@h/db")).toThrow(expect.objectContaining({ code: "ConfigInvalid" }));
  });

  it("two OS processes writing one SQLite file wait for each other instead of failing, and the chain stays whole", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ce-multi-"));
    try {
      const url = `sqlite:${join(dir, "erasure.db")}`;
      const store = openDatabase(url);
      await migrateToLatest(store.db);
      const writer = join(import.meta.dirname, "fixtures", "sqlite-writer.ts");
      const tsx = join(process.cwd(), "node_modules", ".bin", "tsx");
      // Our own process writes too while the children run.
      const mine = (async () => {
        for (let i = 0; i < 40; i += 1) {
          const { request } = await raiseRequest(store.db, raiseInput(), alice, at(i), { hmacKey: HMAC_KEY });
          await approveRequest(store.db, request.id, sam, at(i));
        }
      })();
      await Promise.all([run(tsx, [writer, url, "40", "p1"]), run(tsx, [writer, url, "40", "p2"]), mine]);
      expect(await verifyAudit(store.db)).toMatchObject({ ok: true, entries: 240 });
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

forEachDialect((dialect, getDb) => {
  it(`${dialect}: createSteps writes the seven steps in plan order; listSteps returns them by seq`, async () => {
    const { db } = getDb();
    const { request } = await raiseRequest(db, raiseInput(), alice, T0, { hmacKey: HMAC_KEY });
    await db.transaction().execute((trx) => createSteps(trx, request.id, T0));
    const steps = await listSteps(db, request.id);
    expect(steps.map((s) => [s.seq, s.name, s.status, s.attempts, s.counts_json, s.result_json])).toEqual(
      STEP_ORDER.map((name, seq) => [seq, name, "pending", 0, "{}", "{}"]),
    );
    expect(new Set(steps.map((s) => s.id)).size).toBe(7);
    await expect(db.transaction().execute((trx) => createSteps(trx, request.id, T0))).rejects.toThrow();
    expect(await listSteps(db, request.id)).toHaveLength(7);
  });

  it(`${dialect}: requeueFailedSteps touches failed steps only and returns them in plan order`, async () => {
    const { db } = getDb();
    const { request } = await raiseRequest(db, raiseInput(), alice, T0, { hmacKey: HMAC_KEY });
    await db.transaction().execute((trx) => createSteps(trx, request.id, T0));
    await db.updateTable("erasure_steps").set({ status: "failed", attempts: 3 }).where("request_id", "=", request.id).where("seq", "in", [5, 2]).execute();
    await db.updateTable("erasure_steps").set({ status: "succeeded" }).where("request_id", "=", request.id).where("seq", "=", 0).execute();
    expect(await requeueFailedSteps(db, request.id, at(9))).toEqual(["scrub-task-fields", "delete-profile"]);
    const steps = await listSteps(db, request.id);
    expect(steps.map((s) => s.status)).toEqual(["succeeded", "pending", "pending", "pending", "pending", "pending", "pending"]);
    expect(steps.filter((s) => s.attempts === 3).map((s) => s.seq)).toEqual([2, 5]);
    expect(await requeueFailedSteps(db, request.id, at(10))).toEqual([]);
  });

  it(`${dialect}: request contacts are replaced as a set and survive 1,000 ids (chunked inserts)`, async () => {
    const { db } = getDb();
    const { request } = await raiseRequest(db, raiseInput(), alice, T0, { hmacKey: HMAC_KEY });
    const many = Array.from({ length: 1000 }, () => randomUUID());
    await db.transaction().execute((trx) => setRequestContacts(trx, request.id, many));
    expect(await listRequestContacts(db, request.id)).toEqual([...many].sort());
    await setRequestContacts(db, request.id, []);
    expect(await listRequestContacts(db, request.id)).toEqual([]);
  });

  it(`${dialect}: findOpenRequestForContact sees open states only; list limit is clamped`, async () => {
    const { db } = getDb();
    const input = raiseInput();
    const { request } = await raiseRequest(db, input, alice, T0, { hmacKey: HMAC_KEY });
    await approveRequest(db, request.id, sam, at(1));
    await transitionRequest(db, request.id, "start", SYSTEM_ACTOR, at(2));
    expect((await findOpenRequestForContact(db, input.contactId, OPEN_STATUSES))?.id).toBe(request.id);
    await transitionRequest(db, request.id, "complete", SYSTEM_ACTOR, at(3));
    expect(await findOpenRequestForContact(db, input.contactId, OPEN_STATUSES)).toBeUndefined();
    const second = await raiseRequest(db, input, alice, at(4), { hmacKey: HMAC_KEY });
    expect(second.replayed).toBe(false);
    expect((await listRequestRows(db, { limit: 0 })).length).toBe(1);
    expect((await listRequestRows(db, { limit: 10_000 })).length).toBeLessThanOrEqual(500);
  });

  it(`${dialect}: the database refuses a second open request for a contact even when written directly`, async () => {
    const { db } = getDb();
    const input = raiseInput();
    const { request } = await raiseRequest(db, input, alice, T0, { hmacKey: HMAC_KEY });
    const row = await db.selectFrom("erasure_requests").selectAll().where("id", "=", request.id).executeTakeFirstOrThrow();
    await expect(db.insertInto("erasure_requests").values({ ...row, id: randomUUID(), idempotency_key: null }).execute()).rejects.toThrow();
    await expect(
      db.insertInto("erasure_requests").values({ ...row, id: randomUUID(), idempotency_key: null, status: "completed" }).execute(),
    ).resolves.toBeDefined();
  });
});
