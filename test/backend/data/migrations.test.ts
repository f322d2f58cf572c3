import { describe, expect, it } from "vitest";
import { Migrator, NO_MIGRATIONS } from "kysely";
import { MIGRATIONS, migrateToLatest } from "../../../backend/store/database.ts";
import { forEachDialect } from "../../support/db.ts";

describe("migrations", () => {
  it("are named YYYY_MM_DD_HHMMSS_verb_noun and listed in order", () => {
    const names = Object.keys(MIGRATIONS);
    for (const name of names) expect(name).toMatch(/^\d{4}_\d{2}_\d{2}_\d{6}_[a-z]+(_[a-z0-9]+)+$/);
    expect([...names].sort()).toEqual(names);
  });
});

forEachDialect((dialect, getDb) => {
  it(`${dialect}: migrating twice is a no-op, and all the way down then up restores every table`, async () => {
    const { db } = getDb();
    const again = await migrateToLatest(db);
    expect(again.results).toEqual([]);
    const tables = async () => (await db.introspection.getTables()).map((t) => t.name).filter((n) => !n.startsWith("kysely_")).sort();
    const mine = ["audit_head", "audit_log", "erasure_requests", "erasure_steps", "request_contacts"];
    const all = await tables();
    expect(all).toEqual(expect.arrayContaining(mine));
    const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) } });
    const down = await migrator.migrateTo(NO_MIGRATIONS);
    expect(down.error).toBeUndefined();
    expect(await tables()).toEqual([]);
    await migrateToLatest(db);
    expect(await tables()).toEqual(all);
  });
});
