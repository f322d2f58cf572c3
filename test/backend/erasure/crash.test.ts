/**
 * Crash and zombie tests with real worker processes: SIGKILL at random points over ≥ 50 runs, and now and then a
 * worker paused (SIGSTOP) past its lease while another takes over, then resumed (SIGCONT). Afterwards every
 * request is done, every step succeeded exactly once in the audit trail (no outcome recorded under a lost lease),
 * and the independent verifier finds nothing left.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../../backend/emulator/server.ts";
import { createTestDatabase, postgresAvailable, type DialectName } from "../../support/db.ts";
import { verifyErased } from "../../support/verifier.ts";
import { approvedRequest } from "./fixtures.ts";
import { INSTANCE_ID, MARKER_VALUE, baseScenario } from "./harness.ts";

const CHILD_SOURCE = fileURLToPath(new URL("./worker-child.ts", import.meta.url));
// Bundled once (dependencies stay external): a bundle starts about twice as fast as tsx compiling per spawn.
const CHILD = fileURLToPath(new URL("../../../node_modules/.cache/erasure-test/worker-child.mjs", import.meta.url));
const LEASE_MS = 800;
const RUNS = 50;
const FINAL = ["completed", "completed_with_residue", "failed"];

/** Lease-loss warnings logged by every worker child: outcomes a resumed zombie tried and failed to record. */
let leaseLostLogs = 0;

function spawnWorker(databaseUrl: string, emulatorUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CHILD, databaseUrl, emulatorUrl, String(LEASE_MS)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    leaseLostLogs += chunk.toString().split("lease lost").length - 1;
  });
  return new Promise((resolve, reject) => {
    child.stdout?.once("data", () => resolve(child));
    child.once("exit", (code) => reject(new Error(`worker exited early (${code})`)));
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function crashRun(dialect: DialectName, runs: number): Promise<void> {
  const b = baseScenario();
  const contacts = Array.from({ length: 24 }, (_, i) =>
    i % 3 === 2
      ? b.addChatContact({ start: `2026-11-0${1 + (i % 9)}T08:00:00Z`, attributes: { a: MARKER_VALUE } })
      : b.addVoiceContact({ legs: 1 + (i % 3), start: `2026-11-0${1 + (i % 9)}T23:55:00Z`, ivr: true, attributes: { a: MARKER_VALUE } }),
  );
  const emulator = await startEmulator({ scenario: b.build() });
  const store = await createTestDatabase(dialect);
  try {
    const ids: string[] = [];
    for (const c of contacts) ids.push(await approvedRequest(store.db, c.contactIds[0] as string, { instanceId: INSTANCE_ID }));
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let kills = 0;
    leaseLostLogs = 0;
    let zombies = 0;
    const open = async () =>
      (await store.db.selectFrom("erasure_requests").select("id").where("status", "not in", FINAL).execute()).length;
    // Keep killing until both the run count is reached and the work is done (the last run is left to finish).
    for (let run = 0; run < runs || (await open()) > 0; run++) {
      if (run > runs + 40) break;
      const child = await spawnWorker(store.databaseUrl, emulator.url);
      if (run >= runs) {
        const deadline = Date.now() + 60_000;
        while ((await open()) > 0 && Date.now() < deadline) await sleep(50);
        await killed(child);
        break;
      }
      if (run % 10 === 5) {
        // Zombie: pause past the lease, let another worker take over, resume, then kill both.
        await sleep(100 + random() * 200);
        child.kill("SIGSTOP");
        const other = await spawnWorker(store.databaseUrl, emulator.url);
        await sleep(LEASE_MS * 2);
        child.kill("SIGCONT");
        await sleep(300 + random() * 300);
        await Promise.all([killed(child), killed(other)]);
        zombies++;
        kills += 2;
        continue;
      }
      await sleep(random() * 600);
      await killed(child);
      kills++;
    }
    const requests = await store.db.selectFrom("erasure_requests").select(["id", "status", "residue_json"]).execute();
    const steps = await store.db.selectFrom("erasure_steps").select(["request_id", "name", "status"]).execute();
    const successes = await store.db.selectFrom("audit_log").select(["request_id", "data_json"]).where("action", "=", "step.succeeded").execute();
    const perStep = new Map<string, number>();
    for (const s of successes) {
      const key = `${s.request_id}/${(JSON.parse(s.data_json) as { step: string }).step}`;
      perStep.set(key, (perStep.get(key) ?? 0) + 1);
    }
    const duplicates = [...perStep.values()].filter((n) => n > 1).length;
    const lost = requests.filter((r) => r.status !== "completed").length;
    const report = verifyErased(emulator.state, contacts.flatMap((c) => c.contactIds));
    console.log(
      `R1 backend=${dialect} trials=${kills} zombies=${zombies} requests=${requests.length} lost=${lost} duplicate_step_records=${duplicates} stale_writes_refused=${leaseLostLogs} residual_artifacts=${report.undeclared.length} => ${lost === 0 && duplicates === 0 && report.undeclared.length === 0 ? "PASS" : "FAIL"}`,
    );
    expect(kills).toBeGreaterThanOrEqual(runs);
    expect(requests.map((r) => r.status)).toEqual(ids.map(() => "completed"));
    expect(steps.every((s) => s.status === "succeeded")).toBe(true);
    expect(perStep.size).toBe(ids.length * 7);
    expect(duplicates).toBe(0);
    expect(report.undeclared).toEqual([]);
  } finally {
    await emulator.close();
    await store.destroy();
  }
}

describe("worker processes killed at random points", () => {
  beforeAll(async () => {
    await build({ entryPoints: [CHILD_SOURCE], bundle: true, platform: "node", format: "esm", outfile: CHILD, packages: "external", logLevel: "error" });
  });
  it(`SQLite file: ${RUNS} kill -9 runs with zombies, nothing lost or recorded twice`, () => crashRun("sqlite", RUNS), 600_000);
  it.skipIf(!postgresAvailable)("PostgreSQL: 20 kill -9 runs with zombies", () => crashRun("postgres", 20), 600_000);
});
